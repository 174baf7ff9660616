import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rolesFor } from '../../../shared/auth/permissions.js';
import { CreatePlanSchema } from '../../../shared/schemas/crew-plan.schema.js';
import { ERROR_STATUS, openApiDocument, ROUTES } from '../../../server/http/openapi.js';
import { apiRouter } from '../../../server/http/routes/index.js';

type Layer = {
  route?: { path: string; methods: Record<string, boolean> };
  regexp: RegExp & { fast_slash?: boolean };
  handle: { stack?: Layer[] };
};

/** Every `METHOD /path` the express API router answers, `:param` written `{param}`, as the spec writes it. */
function expressRoutes(): string[] {
  // The routers only keep references to the services; nothing is called while building them.
  const anything: unknown = new Proxy(function () {}, {
    get: (_t, p) => (p === Symbol.iterator || p === 'then' ? undefined : anything),
  });
  const router = apiRouter(anything as never, anything as never, anything as never) as unknown as { stack: Layer[] };
  const out: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const l of stack) {
      if (l.route)
        for (const m of Object.keys(l.route.methods)) {
          const path = `${prefix}${l.route.path}`.replace(/\/$/, '').replace(/:(\w+)/g, '{$1}');
          out.push(`${m.toUpperCase()} ${path}`);
        }
      else if (l.handle.stack) {
        const mount = l.regexp.fast_slash
          ? ''
          : l.regexp.source
              .replace(/^\^/, '')
              .replace(/\\\/\?\(\?=\\\/\|\$\)$/i, '')
              .replace(/\\\//g, '/');
        walk(l.handle.stack, prefix + mount);
      }
    }
  };
  walk(router.stack, '');
  return out.sort();
}

const doc = openApiDocument();
type Operation = { description: string; responses: Record<string, { content?: Record<string, { schema: unknown }> }> };
const op = (method: string, path: string) => (doc.paths as Record<string, Record<string, Operation>>)[path]![method]!;

describe('the OpenAPI description', () => {
  it('describes exactly the routes the API answers (besides its own /openapi.json and /docs)', () => {
    const described = Object.entries(doc.paths ?? {})
      .flatMap(([path, ops]) => Object.keys(ops as object).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    const served = expressRoutes().filter((r) => !/^GET \/(openapi\.json|docs)/.test(r));
    assert.deepEqual(described, served);
    assert.ok(served.length > 50, `the router walk found only ${served.length} routes`);
  });

  it('lists the roles of the permission matrix in each operation', () => {
    assert.match(op('get', '/users').description, /^Roles: admin \(permission `users:read`/);
    assert.match(
      op('post', '/custody/issue').description,
      new RegExp(`^Roles: ${rolesFor('custody', 'write').join(', ')} \\(`),
    );
    assert.equal(rolesFor('custody', 'write').join(', '), 'armourer, admin');
    assert.match(op('get', '/health').description, /^Public: no login needed\./);
    assert.match(op('get', '/auth/me').description, /^Roles: any logged-in user\./);
  });

  it('answers every error status with the one error shape and names its ids', () => {
    const publish = op('post', '/plans/{id}/publish');
    assert.deepEqual(Object.keys(publish.responses).sort(), [
      '200',
      '400',
      '401',
      '403',
      '404',
      '409',
      '413',
      '414',
      '415',
      '500',
      '503',
    ]);
    assert.deepEqual(publish.responses['409']!.content!['application/json']!.schema, {
      $ref: '#/components/schemas/Error',
    });
    assert.match(publish.description, /`plan_not_draft` \(409\)/);
    assert.match(publish.description, /`plan_already_published` \(409\)/);
    assert.match(publish.description, /`reason_required` \(400\)/);
    assert.match(publish.description, /`store_unavailable` \(503\)/);
    for (const r of ROUTES) for (const id of r.errors ?? []) assert.ok(ERROR_STATUS[id], `${id} has a status`);
  });

  it('takes request bodies from the shared zod schemas the routes parse', () => {
    const body = (op('post', '/plans') as unknown as { requestBody: { content: Record<string, { schema: unknown }> } })
      .requestBody.content['application/json']!.schema as { properties: object; required: string[] };
    assert.deepEqual(
      Object.keys(body.properties).sort(),
      Object.keys(CreatePlanSchema.innerType().innerType().shape).sort(),
    );
    assert.deepEqual(body.required.sort(), ['from', 'to', 'unit']);
  });
});
