/**
 * Runs (or continues) the training of one run folder to its configured number of updates: the
 * job shared by `steer train`, `steer table1` (through child processes) and, later, the desktop
 * app's training worker. It reports through callbacks and never prints.
 *
 * Resume is exact: the checkpoint holds everything the trainer's next update depends on (weights,
 * Adam moments and step, RNG state, value normaliser, env snapshots, episode counters), and metrics
 * lines written after the last checkpoint are dropped, so an interrupted and resumed run writes the
 * same metrics and ends with the same weights as one that ran straight through (on a deterministic
 * backend; test/integration/cli-train.test.ts).
 *
 * Nothing in the run folder is written before its checkpoint is verified (trainerCheckpoint.ts): a
 * damaged checkpoint is refused with the run folder as it was (metrics not truncated, argv.json not
 * appended, no checkpoint saved over it; test/integration/checkpoint-corruption.test.ts).
 *
 * The env comes from the run folder (runEnvironment.ts): the registry name, or the scenario copy of
 * a HORM run. Matrix runs log a greedy §c.7 episode after every update; scenario runs log the
 * HORM evaluation (hormEvaluate.ts) every `evaluation.every` updates and after the last one.
 */

import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { Trainer, type UpdateMetrics } from '../../core/algos/ppo/trainer.js';
import type { MultiAgentEnv } from '../../core/envs/types.js';
import { BridgeError } from '../bridge/bridgeErrors.js';
import { assertBridgesAlive } from '../bridge/liveBatches.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { MetricsLog, type MetricsRecord, readMetrics } from '../io/metricsLog.js';
import {
  EPISODES_WAVE,
  type EpisodesEvaluation,
  episodesMetrics,
  evaluateEpisodes,
} from './episodesEvaluate.js';
import { type Evaluation, evaluateGreedy } from './evaluate.js';
import { attachGradientWorkers } from './gradientWorkers.js';
import { evaluateHorm, type HormEvaluation } from './hormEvaluate.js';
import {
  type Invocation,
  type RunConfig,
  type RunEvaluation,
  readRunConfig,
  recordResume,
  runPaths,
} from './runDir.js';
import { type LoadedScenario, loadRunEnvironment, type RunEnvironment } from './runEnvironment.js';
import { RUN_DEFAULTS } from './runPlan.js';
import {
  importTrainerCheckpoint,
  isMissingCheckpoint,
  readTrainerCheckpoint,
  saveTrainerCheckpoint,
  type TrainerCheckpoint,
} from './trainerCheckpoint.js';

/** Callbacks of a training job; all optional. */
export interface TrainingEvents {
  /** After the run is loaded, before the first update of this session. */
  onStart?(info: { run: RunConfig; startUpdate: number; totalUpdates: number }): void;
  /** After each update, with the record just appended to metrics.jsonl. */
  onUpdate?(update: number, record: MetricsRecord): void;
  /** After checkpoints/latest was written at `update`. */
  onCheckpoint?(update: number): void;
  /** Something the user should know that is not an error (one line). */
  onNote?(line: string): void;
}

/** Options of `runTraining`. */
export interface RunTrainingOptions extends TrainingEvents {
  /** The run folder (made by `createRunDir`). */
  readonly runDir: string;
  /** Overrides config.json's checkpointEvery for this session. */
  readonly checkpointEvery?: number;
  /** Threads for the update's gradient shards, this one included (default: gradientHelpers + 1). */
  readonly updateThreads?: number | undefined;
  /** When aborted, the job finishes the update in progress, saves a checkpoint and returns. */
  readonly signal?: AbortSignal;
  /**
   * Whether to evaluate the saved policy at the end (a scenario run's 32 HORM episodes, several
   * seconds after a stop) for the result's `evaluation` / `hormEvaluation`; default true. The
   * app's jobs pass false: nothing shows that result (their Evaluate panel plays the checkpoint).
   */
  readonly finalEvaluation?: boolean;
  /**
   * A resume's command line: added to argv.json's `resumes` once the checkpoint is verified and
   * updates are left to train, so a refused resume, or one of a finished run, leaves argv.json as
   * it was.
   */
  readonly resumedBy?: Invocation;
  /**
   * The scenario of a run just created from it, already through the scenario gate (its text is the
   * run folder's copy), so it is not opened a second time; absent: built from the folder.
   */
  readonly opened?: LoadedScenario | undefined;
}

