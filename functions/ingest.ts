// Placeholder entry point: replaced by the real handler (kept so the CDK stack can bundle it meanwhile).
export const handler = async (): Promise<never> => {
  throw new Error('not implemented yet');
};
