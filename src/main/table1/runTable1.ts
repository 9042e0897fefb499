/**
 * Runs the (algorithm, game, seed) grid of Table 1 as child processes, `node bin/steer.js train …
 * --algo <name> --quiet --json`, at most `jobs` at a time. Each child trains one run folder and
 * prints its final greedy evaluation as a JSON line; the verdict is recomputed here against the
 * game's target (§c.7).
 * Child processes keep runs isolated (a crash or a leak ends with its run) and use both cores.
 * A run folder that already exists is resumed, so a batch stopped midway continues where it was,
 * if it holds the run this command plans (src/main/train/runMatch.ts); another one is refused.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { totalUpdates } from '../../core/algos/config.js';
import type { Table1Game } from '../../core/envs/matrix/targets.js';
import type { TrainSummary } from '../cli/reports.js';
import { isConverged } from '../train/evaluate.js';
import { readRunConfig, runPaths } from '../train/runDir.js';
import { firstRunDifference, otherRunMessage } from '../train/runMatch.js';
import { canonicalEnvName, type NewRunRequest, planTrainConfig } from '../train/runPlan.js';
import { runBounded, runSteerChild as runChild, threadsPerJob } from '../workers/steerChildren.js';
import type { Table1RunResult } from './table1Report.js';

// the child-process batch is shared with `steer compare` (src/main/workers/steerChildren.ts)
export { STEER_BIN } from '../workers/steerChildren.js';
export { threadsPerJob };

/** One run to do. */
export interface Table1Job {
  /** The algorithm's registry name. */
  readonly algo: string;
  readonly game: Table1Game;
  readonly seed: number;
  /** Its run folder. */
  readonly runDir: string;
}

/**
 * Every (algorithm, game, seed), seed-major (seed 1 of every algorithm and game, then seed 2, …) so
 * that a batch stopped early has results for every cell. A run's folder,
 * `<runsDir>/<algo>/<game>/seed-<n>`, depends on nothing else, so the same --runs-dir can take
 * more algorithms later and reuse the runs it has.
 */
export function planTable1(
  algos: readonly string[],
  games: readonly Table1Game[],
  seeds: number,
  runsDir: string,
): Table1Job[] {
  const jobs: Table1Job[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    for (const algo of algos) {
      for (const game of games) {
        jobs.push({ algo, game, seed, runDir: join(runsDir, algo, game.key, `seed-${seed}`) });
      }
    }
  }
  return jobs;
}

/** How to run the children. */
export interface Table1RunOptions {
  /** Concrete backend name passed to every child. */
  readonly backend: string;
  /** Extra `steer train` arguments for new runs (--set, --updates, --reference-quirks). */
  readonly trainArgs: readonly string[];
  /** The same, parsed: what an existing run's config must agree with to be reused. */
  readonly request: Pick<NewRunRequest, 'overrides' | 'updates' | 'referenceQuirks'>;
  /** Most children at once. */
  readonly jobs: number;
  /** `--update-threads` of every child (so that `jobs` children share the cores, not oversubscribe them). */
  readonly updateThreads?: number;
  /** On abort: no new children; running ones get SIGTERM (they save and stop). */
  readonly signal?: AbortSignal;
  /** After each finished run. */
  readonly onResult?: (result: Table1RunResult) => void;
}

/** Runs `jobs` with at most `options.jobs` children at once; results in `jobs` order (unstarted omitted). */
export async function runTable1(
  jobs: readonly Table1Job[],
  options: Table1RunOptions,
): Promise<Table1RunResult[]> {
  return runBounded(jobs, options.jobs, (job) => runJob(job, options), options);
}

/**
 * Why the run in `job`'s existing folder is not the run planned there (the first field that
 * differs, or why its config.json cannot be read), or null when it is. Throws a RunPlanError when
 * the options make no valid config (table1.ts checks them first).
 */
export async function otherRunProblem(job: Table1Job, options: Table1RunOptions): Promise<string | null> {
  const env = canonicalEnvName(job.game.envName);
  const request = { ...options.request, algo: job.algo };
  const train = planTrainConfig(env, request, job.seed);
  let saved: Awaited<ReturnType<typeof readRunConfig>>;
  try {
    saved = await readRunConfig(job.runDir);
  } catch (error) {
    return (error as Error).message;
  }
  const difference = firstRunDifference(saved, { env, train, updates: totalUpdates(train) });
  return difference === null ? null : otherRunMessage(job.runDir, difference);
}

/** The `steer train` arguments of `job`: a new run, or a resume of its folder's. */
function trainArguments(job: Table1Job, resume: boolean, options: Table1RunOptions): string[] {
  const args = resume
    ? ['train', '--resume', job.runDir]
    : [
        'train',
        '--env',
        job.game.envName,
        '--algo',
        job.algo,
        '--seed',
        String(job.seed),
        '--out',
        job.runDir,
        ...options.trainArgs,
      ];
  args.push('--backend', options.backend, '--quiet', '--json');
  if (options.updateThreads !== undefined) args.push('--update-threads', String(options.updateThreads));
  return args;
}

/** Trains and evaluates one run in a child; null when it was interrupted. */
async function runJob(job: Table1Job, options: Table1RunOptions): Promise<Table1RunResult | null> {
  const started = performance.now();
  const target = [...job.game.targetReturn];
  const base = {
    algo: job.algo,
    game: job.game.key,
    envName: job.game.envName,
    seed: job.seed,
    runDir: job.runDir,
    target,
  };
  const failed = (error: string): Table1RunResult => ({
    ...base,
    status: 'failed',
    converged: false,
    returns: null,
    actions: null,
    updates: null,
    seconds: (performance.now() - started) / 1000,
    error,
  });
  const resume = existsSync(runPaths(job.runDir).config);
  const refusal = resume ? await otherRunProblem(job, options) : null;
  if (refusal !== null) return failed(refusal);
  const { code, stdout, stderr } = await runChild(trainArguments(job, resume, options), options.signal, {
    oneCore: options.updateThreads === 1,
  });
  if (options.signal?.aborted) return null;
  const summary = code === 0 ? parseSummary(stdout) : null;
  if (summary === null) {
    const lastLine = stderr.trim().split('\n').at(-1) ?? '';
    return failed(`exit code ${code}${lastLine === '' ? '' : `: ${lastLine}`}`);
  }
  return {
    ...base,
    status: 'ok',
    converged: isConverged(summary.returns, target),
    returns: summary.returns,
    actions: summary.actions,
    updates: summary.updates,
    seconds: (performance.now() - started) / 1000,
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
