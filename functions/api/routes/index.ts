/**
 * The handler factory of every route in the route table (lib/schemas/api-routes.ts), by
 * operationId. The record's type requires one factory per operationId, so a route added to the
 * table without a handler (or a handler without a route) does not compile.
 */
import type { OperationId } from '../../../lib/schemas/api-routes.ts';
import { auditListRoute } from './audit-list.ts';
import { auditRecordRoute } from './audit-record.ts';
import { healthRoute } from './health.ts';
import { modelsCardRoute } from './models-card.ts';
import { modelsChampionRoute } from './models-champion.ts';
import { modelsListRoute } from './models-list.ts';
import { modelsVersionRoute } from './models-version.ts';
import { openApiRoute } from './openapi.ts';
import { riskBacktestRoute } from './risk-backtest.ts';
import { riskInstrumentRoute } from './risk-instrument.ts';
import { riskPortfolioRoute } from './risk-portfolio.ts';
import type { RouteFactory } from './route-handler.ts';

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
  getModelCard: modelsCardRoute,
};
