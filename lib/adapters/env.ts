/** Reads a required environment variable (the stack or the local harness sets them). */
class MissingEnvironmentError extends Error {
  override name = 'MissingEnvironmentError';
}

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new MissingEnvironmentError(`environment variable ${name} is not set`);
  return value;
}
