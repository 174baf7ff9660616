/** The one error type services throw: an HTTP status and a stable snake_case id. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: unknown, id = 'validation_failed') {
    super(400, id, message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Log in first.', id = 'unauthenticated') {
    super(401, id, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You may not do that.', id = 'forbidden') {
    super(403, id, message);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string, id = 'not_found') {
    super(404, id, message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, id = 'conflict', details?: unknown) {
    super(409, id, message, details);
  }
}

/** Too many attempts: answered 429 with `Retry-After` (seconds) and the same figure in `details`. */
export class TooManyRequestsError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    id = 'too_many_attempts',
    status = 429,
  ) {
    super(status, id, message, { retryAfterSeconds });
  }
}

/** The wire shape of every error, REST and socket acknowledgements alike. */
export const errorBody = (e: AppError) => ({
  error: { id: e.id, message: e.message, ...(e.details === undefined ? {} : { details: e.details }) },
});

/**
 * The store did not acknowledge: it is down, restarting or unreachable. Nothing was applied (see
 * docs/durability.md); the same request may be sent again once the store is back (`Retry-After`).
 */
export class StoreUnavailableError extends AppError {
  constructor(
    message = 'The database is unavailable; nothing was changed. Try again shortly.',
    readonly retryAfterSeconds = 2,
  ) {
    super(503, 'store_unavailable', message, { retryable: true });
  }
}
