/** The shape of a route's handler and of its factory (kept apart from ./index.ts, which imports every route). */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { ApiDependencies } from '../dependencies.ts';

/** A route's handler: a middy handler (or any function of the same shape). */
export type RouteHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** Builds a route's handler from the API's dependencies (once per container). */
export type RouteFactory = (deps: ApiDependencies) => RouteHandler;
