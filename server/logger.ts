type Level = 'silent' | 'error' | 'info' | 'debug';
const order: Record<Level, number> = { silent: 0, error: 1, info: 2, debug: 3 };
let current: Level = (process.env.LOG_LEVEL as Level | undefined) ?? 'info';

export const setLogLevel = (l: Level): void => {
  current = l;
};

const write = (level: Exclude<Level, 'silent'>, msg: string, extra?: unknown): void => {
  if (order[current] < order[level]) return;
  const line = `${new Date().toISOString()} ${level.toUpperCase()} ${msg}`;
  process.stderr.write(extra === undefined ? `${line}\n` : `${line} ${JSON.stringify(extra)}\n`);
};

/** Logs go to standard error, one line each. */
export const log = {
  error: (m: string, x?: unknown) => write('error', m, x),
  info: (m: string, x?: unknown) => write('info', m, x),
  debug: (m: string, x?: unknown) => write('debug', m, x),
};
