import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bodyProblem } from '../../../../server/http/middleware/limits.middleware.js';

describe('body check', () => {
  it('accepts ordinary nested JSON', () => {
    assert.equal(bodyProblem({ a: [{ b: 1, c: 'x.y' }], d: null }), null);
  });
  it('names an operator key and where it is', () => {
    assert.equal(bodyProblem({ a: [{ $gt: 1 }] }), 'body.a[0]: key "$gt" is not allowed (keys may not start with $)');
  });
  it('refuses dotted and prototype keys', () => {
    assert.match(bodyProblem({ 'a.b': 1 })!, /may not contain a dot/);
    assert.match(bodyProblem(JSON.parse('{"__proto__":{"x":1}}'))!, /__proto__ is a reserved name/);
    assert.match(bodyProblem({ x: { prototype: 1 } })!, /prototype is a reserved name/);
  });
  it('refuses nesting beyond the limit without exhausting the stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    assert.match(bodyProblem(deep)!, /nested more than 64 levels deep/);
    assert.equal(bodyProblem(JSON.parse(`${'['.repeat(64)}${']'.repeat(64)}`)), null);
  });
});
