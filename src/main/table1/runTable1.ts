/**
 * Runs the (game, seed) grid of Table 1 as child processes, `node bin/steer.js train … --quiet
 * --json`, at most `jobs` at a time. Each child trains one run folder and prints its final greedy
 * evaluation as a JSON line; the verdict is recomputed here against the game's target (§c.7).
 * Child processes keep runs isolated (a crash or a leak ends with its run) and use both cores.
 * A run folder that already exists is resumed, so a batch stopped midway continues where it was.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Table1Game } from '../../core/envs/matrix/targets.js';
import type { TrainSummary } from '../cli/reports.js';
import { isConverged } from '../train/evaluate.js';
import { runPaths } from '../train/runDir.js';
import type { Table1RunResult } from './table1Report.js';

/** The `steer` launcher the children run. */
export const STEER_BIN = fileURLToPath(new URL('../../../bin/steer.js', import.meta.url));

/** One run to do. */
export interface Table1Job {
  readonly game: Table1Game;
  readonly seed: number;
  /** Its run folder. */
  readonly runDir: string;
}

/**
 * Every (game, seed) pair, seed-major (seed 1 of every game, then seed 2, …) so that a batch stopped
 * early has results for every game.
 */
export function planTable1(games: readonly Table1Game[], seeds: number, runsDir: string): Table1Job[] {
  const jobs: Table1Job[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    for (const game of games) jobs.push({ game, seed, runDir: join(runsDir, game.key, `seed-${seed}`) });
  }
  return jobs;
}

/** How to run the children. */
export interface Table1RunOptions {
  /** Concrete backend name passed to every child. */
  readonly backend: string;
  /** Extra `steer train` arguments for new runs (--set, --updates, --reference-quirks). */
  readonly trainArgs: readonly string[];
  /** Most children at once. */
  readonly jobs: number;
  /** `--update-threads` of every child (so that `jobs` children share the cores, not oversubscribe them). */
  readonly updateThreads?: number;
  /** On abort: no new children; running ones get SIGTERM (they save and stop). */
  readonly signal?: AbortSignal;
  /** After each finished run. */
  readonly onResult?: (result: Table1RunResult) => void;
}

/**
 * Update threads for each of `jobs` children running at once on `cores` cores: the cores split
 * evenly, at least one each (the training numbers do not depend on it, only the speed).
 */
export function threadsPerJob(jobs: number, cores = availableParallelism()): number {
  return Math.max(1, Math.floor(cores / jobs));
}

/** Runs `jobs` with at most `options.jobs` children at once; results in `jobs` order (unstarted omitted). */
export async function runTable1(
  jobs: readonly Table1Job[],
  options: Table1RunOptions,
): Promise<Table1RunResult[]> {
  const results: (Table1RunResult | undefined)[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length && !options.signal?.aborted) {
      const index = next++;
      const result = await runJob(jobs[index]!, options);
      if (result === null) return; // interrupted
      results[index] = result;
      options.onResult?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.jobs) }, worker));
  return results.filter((r): r is Table1RunResult => r !== undefined);
}

/** Trains and evaluates one run in a child; null when it was interrupted. */
async function runJob(job: Table1Job, options: Table1RunOptions): Promise<Table1RunResult | null> {
  const started = performance.now();
  const resume = existsSync(runPaths(job.runDir).config);
  const args = resume
    ? ['train', '--resume', job.runDir]
    : [
        'train',
        '--env',
        job.game.envName,
        '--seed',
        String(job.seed),
        '--out',
        job.runDir,
        ...options.trainArgs,
      ];
  args.push('--backend', options.backend, '--quiet', '--json');
  if (options.updateThreads !== undefined) args.push('--update-threads', String(options.updateThreads));
  const { code, stdout, stderr } = await runChild(args, options.signal);
  const seconds = (performance.now() - started) / 1000;
  const target = [...job.game.targetReturn];
  const base = { game: job.game.key, envName: job.game.envName, seed: job.seed, runDir: job.runDir, target };
  if (options.signal?.aborted) return null;
  const summary = code === 0 ? parseSummary(stdout) : null;
  if (summary === null) {
    const lastLine = stderr.trim().split('\n').at(-1) ?? '';
    return {
      ...base,
      status: 'failed',
      converged: false,
      returns: null,
      actions: null,
      updates: null,
      seconds,
      error: `exit code ${code}${lastLine === '' ? '' : `: ${lastLine}`}`,
    };
  }
  return {
    ...base,
    status: 'ok',
    converged: isConverged(summary.returns, target),
    returns: summary.returns,
    actions: summary.actions,
    updates: summary.updates,
    seconds,
  };
}

/** The last stdout line as a TrainSummary, or null if it is not one. */
function parseSummary(stdout: string): TrainSummary | null {
  const line = stdout.trim().split('\n').at(-1) ?? '';
  try {
    const value = JSON.parse(line) as Partial<TrainSummary>;
    return Array.isArray(value.returns) && value.status === 'completed' ? (value as TrainSummary) : null;
  } catch {
    return null;
  }
}

/** Runs `node bin/steer.js …args`, collecting its output; SIGTERM to it when `signal` aborts. */
function runChild(
  args: readonly string[],
  signal?: AbortSignal,
): Promise<{ code: number; stdout: string; stderr: string }> {
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
