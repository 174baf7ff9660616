import bcrypt from 'bcryptjs';
import { DateTime } from 'luxon';
import { LONDON } from '../../shared/time/zone.js';
import { log } from '../logger.js';
import { allModels } from '../models/index.js';
import { repositories as repos } from '../repositories/index.js';
import { BCRYPT_ROUNDS } from '../services/user.service.js';
import { buildDemoForce, DEMO_ACCOUNTS, type DemoAccount, type DemoScale } from './demo-force.js';

/** Writes the demo force and its accounts into the connected database (which should be empty). */
export async function seedDemo(opts: { scale: DemoScale; now: Date; seed?: number }): Promise<DemoAccount[]> {
  const today = DateTime.fromJSDate(opts.now, { zone: LONDON }).toISODate()!;
  const demo = buildDemoForce(opts.scale, today, opts.seed);
  await repos.forces.insertMany([demo.force]);
  await repos.bcus.insertMany(demo.bcus);
  await repos.boroughs.insertMany(demo.boroughs);
  await repos.stations.insertMany(demo.stations);
  await repos.shiftDefinitions.insertMany(demo.shiftDefinitions);
  await repos.teams.insertMany(demo.teams);
  for (let i = 0; i < demo.officers.length; i += 1000)
    await repos.officers.insertMany(demo.officers.slice(i, i + 1000));
  await repos.devices.insertMany(demo.devices);
  await repos.abstractions.insertMany(demo.abstractions);
  const users = await Promise.all(
    DEMO_ACCOUNTS.map(async ({ password, ...a }) => ({
      ...a,
      force: demo.force.id,
      demo: true,
      passwordHash: await bcrypt.hash(password, BCRYPT_ROUNDS),
    })),
  );
  await repos.users.insertMany(users);
  log.info(
    `demo force (${opts.scale}): ${demo.stations.length} stations, ${demo.officers.length} officers, ${demo.devices.length} devices`,
  );
  return DEMO_ACCOUNTS;
}

/** Seeds the BCU demo when the database holds no force yet; returns the demo accounts it created. */
export async function seedDemoIfEmpty(opts: { scale: DemoScale; now: Date }): Promise<DemoAccount[] | null> {
  if ((await repos.forces.count({})) > 0) return null;
  return seedDemo(opts);
}

/** Empties every collection the app owns. */
export async function wipeDatabase(): Promise<void> {
  for (const m of allModels) await m.deleteMany({});
}
