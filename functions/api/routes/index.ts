/**
 * The handler factory of every route in the route table (lib/schemas/api-routes.ts), by
 * operationId. The record's type requires one factory per operationId, so a route added to the
 * table without a handler (or a handler without a route) does not compile.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { OperationId } from '../../../lib/schemas/api-routes.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { auditListRoute } from './audit-list.ts';
import { auditRecordRoute } from './audit-record.ts';
import { healthRoute } from './health.ts';
import { modelsChampionRoute } from './models-champion.ts';
import { modelsListRoute } from './models-list.ts';
import { modelsVersionRoute } from './models-version.ts';
import { openApiRoute } from './openapi.ts';
import { riskBacktestRoute } from './risk-backtest.ts';
import { riskInstrumentRoute } from './risk-instrument.ts';
import { riskPortfolioRoute } from './risk-portfolio.ts';

/** A route's handler: a middy handler (or any function of the same shape). */
export type RouteHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** Builds a route's handler from the API's dependencies (once per container). */
export type RouteFactory = (deps: ApiDependencies) => RouteHandler;

export const ROUTE_FACTORIES: Record<OperationId, RouteFactory> = {
  getAuditRecord: auditRecordRoute,
  listAuditRecords: auditListRoute,
  scoreInstrument: riskInstrumentRoute,
  scorePortfolio: riskPortfolioRoute,
  backtestVar: riskBacktestRoute,
  getOpenApiDocument: openApiRoute,
  getHealth: healthRoute,
  listModels: modelsListRoute,
  getChampionModel: modelsChampionRoute,
  getModelVersion: modelsVersionRoute,
};
