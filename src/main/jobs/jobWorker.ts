/**
 * Worker thread of the job service (jobService.ts): runs one task off the main thread, so the
 * window and the web host never wait on training.
 *
 * - `train`: selects the ML backend, creates the run folder (a resume is recorded in argv.json by
 *   `runTraining`, once the checkpoint is verified), then `runTraining`; a "stop" message aborts its
 *   signal, so the job finishes the update in progress, saves checkpoints/latest and ends
 *   "interrupted" (nothing is lost).
 * - `evaluate`: the latest checkpoint, greedily (evaluateRun.ts); scenario runs record a replay
 *   per episode, and so do MA-MuJoCo runs (seeded episodes, replay/episodesReplays.ts).
 *
 * Every outcome is a message; an exception ends as a `failed` message with its text.
 */
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../../core/nn/node/backends.js';
import { CheckpointError } from '../io/checkpoint.js';
import { replayFileName, writeReplayFile } from '../io/replayFile.js';
import { evaluateEpisodesRun } from '../replay/episodesReplays.js';
import { evaluateHormRun, evaluateRun } from '../train/evaluateRun.js';
import { replayObserver, runModel } from '../train/replayObserver.js';
import {
  createRunDir,
  type Invocation,
  type RunConfig,
  RunDirError,
  readRunConfig,
  runPaths,
} from '../train/runDir.js';
import { runTraining } from '../train/runTraining.js';
import type { TsWorkerData } from '../workers/tsWorker.js';

/** Train (or continue) one run folder. */
export interface TrainTask {
  readonly kind: 'train';
  readonly runDir: string;
  /** Backend name or "auto". */
  readonly backend: string;
  /** The `steer train` arguments that do the same, for argv.json. */
  readonly argv: readonly string[];
  /** Folder the argv is relative to (the project root). */
  readonly cwd: string;
  /** A new run: its config.json and, for a scenario run, the scenario file's text. Absent: resume. */
  readonly create?: { readonly run: RunConfig; readonly scenarioText?: string };
}

/** Evaluate one run folder's latest checkpoint. */
export interface EvaluateTask {
  readonly kind: 'evaluate';
  readonly runDir: string;
  readonly backend: string;
  /** Scenario and MA-MuJoCo runs: episodes and the first env seed. */
  readonly episodes: number;
  readonly seed: number;
  /** Scenario and MA-MuJoCo runs: where to write the replays (absolute) and how the API names that folder. */
  readonly record: { readonly dir: string; readonly apiDir: string } | null;
  /** How the replays' headers name the run ("runs/<runId>"). */
  readonly runLabel: string;
}

/** A task. */
export type JobTask = TrainTask | EvaluateTask;

/** What an evaluation found. */
export interface EvaluateOutcome {
  readonly env: string;
  readonly update: number;
  readonly episodes: number;
  readonly metrics: Record<string, number | null>;
  /** API paths of the replays written. */
  readonly replays: string[];
  readonly seconds: number;
}

/** Messages to the parent. */
export type JobWorkerMessage =
  | { readonly type: 'backend'; readonly name: string }
  | { readonly type: 'start'; readonly startUpdate: number; readonly totalUpdates: number }
  | { readonly type: 'update'; readonly update: number }
  | { readonly type: 'done'; readonly status: 'completed' | 'interrupted'; readonly update: number }
  | { readonly type: 'evaluated'; readonly outcome: EvaluateOutcome }
  | {
      readonly type: 'failed';
      readonly message: string;
      /** The run folder or its checkpoint is bad (not a bug). */
      readonly fileProblem: boolean;
    };

/** Messages from the parent. */
export type JobWorkerCommand = { readonly type: 'stop' };

const port = parentPort;
if (port === null) throw new Error('jobWorker.ts runs in a worker thread (see jobService.ts)');
const post = (message: JobWorkerMessage) => port.postMessage(message);
const task = (workerData as TsWorkerData<JobTask>).task;
const controller = new AbortController();
port.on('message', (command: JobWorkerCommand) => {
  if (command.type === 'stop') controller.abort();
});

try {
  const backend = (await initBackend(task.backend, () => {})).name;
  post({ type: 'backend', name: backend });
  if (task.kind === 'train') await train(task, backend);
  else post({ type: 'evaluated', outcome: await evaluate(task) });
} catch (error) {
  post({
    type: 'failed',
    message: error instanceof Error ? error.message : String(error),
    fileProblem: error instanceof RunDirError || error instanceof CheckpointError,
  });
}
port.close(); // nothing more to hear: let the thread end

