/**
 * Starts a worker thread on a TypeScript module. The sources run through tsx (as for bin/steer.js),
 * and hooks registered in the parent do not reach workers on Node 20, so each worker registers
 * tsx's ESM hooks in its own thread before importing its entry (the same bootstrap as
 * src/main/bench/simBench.ts).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

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