/** How a training session ended. */
export interface TrainingResult {
  /** 'completed' = all configured updates done; 'interrupted' = stopped by the signal. */
  readonly status: 'completed' | 'interrupted';
  readonly run: RunConfig;
  /** Updates done when this session started (0 for a new run). */
  readonly startUpdate: number;
  /** Updates done now (and saved in checkpoints/latest). */
  readonly update: number;
  readonly totalUpdates: number;
  /** Wall time of this session [s]. */
  readonly seconds: number;
  /** Greedy evaluation (§c.7) of the policy as saved; null for a scenario (HORM) run, or unasked. */
  readonly evaluation: Evaluation | null;
  /** HORM evaluation of the policy as saved; null for a registry-env run, or unasked. */
  readonly hormEvaluation: HormEvaluation | null;
  /** Seeded greedy episodes of the policy as saved (MA-MuJoCo runs); null otherwise, or unasked. */
  readonly episodesEvaluation: EpisodesEvaluation | null;
}

/** Trains the run in `runDir` from its latest checkpoint (or from scratch) to its total updates. */
export async function runTraining(options: RunTrainingOptions): Promise<TrainingResult> {
  const started = performance.now();
  const paths = runPaths(options.runDir);
  const run = await readRunConfig(options.runDir);
  const checkpoint = await verifiedCheckpointOrNone(paths.checkpoint, run);
  const checkpointEvery = options.checkpointEvery ?? run.checkpointEvery;
  const environment: RunEnvironment =
    options.opened !== undefined
      ? { envName: run.env, makeEnv: options.opened.makeEnv, scenario: options.opened }
      : await loadRunEnvironment(options.runDir, run);
  const trainer = new Trainer(run.env, environment.makeEnv, run.train, environment.makeVector);
  const evaluator = runEvaluator(trainer, environment, run);
  let log: MetricsLog | null = null;
  try {
    // --- resume point: the checkpoint (its model's tensors checked here), then the first writes ---
    const startUpdate = checkpoint === null ? 0 : importTrainerCheckpoint(trainer, checkpoint);
    if (checkpoint?.unchecksummed) {
      options.onNote?.(
        `${relative(process.cwd(), checkpoint.manifestFile)}: format 1, written before checksums: verified by its structure only; the next checkpoint is written as format 2`,
      );
    }
    // one helper thread per extra core; if none can start, the same numbers come from this thread
    await attachGradientWorkers(trainer, options.updateThreads);
    const total = trainer.updates;
    if (options.resumedBy !== undefined && startUpdate < total) {
      await recordResume(options.runDir, options.resumedBy);
    }
    await truncateMetrics(paths.metrics, startUpdate);
    log = MetricsLog.open(paths.metrics);
    options.onStart?.({ run, startUpdate, totalUpdates: total });

    // --- updates ---
    let saved = startUpdate > 0 ? startUpdate : -1;
    let interrupted = false;
    while (trainer.update < total) {
      if (options.signal?.aborted) {
        interrupted = true;
        break;
      }
      const record = await updateOrSave(trainer, evaluator, log, options.runDir, async () => {
        if (saved === trainer.update) return;
        await saveTrainerCheckpoint(paths.checkpoint, trainer);
        saved = trainer.update;
        options.onCheckpoint?.(trainer.update);
      });
      log.append(record);
      options.onUpdate?.(trainer.update, record);
      if (trainer.update % checkpointEvery === 0 && trainer.update < total) {
        await saveTrainerCheckpoint(paths.checkpoint, trainer);
        saved = trainer.update;
        options.onCheckpoint?.(trainer.update);
      }
      await yieldToEventLoop(); // lets SIGINT/SIGTERM handlers run between updates
    }
    if (saved !== trainer.update) {
      await saveTrainerCheckpoint(paths.checkpoint, trainer);
      options.onCheckpoint?.(trainer.update);
    }
    return {
      status: interrupted ? 'interrupted' : 'completed',
      run,
      startUpdate,
      update: trainer.update,
      totalUpdates: total,
      seconds: (performance.now() - started) / 1000,
      ...(options.finalEvaluation === false
        ? { evaluation: null, hormEvaluation: null, episodesEvaluation: null }
        : evaluator.final()),
    };
  } finally {
    log?.close();
    trainer.dispose();
    evaluator.close();
  }
}

