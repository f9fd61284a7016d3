/** Minimal types for asl-validator 4 (the package ships none). It mutates its input: pass a clone. */
declare module 'asl-validator' {
  interface AslValidatorOptions {
    checkPaths?: boolean;
    checkArn?: boolean;
  }
  interface AslValidationError {
    message?: string;
    [key: string]: unknown;
  }
  interface AslValidationResult {
    isValid: boolean;
    errors: AslValidationError[];
    errorsText(separator?: string): string;
  }
  function aslValidator(definition: unknown, options?: AslValidatorOptions): AslValidationResult;
  export = aslValidator;
}
