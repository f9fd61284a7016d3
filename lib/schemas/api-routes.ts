/**
 * The route table of the risk API: every route the API answers, with its request and response
 * schemas. The Lambda's router, the OpenAPI document and the API Gateway resources, methods and
 * request models are all generated from this one list, so a route exists in all three or in none.
 *
 * To add a route: append an entry here, write its handler factory in functions/api/routes/ and
 * name it under the entry's `operationId` in functions/api/routes/index.ts (the compiler refuses
 * an operationId without a factory).
 */
import type * as z from 'zod';
import { AuditQuerySchema } from './audit-query.ts';
import { AuditItemResponseSchema, AuditListResponseSchema } from './audit-responses.ts';
import { HealthResponseSchema } from './health-response.ts';
import { ModelCardQuerySchema, ModelCardSchema } from './model-card.ts';
import { ModelListQuerySchema, ModelListResponseSchema, ModelRegistryEntrySchema } from './model-registry-entry.ts';
import { OpenApiDocumentSchema } from './openapi-response.ts';
import { RiskBacktestRequestSchema } from './risk-backtest-request.ts';
import { RiskBacktestResponseSchema } from './risk-backtest-response.ts';
import { RiskInstrumentRequestSchema } from './risk-instrument-request.ts';
import { RiskInstrumentResponseSchema } from './risk-instrument-response.ts';
import { RiskPortfolioRequestSchema } from './risk-portfolio-request.ts';
import { RiskPortfolioResponseSchema } from './risk-portfolio-response.ts';

/** One route of the API. */
export interface ApiRouteSpec {
  readonly method: 'GET' | 'POST';
  /** API Gateway (and OpenAPI) path template: literal segments and `{name}` parameters, e.g. `/v1/models/{version}`. */
  readonly path: string;
  /** Unique name of the operation (OpenAPI `operationId`, key of the handler factory). */
  readonly operationId: string;
  /** One line for the OpenAPI document. */
  readonly summary: string;
  /** Longer OpenAPI description (markdown). */
  readonly description?: string;
  /** Body of a POST (`application/json`); API Gateway validates it with a model generated from this schema. */
  readonly requestSchema?: z.ZodType;
  /** Query parameters of a GET: an object schema whose members are the parameters (all strings on the wire). */
  readonly querySchema?: z.ZodObject;
  /** Body of the 2xx answer (`application/json`). */
  readonly responseSchema: z.ZodType;
  /** The 2xx answer is an HTML page (`text/html`) by default; `responseSchema` is its JSON form, asked for with `?format=json`. */
  readonly htmlPage?: true;
  /** Every answer of every route is written to the audit trail. */
  readonly audited: true;
  /** HTTP statuses of the problem (`application/problem+json`) answers the route gives. */
  readonly problems: readonly number[];
  /** Route-specific wording of a problem status in the OpenAPI document (else a generic one is used). */
  readonly problemNotes?: Readonly<Partial<Record<number, string>>>;
}