/**
 * One update and its metrics with its evaluation. When an env in another process fails (the Python
 * bridge), what the run learned is kept: the update's metrics without the evaluation that failed
 * (no gap in metrics.jsonl), then `save` (the parameters are those after the last completed
 * update; a rollout changes none), then an error saying so.
 */
async function updateOrSave(
  trainer: Trainer,
  evaluator: RunEvaluator,
  log: MetricsLog,
  runDir: string,
  save: () => Promise<void>,
): Promise<MetricsRecord> {
  let metrics: UpdateMetrics | null = null;
  try {
    assertBridgesAlive(); // a server that died idle since the last update (an evaluation env's)
    metrics = trainer.iterate();
    return evaluator.record(metrics, trainer.update === trainer.updates);
  } catch (error) {
    if (!(error instanceof BridgeError)) throw error;
    if (metrics !== null) log.append(metrics);
    await save();
    throw new Error(
      `training stopped at update ${trainer.update} (checkpoint saved; 'steer train --resume ${runDir}' continues it): ${error.message}`,
      { cause: error },
    );
  }
}

/**
 * The run's checkpoint, verified (files, checksums, meta against the run), or null when it has none
 * yet: a new run, or one stopped before its first checkpoint, starts at update 0.
 */
async function verifiedCheckpointOrNone(dir: string, run: RunConfig): Promise<TrainerCheckpoint | null> {
  try {
    return await readTrainerCheckpoint(dir, run);
  } catch (error) {
    if (isMissingCheckpoint(error)) return null;
    throw error;
  }
}

/** How a run's policy is evaluated during and after training. */
interface RunEvaluator {
  /** The update's metrics plus this update's evaluation, if it has one. */
  record(metrics: UpdateMetrics, last: boolean): MetricsRecord;
  /** The evaluation of the policy as it is now (reused when `record` just made it). */
  final(): Pick<TrainingResult, 'evaluation' | 'hormEvaluation' | 'episodesEvaluation'>;
  close(): void;
}

/** The run's evaluator; the trainer is disposed when it cannot be built (its envs may be processes). */
function runEvaluator(trainer: Trainer, environment: RunEnvironment, run: RunConfig): RunEvaluator {
  try {
    if (environment.scenario !== null) return hormEvaluator(trainer, environment.scenario, run);
    if (run.evaluation !== undefined) return episodesEvaluator(trainer, environment.makeEnv, run.evaluation);
    return greedyEvaluator(trainer, environment.makeEnv());
  } catch (error) {
    trainer.dispose();
    throw error;
  }
}

/** Registry envs: a greedy episode after every update (§c.6, §c.7). */
function greedyEvaluator(trainer: Trainer, env: MultiAgentEnv): RunEvaluator {
  return {
    record: (metrics) => withEvaluation(metrics, evaluateGreedy(trainer.policy, env)),
    final: () => ({
      evaluation: evaluateGreedy(trainer.policy, env),
      hormEvaluation: null,
      episodesEvaluation: null,
    }),
    close: () => env.close?.(),
  };
}

/** Scenario runs: the HORM evaluation every `every` updates and after the last (docs/spec/horm.md §8.4). */
function hormEvaluator(trainer: Trainer, scenario: LoadedScenario, run: RunConfig): RunEvaluator {
  const settings = run.evaluation ?? RUN_DEFAULTS.trainingEvaluation;
  return periodicEvaluator(trainer, settings, {
    evaluate: () => evaluateHorm(trainer.policy, scenario.makeEnv, settings),
    record: withHormEvaluation,
    final: (hormEvaluation) => ({ evaluation: null, hormEvaluation, episodesEvaluation: null }),
    close: () => {},
  });
}

