/**
 * Batches of `steer` child processes (`node bin/steer.js …`), at most `jobs` at a time: what
 * `steer table1` and `steer compare` train and evaluate their runs with. Child processes keep runs
 * isolated (a crash or a leak ends with its run) and use every core. On abort no child is started
 * and the running ones get SIGTERM, so they save their runs and stop (a rerun continues them).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

/** The `steer` launcher the children run. */
export const STEER_BIN = fileURLToPath(new URL('../../../bin/steer.js', import.meta.url));

/** What one child printed and how it ended. */
export interface ChildOutput {
  /** Exit code (128 + 15 when it was ended by a signal). */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Update threads for each of `jobs` children running at once on `cores` cores: the cores split
 * evenly, at least one each (the training numbers do not depend on it, only the speed).
 */
export function threadsPerJob(jobs: number, cores = availableParallelism()): number {
  return Math.max(1, Math.floor(cores / jobs));
}

/**
 * Runs `work` on every item with at most `jobs` calls in flight; results in item order. A call
 * that resolves to null was interrupted: its worker stops, and items not started (no call once
 * `signal` is aborted) are left out, as are the interrupted ones.
 */
export async function runBounded<Item, Result>(
  items: readonly Item[],
  jobs: number,
  work: (item: Item, index: number) => Promise<Result | null>,
  options: { readonly signal?: AbortSignal; readonly onResult?: (result: Result) => void } = {},
): Promise<Result[]> {
  const results: (Result | undefined)[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length && !options.signal?.aborted) {
      const index = next++;
      const result = await work(items[index]!, index);
      if (result === null) return; // interrupted
      results[index] = result;
      options.onResult?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
  return results.filter((r): r is Result => r !== undefined);
}

/** Runs `node bin/steer.js …args`, collecting its output; SIGTERM to it when `signal` aborts. */
export function runSteerChild(args: readonly string[], signal?: AbortSignal): Promise<ChildOutput> {
  return new Promise((resolvePromise, reject) => {
    const child: ChildProcess = spawn(process.execPath, [STEER_BIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const stop = () => child.kill('SIGTERM');
    signal?.addEventListener('abort', stop, { once: true });
    child.on('error', (error) => {
      signal?.removeEventListener('abort', stop);
      reject(error);
    });
    child.on('close', (code, killedBy) => {
      signal?.removeEventListener('abort', stop);
      resolvePromise({ code: code ?? (killedBy === null ? 1 : 128 + 15), stdout, stderr });
    });
  });
}

/** The last line of a child's stdout parsed as JSON, or null if it is not JSON. */
export function lastJsonLine(stdout: string): unknown {
  const line = stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return null;
  }
}

/** "exit code 1: <the child's last stderr line>", for a failed child's one-line report. */
export function childFailure(output: ChildOutput): string {
  const lastLine = output.stderr.trim().split('\n').at(-1) ?? '';
  return `exit code ${output.code}${lastLine === '' ? '' : `: ${lastLine}`}`;
}