async function train(t: TrainTask, backend: string): Promise<void> {
  const invocation: Invocation = {
    argv: [...t.argv],
    cwd: t.cwd,
    at: new Date().toISOString(),
    backend,
    node: process.version,
  };
  if (t.create !== undefined) await createRunDir(t.runDir, t.create.run, invocation, t.create.scenarioText);
  const result = await runTraining({
    runDir: t.runDir,
    signal: controller.signal,
    finalEvaluation: false, // a stop would spend seconds on an evaluation the app never shows
    resumedBy: t.create === undefined ? invocation : undefined,
    onStart: ({ startUpdate, totalUpdates }) => post({ type: 'start', startUpdate, totalUpdates }),
    onUpdate: (update) => post({ type: 'update', update }),
  });
  post({ type: 'done', status: result.status, update: result.update });
}

async function evaluate(t: EvaluateTask): Promise<EvaluateOutcome> {
  const started = performance.now();
  const run = await readRunConfig(t.runDir);
  if (run.scenario === undefined && run.evaluation !== undefined) return evaluateSeededEpisodes(t, started);
  if (run.scenario === undefined) {
    // Registry env (matrix games): the one greedy episode of docs/spec/steer.md §c.7.
    const { update, evaluation } = await evaluateRun(t.runDir);
    const metrics: Record<string, number | null> = {};
    if (evaluation.target !== null) metrics.converged = evaluation.converged ? 1 : 0;
    evaluation.returns.forEach((r, j) => {
      metrics[`return/agent${j}`] = r;
    });
    const seconds = (performance.now() - started) / 1000;
    return { env: run.env, update, episodes: 1, metrics, replays: [], seconds };
  }
  const written: { file: string; bytes: Uint8Array }[] = [];
  const names: string[] = [];
  const record = t.record;
  const result = await evaluateHormRun(t.runDir, {
    episodes: t.episodes,
    seed: t.seed,
    observe:
      record === null
        ? undefined
        : (env, episode, seed, info) => {
            const name = replayFileName(episode, seed, t.episodes);
            names.push(name);
            return replayObserver(env, {
              file: join(record.dir, name),
              seed,
              scenario: info.scenario,
              model: runModel(info.run, {
                label: t.runLabel,
                checkpoint: runPaths(t.runDir).checkpoint,
                update: info.update,
              }),
              out: written,
            });
          },
  });
  for (const replay of written) await writeReplayFile(replay.file, replay.bytes);
  const e = result.evaluation;
  return {
    env: run.env,
    update: result.update,
    episodes: e.episodes,
    metrics: {
      crashRate: e.crashRate,
      crashRateAgent0: e.crashRateAgent0,
      meanSpeed: e.meanSpeed,
      meanReturn: e.meanReturn,
      mergeCompletion: e.mergeCompletion,
      meanEpisodeLength: e.meanEpisodeLength,
    },
    replays: record === null ? [] : names.map((name) => `${record.apiDir}/${name}`),
    seconds: (performance.now() - started) / 1000,
  };
}

/** A run evaluated over seeded episodes (MA-MuJoCo): mean, max and min return; a replay per episode. */
async function evaluateSeededEpisodes(t: EvaluateTask, started: number): Promise<EvaluateOutcome> {
  const record = t.record;
  const { run, update, evaluation, replays } = await evaluateEpisodesRun(
    t.runDir,
    { episodes: t.episodes, seed: t.seed },
    record === null ? null : { dir: record.dir, runLabel: t.runLabel },
  );
  for (const replay of replays) await writeReplayFile(replay.file, replay.bytes);
  const metrics: Record<string, number | null> = {
    meanReturn: evaluation.meanReturn,
    maxReturn: evaluation.maxReturn,
    minReturn: evaluation.minReturn,
    meanEpisodeLength: evaluation.meanLength,
  };
  return {
    env: run.env,
    update,
    episodes: evaluation.episodes,
    metrics,
    replays: record === null ? [] : replays.map((replay) => `${record.apiDir}/${replay.name}`),
    seconds: (performance.now() - started) / 1000,
  };
}
