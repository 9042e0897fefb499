/**
 * One run of a comparison, in child processes: train it (`steer train … --json`; a folder stopped
 * midway is resumed from its checkpoint, a finished one is skipped), then take its final
 * evaluation: from a registry-env run's own train summary, else from `steer eval <run> --json`
 * (HORM: over `evalEpisodes` held-out episodes), else from the cache of an earlier invocation.
 */
import { CliError } from '../cli/errors.js';
import type { PlannedRun } from '../train/runMatch.js';
import { planTrainConfig } from '../train/runPlan.js';
import { checkpointIdentity, inspectRun } from '../train/runState.js';
import { childFailure, lastJsonLine, runSteerChild } from '../workers/steerChildren.js';
import { type CompareJob, evaluationCachePath } from './comparePlan.js';
import {
  type FinalEvaluation,
  parseFinalEvaluation,
  readCachedEvaluation,
  writeCachedEvaluation,
} from './finalEvaluation.js';

/** How every run of the comparison is trained and evaluated. */
export interface CompareRunSettings {
  /** Concrete backend name passed to every child. */
  readonly backend: string;
  /** `steer train` arguments naming the env: `--env <name>` or `--scenario <file>`. */
  readonly envArgs: readonly string[];
  /** Canonical env name a run folder must have. */
  readonly envName: string;
  /** Extra `steer train` arguments of a new run (--set …); `--updates` is added from `updates`. */
  readonly trainArgs: readonly string[];
  /** The same --set overrides, parsed: what a reused run's config must agree with. */
  readonly overrides: Readonly<Record<string, unknown>>;
  readonly updates: number;
  /** HORM runs: held-out evaluation episodes; null for registry envs (one greedy episode). */
  readonly evalEpisodes: number | null;
  readonly runsDir: string;
  /** `--update-threads` of every training child. */
  readonly updateThreads: number;
  /** On abort: running children get SIGTERM (they save and stop). */
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

/** The `steer train` arguments that train `job` (a new run, or a resume). */
export function trainArguments(job: CompareJob, resume: boolean, settings: CompareRunSettings): string[] {
  const args = resume
    ? ['train', '--resume', job.runDir]
    : [
        'train',
        ...settings.envArgs,
        '--algo',
        job.algo,
        '--seed',
        String(job.seed),
        '--out',
        job.runDir,
        '--updates',
        String(settings.updates),
        ...settings.trainArgs,
      ];
  args.push(
    '--backend',
    settings.backend,
    '--quiet',
    '--json',
    '--update-threads',
    String(settings.updateThreads),
  );
  return args;
}

/**
 * The run the comparison plans in `job`'s folder: what `trainArguments` makes of a new one. Throws
 * a RunPlanError when the overrides make no valid config (compare.ts checks them first).
 */
export function plannedRun(job: CompareJob, settings: CompareRunSettings): PlannedRun {
  const request = { algo: job.algo, updates: settings.updates, overrides: settings.overrides };
  return {
    env: settings.envName,
    updates: settings.updates,
    train: planTrainConfig(settings.envName, request, job.seed),
  };
}

/** Trains (unless finished) and evaluates one run; null when it was interrupted. */
export async function runCompareJob(
  job: CompareJob,
  settings: CompareRunSettings,
): Promise<CompareRunOutcome | null> {
  const started = performance.now();
  const state = await inspectRun(job.runDir, plannedRun(job, settings));
  const base = { algo: job.algo, seed: job.seed, runDir: job.runDir };
  const failed = (action: CompareRunOutcome['action'], error: string): CompareRunOutcome => ({
    ...base,
    action,
    status: 'failed',
    evaluation: null,
    error,
    seconds: (performance.now() - started) / 1000,
  });
  if (state.kind === 'other') return failed('skipped', state.reason);
  const action = state.kind === 'finished' ? 'skipped' : state.kind === 'new' ? 'trained' : 'resumed';
  let fromTraining: FinalEvaluation | null = null;
  if (state.kind !== 'finished') {
    const output = await runSteerChild(
      trainArguments(job, state.kind === 'partial', settings),
      settings.signal,
      { oneCore: settings.updateThreads === 1 },
    );
    if (settings.signal?.aborted) return null;
    if (output.code !== 0) return failed(action, childFailure(output));
    if (settings.evalEpisodes === null)
      fromTraining = parseFinalEvaluation(lastJsonLine(output.stdout), false);
  }
  try {
    const evaluation = await finalEvaluation(job, settings, fromTraining);
    if (evaluation === null) return null;
    return { ...base, action, status: 'ok', evaluation, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    return failed(action, (error as Error).message);
  }
}

/**
 * The run's final evaluation: the cached one if it judged the same checkpoint, else the one its
 * training just printed, else a `steer eval` child's. Null when interrupted; throws a one-line
 * error when the child fails.
 */
async function finalEvaluation(
  job: CompareJob,
  settings: CompareRunSettings,
  fromTraining: FinalEvaluation | null,
): Promise<FinalEvaluation | null> {
  const saved = await checkpointIdentity(job.runDir);
  if (saved === null) throw new CliError(`${job.runDir}: no readable checkpoint after training`);
  const cacheFile = evaluationCachePath(settings.runsDir, job);
  const episodes = settings.evalEpisodes;
  let evaluation = fromTraining ?? (await readCachedEvaluation(cacheFile, saved.checkpoint, episodes));
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
