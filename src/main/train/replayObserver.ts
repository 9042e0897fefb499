/**
 * An episode observer that records a HORM episode as a replay (src/core/replay) and, at the
 * episode's end, queues the file's bytes for writing. Shared by `steer eval --record`,
 * `steer baseline --record`, the app's evaluations and the editor's Run, which differ only in the
 * model they name in the header (a trained run's: `runModel`).
 */
import { createRequire } from 'node:module';
import type { HormEnv } from '../../core/envs/horm/index.js';
import { type JsonValue, ReplayRecorder } from '../../core/replay/index.js';
import type { EpisodeObserver } from './hormEvaluate.js';
import type { RunConfig } from './runDir.js';
import type { LoadedScenario } from './runEnvironment.js';

const VERSION = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

/** What made the episode, as the replay header records it. */
export type ReplayModelInfo = ConstructorParameters<typeof ReplayRecorder>[1]['model'];

/**
 * The header's model for a trained run's greedy policy: named by the run's algorithm ("steer",
 * "mappo", …, config.json's train.algo), `label` the run folder as the user names it.
 */
export function runModel(
  run: RunConfig,
  where: { readonly label: string; readonly checkpoint: string; readonly update: number },
): ReplayModelInfo {
  return {
    name: run.train.algo,
    run: where.label,
    checkpoint: where.checkpoint,
    update: where.update,
    deterministic: true,
  };
}

/** Where and how to record one episode. */
export interface ReplayObserverOptions {
  /** File the bytes are meant for (queued in `out`, written by the caller). */
  readonly file: string;
  /** The episode's env seed. */
  readonly seed: number;
  readonly scenario: LoadedScenario;
  readonly model: ReplayModelInfo;
  /** Finished replays, appended at each episode's end. */
  readonly out: { file: string; bytes: Uint8Array }[];
  /** Frames per chunk of the file (ReplayWriterOptions); default the writer's. */
  readonly framesPerChunk?: number;
  /**
   * Called with the file's bytes as they are finished (preamble and header, then each full chunk,
   * then the end): the pieces joined are the file `out` receives. For watching an episode live.
   */
  readonly onBytes?: (bytes: Uint8Array) => void;
}

/** An observer that records the episode; policies without value estimates pass none (stored as NaN). */
export function replayObserver(env: HormEnv, options: ReplayObserverOptions): EpisodeObserver {
  const recorder = new ReplayRecorder(
    env,
    {
      scenario: {
        seed: options.seed,
        name: options.scenario.scenario.name,
        file: options.scenario.file,
        document: JSON.parse(JSON.stringify(options.scenario.scenario)) as { [key: string]: JsonValue },
      },
      model: options.model,
      createdAt: new Date().toISOString(),
      generator: `steer-studio ${VERSION}`,
    },
    options.framesPerChunk === undefined ? {} : { framesPerChunk: options.framesPerChunk },
  );
  const onBytes = options.onBytes;
  if (onBytes === undefined) {
    return {
      start: (step) => recorder.start(step),
      step: (transition, values) => recorder.record(transition, values),
      end: () => {
        options.out.push({ file: options.file, bytes: recorder.finish() });
      },
    };
  }
  // Streamed: hand out each finished piece, and keep them to queue the whole file at the end.
  const pieces: Uint8Array[] = [];
  const hand = (bytes: Uint8Array) => {
    if (bytes.length === 0) return;
    pieces.push(bytes);
    onBytes(bytes);
  };
  return {
    start: (step) => {
      recorder.start(step);
      hand(recorder.drain());
    },
    step: (transition, values) => {
      recorder.record(transition, values);
      hand(recorder.drain());
    },
    end: () => {
      hand(recorder.finish());
      options.out.push({ file: options.file, bytes: concatBytes(pieces) });
    },
  };
}

/** The pieces joined into one array. */
function concatBytes(pieces: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(pieces.reduce((n, piece) => n + piece.length, 0));
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}
