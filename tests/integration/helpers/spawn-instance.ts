import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export type Instance = { url: string; stop: () => Promise<void> };

/** Starts tests/integration/helpers/instance.ts in a child process with the given environment. */
export async function spawnInstance(env: Record<string, string>): Promise<Instance> {
  const script = fileURLToPath(new URL('./instance.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    const t = setTimeout(() => fail(new Error('instance did not start in 30 s')), 30_000);
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(t);
        ok((JSON.parse(line) as { url: string }).url);
      }
    });
    child.once('exit', (code) => fail(new Error(`instance exited with ${code}`)));
  });
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
