import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_FORCE_SETTINGS } from '../../shared/rules/force-settings.js';

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  MONGODB_URI: z.string().url().optional(),
  /** Database name used on the server MONGODB_URI (or the embedded store) points at. */
  DB_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('taser_planner'),
  /** Where the embedded store keeps its files between runs. */
  DATA_DIR: z.string().default(resolve(process.cwd(), 'data')),
  /** Secret that signs login tokens; a random one per process when unset (tokens then die with it). */
  JWT_SECRET: z.string().min(16).optional(),
  TOKEN_TTL_HOURS: z.coerce.number().positive().default(12),
  REDIS_URL: z.string().url().optional(),
  /** Load the BCU demo force into an empty database on start. */
  SEED_DEMO: z.enum(['0', '1']).default('1'),
  LOG_LEVEL: z.enum(['silent', 'error', 'info', 'debug']).default('info'),
  /**
   * Minimum Taser-equipped units per borough per shift before the control room is alerted, for a force whose
   * admin has not saved its own (`minTaserUnits` of the force settings).
   */
  MIN_TASER_UNITS: z.coerce.number().int().min(0).default(DEFAULT_FORCE_SETTINGS.minTaserUnits),
  /**
   * How often running shifts' cover is recounted without waiting for a booking or custody change, so a
   * shift that starts below the minimum raises its alert; 0 turns the sweep off.
   */
  COVER_SWEEP_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  /**
   * How often closed days are aggregated for cover by hour (seconds; 0 turns it off): each run stores every
   * closed day of the last COVER_BACKFILL_DAYS not stored yet, so a report over past days reads only the
   * aggregate.
   */
  COVER_CLOSE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(900),
  /**
   * Days of unit and custody records (and published crews) cover by hour keeps in memory, so days not yet
   * closed are computed without a store read; 0 turns it off (every open day read from the store).
   */
  COVER_WINDOW_DAYS: z.coerce.number().int().min(0).max(14).default(5),
  /** How far back the cover aggregation reaches (days before today). */
  COVER_BACKFILL_DAYS: z.coerce.number().int().min(1).max(1100).default(400),
  /** How long the live broadcaster gathers changes before sending each room one packet of deltas (ms). */
  /** How often the live read model is snapshotted (seconds; 0 turns periodic snapshots off). */
  LIVE_SNAPSHOT_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /** A snapshot is also taken once this many live changes have been applied since the last one. */
  LIVE_SNAPSHOT_CHANGES: z.coerce.number().int().min(1).default(5000),
  LIVE_BATCH_MS: z.coerce.number().int().min(0).max(1000).default(10),
});
export type Env = z.infer<typeof EnvSchema>;

/** Parses configuration once; throws a readable message naming the bad variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${msg}`);
  }
  return parsed.data;
}
