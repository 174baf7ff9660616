import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../client/src/api.js';
import { formErrors } from '../../../client/src/pages/admin/admin-kit.js';

const FIELDS = ['collar', 'team', 'taser.lastTrained', 'taser.models'] as const;

describe('formErrors: API refusals mapped onto a form', () => {
  it('puts each zod issue against the input named by its path, or the nearest enclosing one', () => {
    const e = new ApiError(400, 'validation_failed', 'Invalid body: …', {
      issues: [
        { path: 'collar', message: 'expected a collar number such as PC1234 or 1234' },
        { path: 'taser.models.1', message: 'Invalid enum value' },
        { path: 'taser.models', message: 'Array must contain at most 3 element(s)' },
      ],
    });
    assert.deepEqual(formErrors(e, FIELDS), {
      top: 'Please correct the fields marked below.',
      fields: {
        collar: 'expected a collar number such as PC1234 or 1234',
        'taser.models': 'Invalid enum value; Array must contain at most 3 element(s)',
      },
    });
  });

  it('puts a service refusal with details.path against that field, with the error’s message', () => {
    const e = new ApiError(400, 'unknown_team', 'There is no team BR-Z at station BR.', { path: 'team' });
    assert.deepEqual(formErrors(e, FIELDS).fields, { team: 'There is no team BR-Z at station BR.' });
  });

  it('shows at the top an issue that names no input, with the message and id', () => {
    const e = new ApiError(400, 'validation_failed', 'Invalid body: body: unknown field(s): colour', {
      issues: [{ path: 'body', message: 'unknown field(s): colour' }],
    });
    assert.deepEqual(formErrors(e, FIELDS), {
      top: 'Invalid body: body: unknown field(s): colour (validation_failed)',
      fields: {},
    });
  });

  it('puts a duplicate against the key field only when the form names one', () => {
    const e = new ApiError(409, 'officer_exists', 'A officer with collar PC1004 already exists.');
    assert.deepEqual(formErrors(e, FIELDS, 'collar').fields, {
      collar: 'A officer with collar PC1004 already exists.',
    });
    assert.deepEqual(formErrors(e, FIELDS), {
      top: 'A officer with collar PC1004 already exists. (officer_exists)',
      fields: {},
    });
  });

  it('says the server could not be reached for a network failure', () => {
    assert.deepEqual(formErrors(new TypeError('fetch failed'), FIELDS), {
      top: 'Could not reach the server.',
      fields: {},
    });
  });
});
