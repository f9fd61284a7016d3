/**
 * The request limits (lib/schemas/request-limits.ts) checked on the raw body before any route
 * parses it: body size (413), nesting depth and key length (400), each refused with a problem
 * document naming the limit. The depth and key checks are one linear scan of the text that
 * never builds a value, so a 4,000-deep or 300 KB-key body costs what its length costs and
 * never reaches JSON.parse, zod or the canonical JSON hash.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { REQUEST_LIMITS } from '../../lib/schemas/request-limits.ts';
import { LimitExceededError } from './errors.ts';
import { bodyBytes } from './request-hash.ts';

/** The deepest nesting and the longest object key of a JSON text. */
export interface JsonShape {
  /** Objects and arrays open at once at the deepest point (a scalar body is 0, `{}` is 1). */
  depth: number;
  /** Length of the longest object key, in UTF-16 code units of the decoded key. */
  longestKey: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

const isJsonSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * Measures a JSON text without parsing it. Works on any text: for malformed JSON the numbers
 * describe the part that looks like JSON, and the parser reports the rest afterwards. A string
 * is a key when the next non-blank character after it is `:`.
 */
export function jsonShape(text: string): JsonShape {
  let depth = 0;
  let maxDepth = 0;
  let longestKey = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let length = 0;
      i++;
      while (i < n) {
        const s = text.charCodeAt(i);
        if (s === QUOTE) break;
        // An escape is one code unit once decoded: `\uXXXX` spans six characters, the others two.
        i += s === BACKSLASH ? (text.charCodeAt(i + 1) === 0x75 ? 6 : 2) : 1;
        length++;
      }
      i++;
      let j = i;
      while (j < n && isJsonSpace(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) === COLON && length > longestKey) longestKey = length;
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > maxDepth) maxDepth = depth;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
    i++;
  }
  return { depth: maxDepth, longestKey };
}

/** Throws {@link LimitExceededError} for the first limit the request exceeds: size, then depth, then key length. */
export function checkRequestLimits(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): void {
  if (typeof event.body !== 'string' || event.body === '') return;
  const bytes = event.isBase64Encoded ? bodyBytes(event) : undefined;
  const size = bytes?.length ?? Buffer.byteLength(event.body, 'utf8');
  if (size > REQUEST_LIMITS.bodyBytes) {
    throw new LimitExceededError(
      { name: 'bodyBytes', max: REQUEST_LIMITS.bodyBytes, actual: size },
      `the body is ${size} bytes; the limit is ${REQUEST_LIMITS.bodyBytes} bytes`,
    );
  }
  const shape = jsonShape(bytes ? bytes.toString('utf8') : event.body);
  if (shape.depth > REQUEST_LIMITS.depth) {
    throw new LimitExceededError(
      { name: 'depth', max: REQUEST_LIMITS.depth, actual: shape.depth },
      `the body nests objects and arrays ${shape.depth} deep; the limit is ${REQUEST_LIMITS.depth}`,
    );
  }
  if (shape.longestKey > REQUEST_LIMITS.keyLength) {
    throw new LimitExceededError(
      { name: 'keyLength', max: REQUEST_LIMITS.keyLength, actual: shape.longestKey },
      `the body has a key ${shape.longestKey} characters long; the limit is ${REQUEST_LIMITS.keyLength}`,
    );
  }
}

/** The limits as a middleware: register it after the audit trail (so refusals are audited) and before anything that parses the body. */
export function requestLimits(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context> {
  return {
    before: (request) => {
      checkRequestLimits(request.event);
    },
  };
}
