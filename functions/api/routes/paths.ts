/** Route paths of the API (shared by the router and the OpenAPI document). */
export const RISK_INSTRUMENT_PATH = '/v1/risk/instrument';
