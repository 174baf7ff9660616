import type { ErrorBody } from '../../shared/schemas/common.schema.js';
import type { User } from '../../shared/schemas/user.schema.js';

const TOKEN_KEY = 'taser.token';
const USER_KEY = 'taser.user';
/** Fired on window when the server refuses the session (expired or revoked login). */
export const SESSION_EXPIRED = 'taser:session-expired';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const session = {
  token: (): string | null => localStorage.getItem(TOKEN_KEY),
  user: (): User | null => {
    const raw = localStorage.getItem(USER_KEY);
    return raw ? (JSON.parse(raw) as User) : null;
  },
  save(token: string, user: User): void {
    localStorage.setItem(TOKEN_KEY, token);
    localStorage.setItem(USER_KEY, JSON.stringify(user));
  },
  clear(): void {
    localStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(USER_KEY);
  },
};

/** Ends a session the server refused (REST 401 or a socket's refused handshake): the app shows the login. */
export function expireSession(): void {
  session.clear();
  window.dispatchEvent(new Event(SESSION_EXPIRED));
}

/** Error ids the server gives a missing, expired or revoked login (REST 401 and socket `connect_error`). */
export const isSessionRefusal = (id: string | undefined): boolean =>
  id === 'unauthenticated' || id === 'invalid_token' || id === 'session_revoked';

/**
 * Calls the REST API with the session's token; errors arrive as ApiError with the server's error id. A 401
 * ends the session and tells the app, which shows the login and then returns to the same page.
 */
export async function api<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = {};
  const token = session.token();
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`/api${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
  if (res.status === 204) return undefined as T;
  const data: unknown = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = (data as Partial<ErrorBody>).error;
    if (res.status === 401 && token && !path.startsWith('/auth/login')) expireSession();
    throw new ApiError(res.status, err?.id ?? 'http_error', err?.message ?? `HTTP ${res.status}`, err?.details);
  }
  return data as T;
}

/** A refusal or failure as a person reads it: the server's sentence and its id, or a network failure. */
export const errorText = (e: unknown): string =>
  e instanceof ApiError ? `${e.message} (${e.id})` : 'Could not reach the server.';

/** True for a request abandoned because its page was left. */
export const isAbort = (e: unknown): boolean => e instanceof DOMException && e.name === 'AbortError';

/**
 * Downloads what `path` (under /api) answers as the file `name` (CSV exports): with the session's token, ending
 * the session on a 401. Rejects on any other failure (an abort rejects too: check with `isAbort`).
 */
export async function downloadFile(path: string, name: string, signal?: AbortSignal): Promise<void> {
  const res = await fetch(`/api${path}`, {
    headers: { authorization: `Bearer ${session.token() ?? ''}` },
    signal,
  });
  if (res.status === 401) expireSession();
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(await res.blob());
  a.download = name;
  a.click();
  URL.revokeObjectURL(a.href);
}
