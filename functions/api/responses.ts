import type { APIGatewayProxyResult } from 'aws-lambda';

/** A JSON success response. */
export function jsonResponse(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}
