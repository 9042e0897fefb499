/**
 * A compared run's final evaluation, once the sweep executor has trained it (src/main/sweep/): for a
 * registry env one greedy episode judged by docs/spec/steer.md §c.7, played here from the run's
 * checkpoint; for a HORM scenario `steer eval <run> --json` in a child over `evalEpisodes` held-out
 * episodes. Either is kept beside the runs, tied to the checkpoint it judged, so a rerun evaluates
 * nothing twice.
 */
import { CliError } from '../cli/errors.js';
import type { SweepRunOutcome } from '../sweep/index.js';
import { evaluateRun } from '../train/evaluateRun.js';
import { checkpointIdentity } from '../train/runState.js';
import { childFailure, lastJsonLine, runSteerChild } from '../workers/steerChildren.js';
import { type CompareJob, evaluationCachePath } from './comparePlan.js';
import {
  type FinalEvaluation,
  parseFinalEvaluation,
  readCachedEvaluation,
  writeCachedEvaluation,
} from './finalEvaluation.js';

/** How every run of the comparison is evaluated. */
export interface CompareEvalSettings {
  /** Concrete backend name given to `steer eval` children. */
  readonly backend: string;
  /** HORM runs: held-out evaluation episodes; null for registry envs (one greedy episode). */
  readonly evalEpisodes: number | null;
  /** The runs folder (resolved): the evaluations are kept in it. */
  readonly runsDir: string;
  /** On abort: a running `steer eval` child gets SIGTERM and nothing is evaluated. */
  readonly signal?: AbortSignal;
}

/** What happened to one run. */
export interface CompareRunOutcome {
  readonly algo: string;
  readonly seed: number;
  readonly runDir: string;
  /** trained: from scratch; resumed: from its checkpoint; skipped: it had finished before. */
  readonly action: 'trained' | 'resumed' | 'skipped';
  readonly status: 'ok' | 'failed';
  /** Null when it failed. */
  readonly evaluation: FinalEvaluation | null;
  /** Why it failed (one line). */
  readonly error?: string;
  /** Wall time of this invocation's work on it [s]. */
  readonly seconds: number;
}

/**
 * The comparison's outcome of `job` (its folder resolved in `job.runDir`) from the executor's
 * `trained` outcome: failed as it failed, else with its final evaluation. Null when interrupted.
 */
export async function evaluateCompareRun(
  job: CompareJob,
  trained: SweepRunOutcome,
  settings: CompareEvalSettings,
): Promise<CompareRunOutcome | null> {
  const started = performance.now();
  const base = { algo: job.algo, seed: job.seed, runDir: job.runDir, action: trained.action };
  const seconds = () => trained.seconds + (performance.now() - started) / 1000;
  if (trained.status === 'failed') {
    return {
      ...base,
      status: 'failed',
      evaluation: null,
      error: trained.error ?? 'failed',
      seconds: seconds(),
    };
  }
  try {
    const evaluation = await finalEvaluation(job, settings);
    if (evaluation === null) return null;
    return { ...base, status: 'ok', evaluation, seconds: seconds() };
  } catch (error) {
    return {
      ...base,
      status: 'failed',
      evaluation: null,
      error: (error as Error).message,
      seconds: seconds(),
    };
  }
}

/**
 * The run's final evaluation: the cached one if it judged the same checkpoint, else a greedy
 * episode played here (registry env) or a `steer eval` child's (HORM). Null when interrupted;
 * throws a one-line error when the evaluation fails.
 */
async function finalEvaluation(
  job: CompareJob,
  settings: CompareEvalSettings,
): Promise<FinalEvaluation | null> {
  const saved = await checkpointIdentity(job.runDir);
  if (saved === null) throw new CliError(`${job.runDir}: no readable checkpoint after training`);
  const cacheFile = evaluationCachePath(settings.runsDir, job);
  const episodes = settings.evalEpisodes;
  let evaluation = await readCachedEvaluation(cacheFile, saved.checkpoint, episodes);
  if (evaluation === null && episodes === null) evaluation = await greedyEvaluation(job.runDir);
  if (evaluation === null) {
    const args = ['eval', job.runDir, '--json', '--backend', settings.backend];
    if (episodes !== null) args.push('--episodes', String(episodes));
    const output = await runSteerChild(args, settings.signal);
    if (settings.signal?.aborted) return null;
    if (output.code !== 0) throw new CliError(`steer eval ${job.runDir}: ${childFailure(output)}`);
    evaluation = parseFinalEvaluation(lastJsonLine(output.stdout), episodes !== null);
    if (evaluation === null) throw new CliError(`steer eval ${job.runDir}: no evaluation in its output`);
  }
  await writeCachedEvaluation(cacheFile, saved.checkpoint, episodes, evaluation);
  return evaluation;
}

/** One greedy episode of a registry-env run from its checkpoint, judged by §c.7, in this process. */
async function greedyEvaluation(runDir: string): Promise<FinalEvaluation> {
  const { update, evaluation } = await evaluateRun(runDir);
  return {
    kind: 'greedy',
    updates: update,
    returns: evaluation.returns,
    target: evaluation.target,
    converged: evaluation.converged,
  };
}
