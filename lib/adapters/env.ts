/** Reads a required environment variable (the stack or the local harness sets them). */
class MissingEnvironmentError extends Error {
  override name = 'MissingEnvironmentError';
}

/** A positive integer from the environment, `fallback` when unset; anything else is refused. */
export function positiveIntEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new MissingEnvironmentError(`environment variable ${name} must be a positive integer, got '${raw}'`);
  return value;
}

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new MissingEnvironmentError(`environment variable ${name} is not set`);
  return value;
}
