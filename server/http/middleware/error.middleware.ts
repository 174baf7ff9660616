import type { NextFunction, Request, Response } from 'express';
import { asClientError, storeHealth } from '../../db/store-health.js';
import { AppError, errorBody, StoreUnavailableError, TooManyRequestsError } from '../../errors.js';
import { log } from '../../logger.js';

type BodyParserError = Error & { type?: string; status?: number };

/** Sends an application error; a 503 `store_unavailable` carries `Retry-After`. */
export function sendAppError(res: Response, err: AppError): void {
  if (err instanceof StoreUnavailableError || err instanceof TooManyRequestsError)
    res.setHeader('Retry-After', String(err.retryAfterSeconds));
  res.status(err.status).json(errorBody(err));
}

/** Turns anything thrown into the one error shape; unknown errors are logged and never leaked. */
export function errorHandler(thrown: unknown, req: Request, res: Response, _next: NextFunction): void {
  if (res.headersSent) return;
  const err = asClientError(thrown);
  if (err instanceof AppError) {
    sendAppError(res, err);
    return;
  }
  const e = err as BodyParserError;
  if (e?.type === 'entity.parse.failed') {
    res.status(400).json({ error: { id: 'malformed_json', message: 'The request body is not valid JSON.' } });
    return;
  }
  if (e?.type === 'entity.too.large') {
    res.status(413).json({ error: { id: 'payload_too_large', message: 'The request body is too large.' } });
    return;
  }
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    res.status(415).json({ error: { id: 'unsupported_encoding', message: 'Send JSON in UTF-8.' } });
    return;
  }
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    res.status(e.status).json({ error: { id: 'bad_request', message: 'The request could not be read.' } });
    return;
  }
  log.error(`unhandled error on ${req.method} ${req.path}`, { message: e?.message, stack: e?.stack });
  res.status(500).json({ error: { id: 'internal_error', message: 'Something went wrong on our side.' } });
}

export function notFound(req: Request, res: Response): void {
  res.status(404).json({ error: { id: 'route_not_found', message: `No route for ${req.method} ${req.path}.` } });
}

/**
 * While the store is not serving (down, restarting, or recovering), every API request but `/health` is
 * answered 503 `store_unavailable` (with `Retry-After`) at once.
 */
export function storeGate(req: Request, res: Response, next: NextFunction): void {
  if (req.path === '/health' || storeHealth.status().ok) return next();
  sendAppError(res, new StoreUnavailableError());
}

/** Requests that are not JSON where JSON is expected. */
export function requireJson(req: Request, res: Response, next: NextFunction): void {
  if (
    ['POST', 'PUT', 'PATCH'].includes(req.method) &&
    req.headers['content-length'] !== '0' &&
    !req.is('application/json')
  ) {
    res.status(415).json({ error: { id: 'unsupported_media_type', message: 'Send the body as application/json.' } });
    return;
  }
  next();
}
