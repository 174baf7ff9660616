import { DateTime } from 'luxon';
import { authorisationExpiry } from '../../shared/rules/authorisation.js';
import { isServiceable } from '../../shared/schemas/device.schema.js';
import type {
  AuthorisationReport,
  AuthorisationReportQuery,
  AuthorisationRow,
  AuthorisationTotals,
} from '../../shared/schemas/report.schema.js';
import type { Actor } from '../../shared/schemas/user.schema.js';
import { LONDON } from '../../shared/time/zone.js';
import type { Repositories } from '../repositories/index.js';
import { requireRole, scopedFilter } from './access.js';
import type { ForceSettingsReader } from './force-settings.service.js';

const blank = (unit: string): AuthorisationTotals => ({
  unit,
  officers: 0,
  authorised: 0,
  inDate: 0,
  lapsing: 0,
  lapsed: 0,
  suspended: 0,
  devices: 0,
  serviceableDevices: 0,
});

/**
 * The borough lead's view of authorisations: who has lapsed, who lapses within `days`, who is suspended,
 * and per station how many may carry against how many devices there are.
 */
export function createAuthorisationReportService(
  repos: Repositories,
  clock: () => Date,
  settings: ForceSettingsReader,
) {
  return {
    async report(actor: Actor, q: Omit<AuthorisationReportQuery, 'format'>): Promise<AuthorisationReport> {
      requireRole(actor, 'reports', 'read');
      const { days, ...where } = q;
      const filter = await scopedFilter(repos, actor, where);
      const [officers, devices, { policy }] = await Promise.all([
        repos.officers.find(filter),
        repos.devices.find(filter),
        settings.current(actor.force),
      ]);
      const now = DateTime.fromJSDate(clock(), { zone: LONDON });
      const horizon = now.plus({ days });
      const totals = blank(`${actor.scope.level}:${actor.scope.id}`);
      const stations = new Map<string, AuthorisationTotals>();
      const at = (station: string) => stations.get(station) ?? stations.set(station, blank(station)).get(station)!;
      const rows: AuthorisationRow[] = [];
      for (const d of devices) {
        for (const t of [totals, at(d.station)]) {
          t.devices += d.state === 'retired' ? 0 : 1;
          t.serviceableDevices += isServiceable(d.state) ? 1 : 0;
        }
      }
      for (const o of officers) {
        const counts = [totals, at(o.station)];
        for (const t of counts) t.officers += 1;
        if (!o.taser) continue;
        const expiry = authorisationExpiry(o.taser.lastTrained, policy.authorisationMonths, LONDON);
        const status = o.taser.suspended
          ? 'suspended'
          : expiry <= now
            ? 'lapsed'
            : expiry <= horizon
              ? 'lapsing'
              : null;
        for (const t of counts) {
          t.authorised += 1;
          if (status === 'suspended') t.suspended += 1;
          else if (status === 'lapsed') t.lapsed += 1;
          else {
            t.inDate += 1;
            if (status === 'lapsing') t.lapsing += 1;
          }
        }
        if (status)
          rows.push({
            collar: o.collar,
            name: o.name,
            rank: o.rank,
            station: o.station,
            borough: o.borough,
            team: o.team,
            lastTrained: o.taser.lastTrained,
            models: o.taser.models,
            lapses: expiry.toISODate()!,
            daysLeft: Math.ceil(expiry.diff(now, 'days').days),
            status,
          });
      }
      rows.sort((a, b) => a.lapses.localeCompare(b.lapses) || a.collar.localeCompare(b.collar));
      return {
        asOf: now.toUTC().toISO()!,
        days,
        totals,
        stations: [...stations.values()].sort((a, b) => a.unit.localeCompare(b.unit)),
        officers: rows,
      };
    },
  };
}

const csvCell = (v: unknown): string => {
  const s = Array.isArray(v) ? v.join(' ') : String(v);
  // Quote every cell, and neutralise spreadsheet formulas.
  return `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"`;
};

/** The officers of a report as CSV, one row each, for spreadsheets and returns. */
export function authorisationCsv(r: AuthorisationReport): string {
  const cols: (keyof AuthorisationRow)[] = [
    'collar',
    'name',
    'rank',
    'station',
    'borough',
    'team',
    'lastTrained',
    'models',
    'lapses',
    'daysLeft',
    'status',
  ];
  return [cols.join(','), ...r.officers.map((o) => cols.map((c) => csvCell(o[c])).join(','))].join('\r\n') + '\r\n';
}