export const API_ROUTES = [
  {
    method: 'POST',
    path: '/v1/risk/instrument',
    operationId: 'scoreInstrument',
    summary: 'Risk metrics and model risk level of one instrument',
    description:
      'Scores the daily price history of one instrument, read from the data lake (`symbol`) or given in the body (`prices`, closes or OHLC bars), ' +
      'optionally only up to `asOf`: annualised volatility, max drawdown, 1-day historical VaR/ES and, for OHLC bars, the range-based volatility ' +
      "estimators, plus the champion model's risk level. " +
      'Every answer, including refusals, is written to the audit table under `requestId`. See docs/api.md.',
    requestSchema: RiskInstrumentRequestSchema,
    responseSchema: RiskInstrumentResponseSchema,
    audited: true,
    problems: [400, 404, 405, 413, 415, 422, 500, 503],
    problemNotes: {
      404: 'Unknown route, or the data lake has no prices for `symbol`.',
      422: 'The history is valid but too short for the model (or lacks an input the model needs), or has no price on or before `asOf`.',
      503: 'No champion model has been promoted yet, or every lake object of `symbol` is corrupt (the detail names each object and why).',
    },
  },
  {
    method: 'GET',
    path: '/v1/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This OpenAPI document',
    description: 'The OpenAPI 3.1 document of the API, generated from the same schemas that validate requests (equal to docs/openapi.json).',
    responseSchema: OpenApiDocumentSchema,
    audited: true,
    problems: [500],
  },
  {
    method: 'GET',
    path: '/health',
    operationId: 'getHealth',
    summary: 'Liveness, and whether a champion model is loaded',
    description:
      'Answers 200 while the function is up. `champion` is the model the scoring routes answer with, loaded (artifact read and parsed); ' +
      'null when none has been promoted yet. Outside `/v1`: it describes the deployment, not the API contract.',
    responseSchema: HealthResponseSchema,
    audited: true,
    problems: [500],
  },
  {
    method: 'GET',
    path: '/v1/models',
    operationId: 'listModels',
    summary: 'Model versions in the registry, newest first',
    description:
      'A page of registry versions with their status (candidate, awaiting-approval, approved, champion, retired, rejected), when they were trained, ' +
      'promoted, retired or approved, and why the gate rejected them. Pass `nextCursor` as `cursor` for the next page. ' +
      '`GET /v1/models/{version}` has the metrics, data window and features.',
    querySchema: ModelListQuerySchema,
    responseSchema: ModelListResponseSchema,
    audited: true,
    problems: [400, 500],
    problemNotes: {
      400: 'A query parameter is invalid (`limit` outside 1–100, unknown `status`, a `cursor` this listing did not issue, an unknown parameter).',
    },
  },
  {
    method: 'GET',
    path: '/v1/models/champion',
    operationId: 'getChampionModel',
    summary: 'The champion model: the version the scoring routes answer with',
    description:
      'The champion in full, as `GET /v1/models/{version}` gives it: status, evaluation against the baselines, data window and fingerprint, ' +
      'features, label rule (thresholds) and promotion history.',
    responseSchema: ModelRegistryEntrySchema,
    audited: true,
    problems: [404, 500],
    problemNotes: { 404: 'No model has been promoted to champion yet.' },
  },
  {
    method: 'GET',
    path: '/v1/models/{version}',
    operationId: 'getModelVersion',
    summary: 'One model version in full',
    description:
      'Status, the evaluation the training workflow recorded (model and baseline scores, the promotion gate), the data window and fingerprint, ' +
      'features and label rule from the artifact, approval, and the promotions that made or replaced it.',
    responseSchema: ModelRegistryEntrySchema,
    audited: true,
    problems: [400, 404, 500],
    problemNotes: { 400: 'The version is not well formed.', 404: 'The registry has no such version (the detail names it).' },
  },
  {
    method: 'GET',
    path: '/v1/models/{version}/card',
    operationId: 'getModelCard',
    summary: 'The model card of one version: an HTML page, or JSON with ?format=json',
    description:
      'Intended and out-of-scope uses, owner, data window and fingerprint, features, label rule, the walk-forward evaluation against every ' +
      'baseline and the champion (pooled and per fold), confusion matrix, reliability bins, per-class precision and recall, impurity and ' +
      'permutation importance, limitations and the promotion gate, as the training workflow stored it when the gate decided; the approval ' +
      "block is the registry's status now. `text/html` by default (one self-contained page with charts, no script); `?format=json` gives the card. See docs/model.md.",
    querySchema: ModelCardQuerySchema,
    responseSchema: ModelCardSchema,
    htmlPage: true,
    audited: true,
    problems: [400, 404, 500],
    problemNotes: {
      400: 'The version is not well formed, or `format` is neither `html` nor `json`.',
      404: 'The registry has no such version, or the version has no model card (trained before model cards existed, or its run has not reached the promotion gate yet).',
    },
  },
  {
    method: 'POST',
    path: '/v1/risk/portfolio',
    operationId: 'scorePortfolio',
    summary: 'Risk of a weighted portfolio, with each holding’s and the portfolio’s model risk level',
    description:
      'Holdings from the data lake (`symbol`) and/or given as price histories, with weights or quantities: volatility, Gaussian and historical ' +
      'VaR/ES with marginal and component (Euler) parts per holding, diversification ratio, covariance sample/EWMA/Ledoit–Wolf (the numbers of ' +
      '`riskfn portfolio --json`), plus the champion model’s risk level of each holding and of the constant-weight portfolio. See docs/api.md.',
    requestSchema: RiskPortfolioRequestSchema,
    responseSchema: RiskPortfolioResponseSchema,
    audited: true,
    problems: [400, 404, 405, 413, 415, 422, 500, 503],
    problemNotes: {
      400: 'The body is invalid, or the weights do not sum to 1 and `normalize` is not true (`errors` names `/holdings`).',
      404: 'Unknown route, or the data lake has no prices for a holding’s symbol (`errors` names `/holdings/<i>/symbol`).',
      422: 'The holdings share too few dates for the risk numbers or the model (the detail says how many), or the portfolio cannot be valued.',
      503: 'No champion model has been promoted yet, or every lake object of a holding’s symbol is corrupt.',
    },
  },
  {
    method: 'POST',
    path: '/v1/risk/backtest',
    operationId: 'backtestVar',
    summary: 'Backtest of a rolling VaR: exceptions, Kupiec, Christoffersen, Basel traffic light',
    description:
      'Forecasts a 1-day VaR (historical, Gaussian, Cornish–Fisher or EWMA) for each period from the previous `window` returns of a lake symbol ' +
      'or a price history, and tests the exceptions (the numbers of `riskfn backtest --json`, with the exception dates). No model is involved. See docs/api.md.',
    requestSchema: RiskBacktestRequestSchema,
    responseSchema: RiskBacktestResponseSchema,
    audited: true,
    problems: [400, 404, 405, 413, 415, 422, 500, 503],
    problemNotes: {
      404: 'Unknown route, or the data lake has no prices for `symbol`.',
      422: 'The history has fewer than `window` + 2 returns (the detail says how many it has and needs).',
      503: 'Every lake object of `symbol` is corrupt (the detail names each object and why).',
    },
  },
  {
    method: 'GET',
    path: '/v1/audit/{requestId}',
    operationId: 'getAuditRecord',
    summary: 'One audit item: what the API answered to a request, and to whom',
    description:
      'The audit item of a request id (every answer of the API has one): route, status, caller, hashes and excerpt of the request, ' +
      'model version, symbol, and the answer body (`result`), or `resultRef` (S3 key, SHA-256, size) when the body was too large for the item. See docs/api.md.',
    responseSchema: AuditItemResponseSchema,
    audited: true,
    problems: [404, 500],
    problemNotes: { 404: 'No audit item has this request id.' },
  },
  {
    method: 'GET',
    path: '/v1/audit',
    operationId: 'listAuditRecords',
    summary: 'Audit items of one symbol or one model version, newest first',
    description:
      'A page of the audit items about `symbol` or answered by `modelVersion` (exactly one of the two), optionally between `from` and `to` ' +
      '(UTC days, inclusive), read through a DynamoDB index. Items are listed without the answer body: fetch one with `GET /v1/audit/{requestId}`. ' +
      'Pass `nextCursor` as `cursor` for the next page.',
    querySchema: AuditQuerySchema,
    responseSchema: AuditListResponseSchema,
    audited: true,
    problems: [400, 500],
    problemNotes: {
      400: 'Neither or both of `symbol` and `modelVersion`, a malformed date, `to` before `from`, `limit` outside 1–100, a `cursor` this listing did not issue, or an unknown parameter.',
    },
  },
] as const satisfies readonly ApiRouteSpec[];

/** The operationId of a route in {@link API_ROUTES}. */
export type OperationId = (typeof API_ROUTES)[number]['operationId'];

/** The `{name}` parameters of a path template, in order: `/v1/models/{version}` → `['version']`. */
export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{([^/{}]+)\}/g)].map((m) => m[1]);
}
