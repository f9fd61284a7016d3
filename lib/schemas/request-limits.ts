/**
 * The documented limits of a request to the risk API, in one place so the handler, the OpenAPI
 * document, docs/api.md and the tests use the same numbers.
 *
 * `bodyBytes`, `depth` and `keyLength` are checked on the raw body before it is parsed (a
 * refusal costs one linear scan, never a JSON.parse of a hostile body); `prices` and `holdings`
 * are limits of the request schemas. Every refusal is a problem document of type
 * {@link LIMIT_EXCEEDED_TYPE} naming the limit.
 */

export const REQUEST_LIMITS = {
  /**
   * Largest body in bytes, as received (4 MiB). Fits 50,000 OHLC prices; below Lambda's 6 MB
   * invocation payload once API Gateway has escaped the body into its event for typical JSON.
   */
  bodyBytes: 4 * 1024 * 1024,
  /** Deepest nesting of objects and arrays (the top-level value is depth 1). Our deepest body (a portfolio with prices) is 4. */
  depth: 32,
  /** Longest object key, in UTF-16 code units of the decoded key (every field name we accept is far shorter). */
  keyLength: 128,
  /** Most price points in one price list. */
  prices: 50_000,
  /** Most holdings in one portfolio. */
  holdings: 50,
} as const;

/** The name of a limit, as the problem document's `limit.name` gives it. */
export type RequestLimitName = keyof typeof REQUEST_LIMITS;

/** Problem `type` of every refusal for a limit (HTTP 413 for `bodyBytes`, 400 for the others). */
export const LIMIT_EXCEEDED_TYPE = 'tag:riskfn,2026:limit-exceeded';
