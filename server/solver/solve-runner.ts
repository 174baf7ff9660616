import { Worker } from 'node:worker_threads';
import type { Plan } from '../../shared/schemas/plan.schema.js';
import type { RefresherProblem, RefresherSolution, RefresherSolveOptions } from './refresher.js';
import { ScenarioValidationError, SolveCancelledError, type SolveOptions, type SolveProgress } from './solve.js';

export type WorkerRequest =
  | {
      type: 'solve';
      jobId: number;
      scenario: unknown;
      options: Pick<SolveOptions, 'timeLimitSeconds' | 'numWorkers' | 'suggestionBudgetSeconds'>;
    }
  | { type: 'refreshers'; jobId: number; problem: RefresherProblem; options: RefresherSolveOptions };
export type WorkerResponse =
  | { type: 'ready' }
  | { type: 'progress'; jobId: number; progress: SolveProgress }
  | { type: 'result'; jobId: number; plan: Plan }
  | { type: 'refreshers-result'; jobId: number; solution: RefresherSolution }
  | { type: 'error'; jobId: number; error: { name: string; id: string; message: string; issues?: string[] } };

export type StartSolveOptions = Pick<SolveOptions, 'timeLimitSeconds' | 'numWorkers' | 'suggestionBudgetSeconds'> & {
  onProgress?: (p: SolveProgress) => void;
};

/** A running solve. `cancel()` stops it; the promise then rejects with SolveCancelledError. */
export type SolveHandle = { promise: Promise<Plan>; cancel(): void };

type Job = {
  id: number;
  scenario: unknown;
  options: StartSolveOptions;
  resolve: (p: Plan) => void;
  reject: (e: Error) => void;
  /** A refresher plan instead of a crewing solve (same queue, same worker). */
  refreshers?: { problem: RefresherProblem; options: RefresherSolveOptions; resolve: (s: RefresherSolution) => void };
};

/**
 * Spawn the worker from TypeScript source or compiled JavaScript alike. Node 20 ignores `--import`
 * in a worker's execArgv, so from source a small bootstrap registers tsx's loader inside the worker
 * first; this works whether the parent runs under `tsx` or `node --import tsx`.
 */
function spawnWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./worker.js', here));
  const target = new URL('./worker.ts', here).href;
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(target)}); })`;
  return new Worker(bootstrap, { eval: true });
}

/**
 * Runs solves one at a time in a worker thread that keeps CP-SAT loaded between solves.
 * Cancelling the running solve terminates the worker (a new one is started for the next solve);
 * cancelling a queued solve just drops it. Either way its promise rejects with SolveCancelledError.
 */
export class SolveRunner {
  private worker: Worker | null = null;
  private queue: Job[] = [];
  private running: Job | null = null;
  private nextId = 1;

  start(scenario: unknown, options: StartSolveOptions = {}): SolveHandle {
    let job!: Job;
    const promise = new Promise<Plan>((resolve, reject) => {
      job = { id: this.nextId++, scenario, options, resolve, reject };
    });
    this.queue.push(job);
    this.pump();
    return { promise, cancel: () => this.cancel(job) };
  }

  /** Solve a refresher plan (server/solver/refresher.ts) in the worker, queued with the crewing solves. */
  planRefreshers(
    problem: RefresherProblem,
    options: RefresherSolveOptions = {},
  ): { promise: Promise<RefresherSolution>; cancel(): void } {
    let job!: Job;
    const promise = new Promise<RefresherSolution>((resolve, reject) => {
      job = {
        id: this.nextId++,
        scenario: null,
        options: {},
        resolve: () => reject(new Error('unexpected crewing plan for a refresher job')),
        reject,
        refreshers: { problem, options, resolve },
      };
    });
    this.queue.push(job);
    this.pump();
    return { promise, cancel: () => this.cancel(job) };
  }

  /** Start the worker and load CP-SAT now rather than on the first solve. */
  warmUp(): void {
    this.ensureWorker();
    this.worker!.unref();
  }

  /** Stop the worker; queued and running solves are cancelled. */
  async close(): Promise<void> {
    for (const j of this.queue.splice(0)) j.reject(new SolveCancelledError());
    if (this.running) {
      this.running.reject(new SolveCancelledError());
      this.running = null;
    }
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }

  private cancel(job: Job): void {
    const i = this.queue.indexOf(job);
    if (i >= 0) {
      this.queue.splice(i, 1);
      job.reject(new SolveCancelledError());
      return;
    }
    if (this.running !== job) return;
    this.running = null;
    const w = this.worker;
    this.worker = null;
    job.reject(new SolveCancelledError());
    if (w) void w.terminate();
    this.pump();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = spawnWorker();
    w.on('message', (msg: WorkerResponse) => {
      const job = this.running;
      if (msg.type === 'ready' || !job || msg.jobId !== job.id) return;
      if (msg.type === 'progress') job.options.onProgress?.(msg.progress);
      else {
        this.running = null;
        if (msg.type === 'result') job.resolve(msg.plan);
        else if (msg.type === 'refreshers-result') job.refreshers?.resolve(msg.solution);
        else
          job.reject(
            msg.error.id === 'invalid_scenario'
              ? new ScenarioValidationError(msg.error.issues ?? [msg.error.message])
              : Object.assign(new Error(msg.error.message), { name: msg.error.name, id: msg.error.id }),
          );
        this.pump();
      }
    });
    w.on('error', (err) => {
      if (this.worker !== w) return;
      this.worker = null;
      const job = this.running;
      this.running = null;
      job?.reject(err);
      this.pump();
    });
    w.on('exit', () => {
      if (this.worker === w) {
        this.worker = null;
        const job = this.running;
        this.running = null;
        job?.reject(new Error('solve worker exited unexpectedly'));
        this.pump();
      }
    });
    this.worker = w;
    return w;
  }

  private pump(): void {
    if (this.running) return;
    const job = this.queue.shift();
    if (!job) {
      this.worker?.unref();
      return;
    }
    const w = this.ensureWorker();
    w.ref();
    this.running = job;
    if (job.refreshers) {
      const { problem, options } = job.refreshers;
      w.postMessage({ type: 'refreshers', jobId: job.id, problem, options } satisfies WorkerRequest);
      return;
    }
    const { onProgress: _ignored, ...options } = job.options;
    w.postMessage({ type: 'solve', jobId: job.id, scenario: job.scenario, options } satisfies WorkerRequest);
  }
}

let shared: SolveRunner | null = null;

/** Solve off the event loop in the process-wide worker. See {@link SolveRunner}. */
export function startSolve(scenario: unknown, options: StartSolveOptions = {}): SolveHandle {
  shared ??= new SolveRunner();
  return shared.start(scenario, options);
}

/** Plan refreshers off the event loop in the process-wide worker. See {@link SolveRunner.planRefreshers}. */
export function startRefresherPlan(
  problem: RefresherProblem,
  options: RefresherSolveOptions = {},
): { promise: Promise<RefresherSolution>; cancel(): void } {
  shared ??= new SolveRunner();
  return shared.planRefreshers(problem, options);
}

/** Terminate the process-wide solve worker (e.g. on server shutdown). */
export async function stopSolveWorker(): Promise<void> {
  const r = shared;
  shared = null;
  await r?.close();
}
