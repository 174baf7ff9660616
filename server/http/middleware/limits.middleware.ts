import type { Duplex } from 'node:stream';
import type { NextFunction, Request, Response } from 'express';

/** The longest URL (path and query) the API reads; longer ones are answered 414 `uri_too_long`. */
export const MAX_URL_LENGTH = 8 * 1024;
/** How deep a JSON body may nest; deeper is answered 400 `invalid_body`. */
export const MAX_BODY_DEPTH = 64;
/** The JSON body limit of express.json. */
export const MAX_BODY_BYTES = '5mb';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Why a key may not appear in a body, or null when it may. */
export function unsafeKey(key: string): string | null {
  if (key.startsWith('$')) return 'keys may not start with $';
  if (key.includes('.')) return 'keys may not contain a dot';
  if (FORBIDDEN_KEYS.has(key)) return `${key} is a reserved name`;
  return null;
}

/**
 * The first problem with a parsed JSON body: a key the store would read as an operator or a path (`$where`,
 * `a.b`), a prototype key, or nesting deeper than MAX_BODY_DEPTH. Walks iteratively, so a hostile depth
 * cannot exhaust the stack.
 */
export function bodyProblem(body: unknown, maxDepth = MAX_BODY_DEPTH): string | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: body, path: 'body', depth: 0 }];
  while (stack.length) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= maxDepth) return `${path}: nested more than ${maxDepth} levels deep`;
    if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, path: `${path}[${i}]`, depth: depth + 1 }));
      continue;
    }
    for (const key of Object.keys(value)) {
      const why = unsafeKey(key);
      if (why) return `${path}: key ${JSON.stringify(key.slice(0, 64))} is not allowed (${why})`;
      stack.push({ value: (value as Record<string, unknown>)[key], path: `${path}.${key}`, depth: depth + 1 });
    }
  }
  return null;
}

/** Refuses, before any route, a JSON body with operator, dotted or prototype keys or too deep a nesting. */
export function checkBody(req: Request, res: Response, next: NextFunction): void {
  const problem = bodyProblem(req.body);
  if (problem) {
    res.status(400).json({ error: { id: 'invalid_body', message: `The request body was refused: ${problem}.` } });
    return;
  }
  next();
}

/** Refuses a URL longer than MAX_URL_LENGTH with our JSON error, before anything reads it. */
export function limitUrl(req: Request, res: Response, next: NextFunction): void {
  if (req.originalUrl.length > MAX_URL_LENGTH) {
    res.status(414).json({
      error: { id: 'uri_too_long', message: `The URL is longer than ${MAX_URL_LENGTH} characters.` },
    });
    return;
  }
  next();
}

/**
 * The HTTP server's `clientError` handler: a request whose head Node refuses to parse (a 100k-character
 * query overflows the header limit before express sees it) gets a JSON error instead of an empty 431/400.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const [status, body] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [
          '431 Request Header Fields Too Large',
          { id: 'request_head_too_large', message: 'The URL or headers are too long.' },
        ]
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ['408 Request Timeout', { id: 'request_timeout', message: 'The request took too long to arrive.' }]
        : ['400 Bad Request', { id: 'bad_request', message: 'The request could not be read.' }];
  const text = JSON.stringify({ error: body });
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}
