import type { CrewPlanRecord } from '../../server/repositories/crew-plan.repository.js';

/**
 * A crew plan as the store holds it, for tests that write plans straight to the repository: a Bromley
 * borough draft for 23 November 2026 with an empty scenario and no plan, unless `over` says otherwise.
 */
export const buildPlanRecord = (id: string, over: Partial<CrewPlanRecord> = {}): CrewPlanRecord => ({
  id,
  force: 'MPS',
  bcu: 'SN',
  borough: 'BROM',
  unit: { level: 'borough', id: 'BROM' },
  from: '2026-11-23',
  to: '2026-11-23',
  status: 'draft',
  startedAt: new Date('2026-11-22T10:00:00Z'),
  progress: null,
  error: null,
  scenario: { version: 1, policy: { name: 'revised' }, shifts: [], officers: [], devices: [] },
  plan: null,
  locks: [],
  basedOn: null,
  createdBy: 'planner.bromley',
  publishedBy: null,
  publishedAt: null,
  publishReason: null,
  revision: 0,
  ...over,
});
