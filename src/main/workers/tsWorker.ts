/**
 * Starts a worker thread on a TypeScript module, from its bundle when there is one. The built app
 * (`npm run build`, bundleElectron.ts) has every worker entry bundled to `<entry>.mjs` beside
 * main.mjs, and main.mjs calls `useBundledWorkers` with that folder: workers then load plain
 * JavaScript, because in the packaged app tsx cannot run (its esbuild binary would sit inside
 * app.asar). Elsewhere (`npx steer web`, the tests, an entry not bundled) the sources run through
 * tsx, as for bin/steer.js; hooks registered in the parent do not reach workers on Node 20, so each
 * such worker registers tsx's ESM hooks in its own thread before importing its entry (the same
 * bootstrap as src/main/bench/simBench.ts). `runTsWorkerTask` runs a one-shot worker to its result,
 * turning a crash into an error (the dashboard's evaluations, the editor's `sim.run`).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, Worker, workerData } from 'node:worker_threads';
import { ServiceError } from '../services/serviceError.js';

/** What every worker started here receives in `workerData`: its `task`, and for tsx the bootstrap's. */
export interface TsWorkerData<Task> {
  /** tsx's ESM API, as a file URL (read by the bootstrap; absent for a bundled worker). */
  readonly tsxApi?: string;
  /** The TypeScript entry, as a file URL (read by the bootstrap; absent for a bundled worker). */
  readonly entry?: string;
  /** The bundles' folder of the thread that started it, so that workers it starts use them too. */
  readonly bundledWorkerDir?: string;
  readonly task: Task;
}

/**
 * Folder of the worker bundles (`<entry name>.mjs`), or null: run the sources through tsx. A worker
 * thread inherits its starter's (a training job's thread starts the bridge's I/O thread and the
 * gradient helpers from the bundles too).
 */
let bundledWorkerDir: string | null =
  !isMainThread && typeof (workerData as TsWorkerData<unknown> | null)?.bundledWorkerDir === 'string'
    ? (workerData as TsWorkerData<unknown>).bundledWorkerDir!
    : null;

/**
 * Starts workers from the bundles in `dir` (main.mjs passes its own folder, dist/electron): an
 * entry `…/jobWorker.ts` runs `dir/jobWorker.mjs` when that file exists, else the source through
 * tsx. null goes back to the sources.
 */
export function useBundledWorkers(dir: string | null): void {
  bundledWorkerDir = dir;
}

/** The file a worker on `entry` (a .ts module's file URL) runs: its bundle if there is one, else null. */
export function bundledWorkerFile(entry: URL): string | null {
  if (bundledWorkerDir === null) return null;
  const file = join(bundledWorkerDir, basename(fileURLToPath(entry)).replace(/\.ts$/, '.mjs'));
  return existsSync(file) ? file : null;
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
 * A worker thread running `entry` (a file URL of a .ts module; its bundle when useBundledWorkers
 * has one) with `task` in its workerData.
 */
export function startTsWorker<Task>(entry: URL, task: Task): Worker {
  const bundle = bundledWorkerFile(entry);
  if (bundle !== null) {
    const data: TsWorkerData<Task> = { task, bundledWorkerDir: bundledWorkerDir! };
    return new Worker(pathToFileURL(bundle), { workerData: data });
  }
  const data: TsWorkerData<Task> = { tsxApi: tsxEsmApiUrl(), entry: entry.href, task };
  return new Worker(BOOTSTRAP, { eval: true, workerData: data });
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
      finish({ error: new ServiceError('internal', `${label}: the worker failed: ${error.message}`) }),
    );
    worker.on('exit', (code) =>
      finish({
        error: new ServiceError('internal', `${label}: the worker exited (code ${code}) without a result`),
      }),
    );
  });
}
