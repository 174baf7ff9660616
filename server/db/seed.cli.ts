import { parseArgs } from 'node:util';
import { loadEnv } from '../config/env.js';
import { connectDatabase } from './connection.js';
import { seedDemo, wipeDatabase } from './seed.js';

const USAGE = 'usage: npm run seed -- --scale bcu|force [--seed N]   (replaces what the database holds)';

const { values } = parseArgs({
  options: { scale: { type: 'string', default: 'bcu' }, seed: { type: 'string', default: '2017' } },
  strict: true,
});
if (values.scale !== 'bcu' && values.scale !== 'force') {
  process.stderr.write(`--scale must be bcu or force\n${USAGE}\n`);
  process.exit(2);
}
const seed = Number(values.seed);
if (!Number.isInteger(seed)) {
  process.stderr.write(`--seed must be a whole number\n${USAGE}\n`);
  process.exit(2);
}
const db = await connectDatabase(loadEnv());
try {
  await wipeDatabase();
  const accounts = await seedDemo({ scale: values.scale, now: new Date(), seed });
  process.stdout.write('Demo accounts:\n');
  for (const a of accounts)
    process.stdout.write(`  ${a.role.padEnd(13)} ${a.username.padEnd(22)} password: ${a.password}\n`);
} finally {
  await db.close();
}
