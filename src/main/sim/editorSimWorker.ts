/**
 * Worker thread of `sim.run` (editorSim.ts): plays the editor's one episode off the main thread, so
 * the Electron main process and the web host keep serving the window while a model plays (issue #4:
 * simulation started from the app runs in a worker owned by the main process). Started through
 * src/main/workers/tsWorker.ts like the training jobs' workers.
 *
 * The host has already validated the scenario and checked that a run's policy fits it; here the
 * scenario's env is rebuilt from the opened scenario (not validated again), the tfjs backend selected (runs only), the episode played
 * and recorded. The outcome is one message: `played` with the replay's bytes, or `failed` with the
 * error's text. A live task (`sim.start`, liveSessions.ts) also posts the file's bytes as they are
 * finished (`bytes`: header, then each chunk), and paces the episode so it can be watched.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Trainer } from '../../core/algos/ppo/trainer.js';
import { type BaselinePolicyName, baselinePolicyForEpisode } from '../../core/envs/horm/baselinePolicies.js';
import { type OpenedScenarioData, reopenScenario } from '../../core/envs/horm/index.js';
import { initBackend } from '../../core/nn/node/backends.js';
import { CheckpointError } from '../io/checkpoint.js';
import { evaluateHorm, evaluateHormBaseline, type HormEvaluation } from '../train/hormEvaluate.js';
import { type ReplayModelInfo, replayObserver, runModel } from '../train/replayObserver.js';
import { RunDirError, readRunConfig, runPaths } from '../train/runDir.js';
import { type LoadedScenario, loadRunEnvironment } from '../train/runEnvironment.js';
import { restoreTrainerCheckpoint } from '../train/trainerCheckpoint.js';
import type { TsWorkerData } from '../workers/tsWorker.js';

/** The episode to play: everything plain data, checked by the host. */
export interface EditorEpisodeTask {
  /** The scenario, opened by the host (validated and checked for the simulator). */
  readonly scenario: OpenedScenarioData;
  /** Env seed. */
  readonly seed: number;
  /** The replay's file name as its header records it (project-relative). */
  readonly file: string;
  /** A baseline policy, or a run folder: its API path (for the header) and its absolute folder. */
  readonly model:
    | { readonly kind: 'baseline'; readonly policy: BaselinePolicyName }
    | { readonly kind: 'run'; readonly path: string; readonly runDir: string };
  /** Stream the replay while playing (sim.start); absent for sim.run. */
  readonly live?: EditorLiveOptions;
}

/** How a live episode is streamed. */
export interface EditorLiveOptions {
  /** Frames per replay chunk: the unit the host receives (a smaller chunk shows more often). */
  readonly framesPerChunk: number;
  /** Least wall-clock time per decision [ms]: the worker waits out the rest after each step. */
  readonly paceMs: number;
}

/** One played and recorded episode. */
export interface PlayedEpisode {
  readonly env: string;
  /** Decisions played. */
  readonly steps: number;
  readonly crashed: boolean;
  /** Mean over agents of the undiscounted return. */
  readonly meanReturn: number;
  /** The replay file's bytes. */
  readonly bytes: Uint8Array;
}

/** Messages to the host. */
export type EditorSimWorkerMessage =
  | { readonly type: 'played'; readonly episode: PlayedEpisode }
  /** The next finished bytes of the replay file (live tasks only), in file order. */
  | { readonly type: 'bytes'; readonly bytes: Uint8Array }
  | {
      readonly type: 'failed';
      readonly message: string;
      /** The run folder or its checkpoint is bad (not a bug). */
      readonly fileProblem: boolean;
    };

/** Plays `task`'s episode with a recorder attached. */
async function playEditorEpisode(task: EditorEpisodeTask): Promise<PlayedEpisode> {
  const loaded = reopenScenario(task.scenario);
  const out: { file: string; bytes: Uint8Array }[] = [];
  const live = task.live;
  const observe = (info: ReplayModelInfo) => (env: Parameters<typeof replayObserver>[0]) => {
    const options = { file: task.file, seed: task.seed, scenario: loaded, model: info, out };
    if (live === undefined) return replayObserver(env, options);
    const observer = replayObserver(env, {
      ...options,
      framesPerChunk: live.framesPerChunk,
      onBytes: (bytes) => post({ type: 'bytes', bytes }),
    });
    let last = performance.now();
    return {
      ...observer,
      step: (...args: Parameters<typeof observer.step>) => {
        observer.step(...args);
        // The episode loop is synchronous: block this thread (never the host's) for the rest of the step.
        const wait = live.paceMs - (performance.now() - last);
        if (wait > 0) Atomics.wait(PACE_CELL, 0, 0, wait);
        last = performance.now();
      },
    };
  };

  let evaluation: HormEvaluation;
  const model = task.model;
  if (model.kind === 'baseline') {
    const name = model.policy;
    evaluation = evaluateHormBaseline((s) => baselinePolicyForEpisode(name, s), loaded.makeEnv, {
      episodes: 1,
      seed: task.seed,
      observe: observe(
        name === 'random' ? { name, deterministic: false, seed: task.seed } : { name, deterministic: true },
      ),
    });
  } else {
    evaluation = await playRun(model.path, model.runDir, loaded, task.seed, observe);
  }
  const bytes = out[0]?.bytes;
  if (bytes === undefined) throw new Error('the episode recorded no replay');
  const result = evaluation.results[0]!;
  return {
    env: evaluation.env,
    steps: result.length,
    crashed: result.crashed,
    meanReturn: evaluation.meanReturn,
    bytes,
  };
}

/** One greedy episode of the policy in `<runDir>/checkpoints/latest` (`path` names it in the header). */
async function playRun(
  path: string,
  runDir: string,
  loaded: LoadedScenario,
  seed: number,
  observe: (
    info: ReplayModelInfo,
  ) => (env: Parameters<typeof replayObserver>[0]) => ReturnType<typeof replayObserver>,
): Promise<HormEvaluation> {
  const run = await readRunConfig(runDir);
  const own = await loadRunEnvironment(runDir, run);
  await initBackend(undefined, () => {});
  const trainer = new Trainer(run.env, own.makeEnv, run.train);
  try {
    const update = await restoreTrainerCheckpoint(runPaths(runDir).checkpoint, trainer, run);
    const norm = trainer.valueNorm;
    return evaluateHorm(trainer.policy, loaded.makeEnv, {
      episodes: 1,
      seed,
      denormalize: run.train.useValueNorm ? (v) => norm.denormalize(v) : undefined,
      observe: observe(runModel(run, { label: path, checkpoint: `${path}/checkpoints/latest`, update })),
    });
  } finally {
    trainer.dispose();
  }
}

/** A cell nobody notifies: Atomics.wait on it is a plain sleep of this thread. */
const PACE_CELL = new Int32Array(new SharedArrayBuffer(4));

const port = parentPort;
if (port === null) throw new Error('editorSimWorker.ts runs in a worker thread (see editorSim.ts)');
const post = (message: EditorSimWorkerMessage) => port.postMessage(message);
try {
  post({
    type: 'played',
    episode: await playEditorEpisode((workerData as TsWorkerData<EditorEpisodeTask>).task),
  });
} catch (error) {
  post({
    type: 'failed',
    message: error instanceof Error ? error.message : String(error),
    fileProblem: error instanceof RunDirError || error instanceof CheckpointError,
  });
}
port.close(); // nothing more to say: let the thread end
