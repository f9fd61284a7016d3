/**
 * The OpenAPI 3.1 document of the scoring API, derived from the zod schemas in lib/schemas
 * (components are the schemas' `.meta({ id })` names). scripts/generate-openapi.ts writes it
 * to docs/openapi.json; a unit test keeps the committed file equal to this function's output.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { PROBLEM_CONTENT_TYPE, ProblemDetailsSchema } from '../../lib/schemas/problem-details.ts';
import { RiskInstrumentRequestSchema } from '../../lib/schemas/risk-instrument-request.ts';
import { RiskInstrumentResponseSchema } from '../../lib/schemas/risk-instrument-response.ts';
import { RISK_INSTRUMENT_PATH } from './routes/paths.ts';

/** API version shown in the document (the package version). */
const API_VERSION = '0.1.0';

const problem = (description: string) => ({ description, content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemDetailsSchema } } });

export function buildOpenApiDocument(): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  const registry = new OpenAPIRegistry();
  registry.registerPath({
    method: 'post',
    path: RISK_INSTRUMENT_PATH,
    operationId: 'scoreInstrument',
    summary: 'Risk metrics and model risk level of one instrument',
    description:
      'Scores the daily price history of one instrument, read from the data lake (`symbol`) or given in the body (`prices`): ' +
      "annualised volatility, max drawdown and 1-day historical VaR, plus the champion model's risk level. " +
      'Every answer, including refusals, is written to the audit table under `requestId`. See docs/api.md.',
    request: {
      body: { required: true, content: { 'application/json': { schema: RiskInstrumentRequestSchema } } },
    },
    responses: {
      200: { description: 'The score.', content: { 'application/json': { schema: RiskInstrumentResponseSchema } } },
      400: problem('The body is not JSON, or a field is missing or invalid; `errors` names each bad field.'),
      404: problem('Unknown route, or the data lake has no prices for `symbol`.'),
      405: problem('The path exists but not for this method; `Allow` lists the methods it accepts.'),
      413: problem('The body is larger than the limit (1 MiB on the local server, 10 MB on API Gateway).'),
      415: problem('The body is not declared as `application/json`.'),
      422: problem('The history is valid but too short for the model (or lacks an input the model needs).'),
      500: problem('Unexpected error; the body names no internals. Quote `requestId` when reporting it.'),
      503: problem('No champion model has been promoted yet, or every lake object of `symbol` is corrupt (the detail names each object and why).'),
    },
  });
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'riskfn scoring API',
      version: API_VERSION,
      description: 'Investment-risk scoring: risk metrics of a daily price history and a random-forest risk level. Errors are RFC 9457 problem details.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: 'http://localhost:3000', description: 'local server (npm start)' }],
  });
}
