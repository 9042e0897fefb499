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
 */
import { existsSync } from 'node:fs';
import { SteerTrainer, type UpdateMetrics } from '../../core/algos/steer/trainer.js';
import { makeEnv } from '../../core/envs/registry.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { MetricsLog, type MetricsRecord, readMetrics } from '../io/metricsLog.js';
import { type Evaluation, evaluateGreedy } from './evaluate.js';
import { type RunConfig, readRunConfig, runPaths } from './runDir.js';
import { isMissingCheckpoint, restoreTrainerCheckpoint, saveTrainerCheckpoint } from './trainerCheckpoint.js';

/** Callbacks of a training job; all optional. */
export interface TrainingEvents {
  /** After the run is loaded, before the first update of this session. */
  onStart?(info: { run: RunConfig; startUpdate: number; totalUpdates: number }): void;
  /** After each update, with the record just appended to metrics.jsonl. */
  onUpdate?(update: number, record: MetricsRecord): void;
  /** After checkpoints/latest was written at `update`. */
  onCheckpoint?(update: number): void;
}

/** Options of `runTraining`. */
export interface RunTrainingOptions extends TrainingEvents {
  /** The run folder (made by `createRunDir`). */
  readonly runDir: string;
  /** Overrides config.json's checkpointEvery for this session. */
  readonly checkpointEvery?: number;
  /** When aborted, the job finishes the update in progress, saves a checkpoint and returns. */
  readonly signal?: AbortSignal;
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
  /** Greedy evaluation (§c.7) of the policy as saved. */
  readonly evaluation: Evaluation;
}

/** Trains the run in `runDir` from its latest checkpoint (or from scratch) to its total updates. */
export async function runTraining(options: RunTrainingOptions): Promise<TrainingResult> {
  const started = performance.now();
  const paths = runPaths(options.runDir);
  const run = await readRunConfig(options.runDir);
  const checkpointEvery = options.checkpointEvery ?? run.checkpointEvery;
  const trainer = new SteerTrainer(run.env, () => makeEnv(run.env), run.train);
  const evalEnv = makeEnv(run.env);
  let log: MetricsLog | null = null;
  try {
    // --- resume point: the checkpoint, and the metrics up to it ---
    let startUpdate = 0;
    try {
      startUpdate = await restoreTrainerCheckpoint(paths.checkpoint, trainer, run);
    } catch (error) {
      if (!isMissingCheckpoint(error)) throw error;
    }
    await truncateMetrics(paths.metrics, startUpdate);
    log = MetricsLog.open(paths.metrics);
    const total = trainer.updates;
    options.onStart?.({ run, startUpdate, totalUpdates: total });

    // --- updates ---
    let saved = startUpdate > 0 ? startUpdate : -1;
    let interrupted = false;
    while (trainer.update < total) {
      if (options.signal?.aborted) {
        interrupted = true;
        break;
      }
      const record = withEvaluation(trainer.iterate(), evaluateGreedy(trainer.policy, evalEnv));
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
      evaluation: evaluateGreedy(trainer.policy, evalEnv),
    };
  } finally {
    log?.close();
    trainer.dispose();
    evalEnv.close?.();
  }
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
