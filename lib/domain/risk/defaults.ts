/**
 * Defaults of the risk engine that callers outside it state too: the CLI's option defaults and
 * the API request schema's default take them from here, so every entry point agrees with the
 * engine. Constants only, importing nothing: the request schema (a layer below the domain) may
 * import this file.
 */

/** Default VaR/ES confidence level c (tail probability 1 − c = 5 %). */
export const DEFAULT_CONFIDENCE = 0.95;
