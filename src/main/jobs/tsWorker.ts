/**
 * Starts a worker thread on a TypeScript module. The sources run through tsx (as for bin/steer.js),
 * and hooks registered in the parent do not reach workers on Node 20, so each worker registers
 * tsx's ESM hooks in its own thread before importing its entry (the same bootstrap as
 * src/main/bench/simBench.ts). `runTsWorkerTask` runs a one-shot worker to its result, turning a
 * crash into an error (the dashboard's evaluations, the editor's `sim.run`).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ApiError } from '../api/contract.js';

/** What every worker started here receives in `workerData`, beside its own `task`. */
export interface TsWorkerData<Task> {
  /** tsx's ESM API, as a file URL (read by the bootstrap). */
  readonly tsxApi: string;
  /** The TypeScript entry, as a file URL (read by the bootstrap). */
  readonly entry: string;
  readonly task: Task;
}

/** Registers tsx in the worker's own thread, then imports the entry. */
const BOOTSTRAP = [
  "const { workerData } = require('node:worker_threads');",
  'import(workerData.tsxApi).then((api) => { api.register(); return import(workerData.entry); });',
].join('\n');

let tsxApiUrl: string | null = null;

/** File URL of tsx's ESM API, found through tsx's own export map. */
function tsxEsmApiUrl(): string {
  if (tsxApiUrl !== null) return tsxApiUrl;
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('tsx/package.json');
  const manifest = require(manifestPath) as {
    exports?: Record<string, { import?: { default?: string } } | string>;
  };
  const entry = manifest.exports?.['./esm/api'];
  const file = typeof entry === 'object' ? entry.import?.default : undefined;
  if (file === undefined) {
    throw new Error(`${manifestPath}: no "./esm/api" import entry; cannot start worker threads`);
  }
  tsxApiUrl = pathToFileURL(join(dirname(manifestPath), file)).href;
  return tsxApiUrl;
}

/**
 * A worker thread running `entry` (a file URL of a .ts module) with `task` in its workerData. The
 * worker's stdout is dropped (workers report through messages; tfjs prints a banner there); its
 * stderr goes to the process's.
 */
export function startTsWorker<Task>(entry: URL, task: Task): Worker {
  const data: TsWorkerData<Task> = { tsxApi: tsxEsmApiUrl(), entry: entry.href, task };
  const worker = new Worker(BOOTSTRAP, { eval: true, workerData: data });
  return worker;
}

/** What a one-shot worker's message means for its task: its result, its failure, or null (more to come). */
export type TsWorkerOutcome<Result> = { readonly result: Result } | { readonly error: Error } | null;

/**
 * Runs a one-shot worker (it posts its outcome, then ends) on `entry` with `task`: resolves with the
 * result `settle` finds in its messages, or rejects with settle's error. A worker that crashes
 * (an uncaught exception, a failed import) or exits before `settle` found an outcome rejects with an
 * ApiError('internal') that starts with `label` and carries the worker's message, so a caller never
 * waits forever. The worker stays referenced meanwhile (a task under way finishes) and is
 * terminated once settled.
 */
export function runTsWorkerTask<Task, Message, Result>(
  entry: URL,
  task: Task,
  label: string,
  settle: (message: Message) => TsWorkerOutcome<Result>,
): Promise<Result> {
  return new Promise<Result>((resolve, reject) => {
    const worker = startTsWorker(entry, task);
    let settled = false;
    const finish = (outcome: NonNullable<TsWorkerOutcome<Result>>) => {
      if (settled) return;
      settled = true;
      worker.removeAllListeners();
      worker.on('error', () => {}); // errors while it winds down are no longer news
      void worker.terminate();
      if ('result' in outcome) resolve(outcome.result);
      else reject(outcome.error);
    };
    worker.on('message', (message: Message) => {
      let outcome: TsWorkerOutcome<Result>;
      try {
        outcome = settle(message);
      } catch (error) {
        outcome = { error: error instanceof Error ? error : new Error(String(error)) };
      }
      if (outcome !== null) finish(outcome);
    });
    worker.on('error', (error) =>
      finish({ error: new ApiError('internal', `${label}: the worker failed: ${error.message}`) }),
    );
    worker.on('exit', (code) =>
      finish({
        error: new ApiError('internal', `${label}: the worker exited (code ${code}) without a result`),
      }),
    );
  });
}
