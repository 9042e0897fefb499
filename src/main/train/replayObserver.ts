/**
 * An episode observer that records a HORM episode as a replay (src/core/replay) and, at the
 * episode's end, queues the file's bytes for writing. Shared by `steer eval --record` and
 * `steer baseline --record`, which differ only in the model they name in the header.
 */
import { createRequire } from 'node:module';
import type { HormEnv } from '../../core/envs/horm/index.js';
import { type JsonValue, ReplayRecorder } from '../../core/replay/index.js';
import type { EpisodeObserver } from './hormEvaluate.js';
import type { LoadedScenario } from './runEnvironment.js';

const VERSION = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

/** What made the episode, as the replay header records it. */
export type ReplayModelInfo = ConstructorParameters<typeof ReplayRecorder>[1]['model'];

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
}

/** An observer that records the episode; policies without value estimates pass none (stored as NaN). */
export function replayObserver(env: HormEnv, options: ReplayObserverOptions): EpisodeObserver {
  const recorder = new ReplayRecorder(env, {
    scenario: {
      seed: options.seed,
      name: options.scenario.scenario.name,
      file: options.scenario.file,
      document: JSON.parse(JSON.stringify(options.scenario.scenario)) as { [key: string]: JsonValue },
    },
    model: options.model,
    createdAt: new Date().toISOString(),
    generator: `steer-studio ${VERSION}`,
  });
  return {
    start: (step) => recorder.start(step),
    step: (transition, values) => recorder.record(transition, values),
    end: () => {
      options.out.push({ file: options.file, bytes: recorder.finish() });
    },
  };
}
