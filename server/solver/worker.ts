import { parentPort } from 'node:worker_threads';
import { preferBaselineWasm, warmUpCpSat } from './cp-sat.js';
import { solveRefreshers } from './refresher.js';
import { ScenarioValidationError, solveScenario } from './solve.js';
import type { WorkerRequest, WorkerResponse } from './solve-runner.js';

/**
 * The solve worker: loads CP-SAT once, then solves one scenario per 'solve' message, posting
 * progress and the plan (or an error) back. Cancellation terminates the thread (see solve-runner.ts).
 */
preferBaselineWasm();
const port = parentPort;
if (!port) throw new Error('server/solver/worker.ts must run in a worker thread');
const warm = warmUpCpSat();

port.on('message', (msg: WorkerRequest) => {
  const post = (r: WorkerResponse): void => port.postMessage(r);
  if (msg.type === 'refreshers') {
    void (async () => {
      try {
        await warm;
        post({
          type: 'refreshers-result',
          jobId: msg.jobId,
          solution: await solveRefreshers(msg.problem, msg.options),
        });
      } catch (e) {
        const err = e as Error;
        post({ type: 'error', jobId: msg.jobId, error: { name: err.name, id: 'solver_failed', message: err.message } });
      }
    })();
    return;
  }
  if (msg.type !== 'solve') return;
  void (async () => {
    try {
      await warm;
      const plan = await solveScenario(msg.scenario, {
        ...msg.options,
        onProgress: (progress) => post({ type: 'progress', jobId: msg.jobId, progress }),
      });
      post({ type: 'result', jobId: msg.jobId, plan });
    } catch (e) {
      const err = e as Error;
      post({
        type: 'error',
        jobId: msg.jobId,
        error: {
          name: err.name,
          id: e instanceof ScenarioValidationError ? e.id : 'solver_failed',
          message: err.message,
          ...(e instanceof ScenarioValidationError ? { issues: e.issues } : {}),
        },
      });
    }
  })();
});
port.postMessage({ type: 'ready' } satisfies WorkerResponse);
