import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OrgView } from '../../../shared/schemas/org.schema.js';
import { unitsWithin } from '../../../client/src/units.js';

const org: OrgView = {
  force: { id: 'MPS', name: 'Metropolitan' },
  bcus: [{ id: 'SN', name: 'South', force: 'MPS' }],
  boroughs: [
    { id: 'BROM', name: 'Bromley', force: 'MPS', bcu: 'SN' },
    { id: 'CROY', name: 'Croydon', force: 'MPS', bcu: 'SN' },
  ],
  stations: [
    { id: 'BR', name: 'Bromley', force: 'MPS', bcu: 'SN', borough: 'BROM' },
    { id: 'CR', name: 'Croydon', force: 'MPS', bcu: 'SN', borough: 'CROY' },
  ],
};
const ids = (scope: Parameters<typeof unitsWithin>[1]) => unitsWithin(org, scope).map((u) => `${u.level}:${u.id}`);

describe('units a user may pick', () => {
  it('offers a station user their station and not the borough or BCU around it', () => {
    assert.deepEqual(ids({ level: 'station', id: 'BR' }), ['station:BR']);
  });
  it('offers a borough user their borough and its stations only', () => {
    assert.deepEqual(ids({ level: 'borough', id: 'BROM' }), ['borough:BROM', 'station:BR']);
  });
  it('offers a BCU user the BCU, its boroughs and their stations', () => {
    assert.deepEqual(ids({ level: 'bcu', id: 'SN' }), [
      'bcu:SN',
      'borough:BROM',
      'borough:CROY',
      'station:BR',
      'station:CR',
    ]);
  });
  it('offers a force user the force first, then BCUs, boroughs and stations, with labels', () => {
    assert.deepEqual(
      unitsWithin(org, { level: 'force', id: 'MPS' }).map((u) => u.label),
      ['Force Metropolitan', 'BCU South', 'Borough Bromley', 'Borough Croydon', 'Station Bromley', 'Station Croydon'],
    );
  });
});
