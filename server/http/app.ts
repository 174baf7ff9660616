import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Database } from '../db/connection.js';
import type { Repositories } from '../repositories/index.js';
import type { Services } from '../services/index.js';
import { errorHandler, notFound, requireJson, storeGate } from './middleware/error.middleware.js';
import { checkBody, limitUrl, MAX_BODY_BYTES } from './middleware/limits.middleware.js';
import { apiRouter } from './routes/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLIENT_DIST = join(ROOT, 'dist', 'client');

/** The express app: JSON API under /api, the built client everywhere else. */
export function createApp(
  services: Services,
  repos: Repositories,
  db: Pick<Database, 'kind' | 'connection' | 'ping'>,
): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: { 'connect-src': ["'self'", 'ws:', 'wss:'], 'upgrade-insecure-requests': null },
      },
    }),
  );
  app.use(
    '/api',
    storeGate,
    limitUrl,
    requireJson,
    express.json({ limit: MAX_BODY_BYTES, strict: true }),
    checkBody,
    apiRouter(services, repos, db),
  );
  app.use('/api', notFound);
  if (existsSync(CLIENT_DIST)) {
    app.use(express.static(CLIENT_DIST, { index: 'index.html' }));
    app.get('*', (_req, res) => res.sendFile(join(CLIENT_DIST, 'index.html')));
  }
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