/** MA-MuJoCo runs: seeded greedy episodes every `every` updates and after the last (docs/envs/mujoco.md). */
function episodesEvaluator(
  trainer: Trainer,
  makeEnv: () => MultiAgentEnv,
  settings: RunEvaluation,
): RunEvaluator {
  const envs = makeEnvs(makeEnv, Math.min(settings.episodes, EPISODES_WAVE));
  return periodicEvaluator(trainer, settings, {
    evaluate: () => evaluateEpisodes(trainer.policy, envs, settings),
    record: (metrics, evaluation) => ({ ...metrics, ...episodesMetrics(evaluation) }),
    final: (episodesEvaluation) => ({ evaluation: null, hormEvaluation: null, episodesEvaluation }),
    close: () => {
      for (const env of envs) env.close?.();
    },
  });
}

/** `count` envs; those made are closed again when one cannot be (envs may be processes). */
function makeEnvs(makeEnv: () => MultiAgentEnv, count: number): MultiAgentEnv[] {
  const envs: MultiAgentEnv[] = [];
  try {
    while (envs.length < count) envs.push(makeEnv());
    return envs;
  } catch (error) {
    for (const env of envs) env.close?.();
    throw error;
  }
}

/** How a periodic evaluator evaluates, records and reports. */
interface PeriodicEvaluation<E> {
  evaluate(): E;
  record(metrics: UpdateMetrics, evaluation: E): MetricsRecord;
  final(evaluation: E): ReturnType<RunEvaluator['final']>;
  close(): void;
}

/** Evaluates every `settings.every` updates and after the last; the final result reuses the last one. */
function periodicEvaluator<E>(
  trainer: Trainer,
  settings: { readonly every: number },
  how: PeriodicEvaluation<E>,
): RunEvaluator {
  let latest: { update: number; evaluation: E } | null = null;
  const evaluate = (): E => {
    if (latest?.update !== trainer.update) latest = { update: trainer.update, evaluation: how.evaluate() };
    return latest.evaluation;
  };
  return {
    record: (metrics, last) => {
      if (!last && trainer.update % settings.every !== 0) return { ...metrics };
      return how.record(metrics, evaluate());
    },
    final: () => how.final(evaluate()),
    close: () => how.close(),
  };
}

/**
 * The trainer's metrics plus the greedy evaluation the reference logs after every update (§c.6):
 * `eval/return/agent<j>` and, for Table 1 games, `eval/converged` (1 or 0, §c.7).
 */
function withEvaluation(metrics: UpdateMetrics, evaluation: Evaluation): MetricsRecord {
  const record: Record<string, number> = { ...metrics };
  evaluation.returns.forEach((r, j) => {
    record[`eval/return/agent${j}`] = r;
  });
  if (evaluation.target !== null) record['eval/converged'] = evaluation.converged ? 1 : 0;
  return record;
}

/**
 * The trainer's metrics plus a HORM evaluation: `eval/crashRate`, `eval/crashRateAgent0`,
 * `eval/meanSpeed`, `eval/meanReturn`, `eval/return/agent<j>`, `eval/mergeCompletion` (absent when
 * no episode had a ramp CAV), `eval/episodeLength`, `eval/episodes`.
 */
function withHormEvaluation(metrics: UpdateMetrics, e: HormEvaluation): MetricsRecord {
  const record: Record<string, number> = {
    ...metrics,
    'eval/crashRate': e.crashRate,
    'eval/crashRateAgent0': e.crashRateAgent0,
    'eval/meanSpeed': e.meanSpeed,
    'eval/meanReturn': e.meanReturn,
  };
  e.meanReturnPerAgent.forEach((r, j) => {
    record[`eval/return/agent${j}`] = r;
  });
  if (e.mergeCompletion !== null) record['eval/mergeCompletion'] = e.mergeCompletion;
  record['eval/episodeLength'] = e.meanEpisodeLength;
  record['eval/episodes'] = e.episodes;
  return record;
}

/**
 * Keeps only the metrics of updates ≤ `update` (lines written after the checkpoint a run resumes
 * from would otherwise appear twice). Rewrites the file atomically, and only when something goes.
 */
export async function truncateMetrics(path: string, update: number): Promise<void> {
  if (!existsSync(path)) return;
  const { records, truncatedLastLine } = await readMetrics(path);
  const kept = records.filter((r) => typeof r.update === 'number' && r.update <= update);
  if (kept.length === records.length && !truncatedLastLine) return;
  await writeFileAtomic(path, kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
