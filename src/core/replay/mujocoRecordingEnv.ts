/**
 * A MujocoEnv that records every episode played on it as a MuJoCo replay (mujocoRecorder.ts):
 * wrapped around the env an evaluation plays, it records without the evaluation knowing, and hands
 * each finished episode's bytes to `onReplay`. An episode must start with `reset(seed)`: the
 * replay records its seed.
 */
import type { MujocoEnv } from '../envs/mujoco/index.js';
import type { EnvSpec, EnvStep, EnvTransition, MultiAgentEnv } from '../envs/types.js';
import { type MujocoRecordingInfo, MujocoReplayRecorder } from './mujocoRecorder.js';

/** How a MujocoRecordingEnv records. */
export interface MujocoRecordingOptions {
  /** What the header says beyond the env, for the episode reset with `seed`. */
  info(seed: number): MujocoRecordingInfo;
  /** A finished episode's replay (the whole file). */
  onReplay(seed: number, bytes: Uint8Array): void;
  /** Frames per chunk; default the writer's. */
  readonly framesPerChunk?: number;
}

/** `env`, recording each episode. */
export class MujocoRecordingEnv implements MultiAgentEnv {
  readonly spec: EnvSpec;
  private recorder: MujocoReplayRecorder | null = null;
  private seed = 0;

  constructor(
    private readonly env: MujocoEnv,
    private readonly options: MujocoRecordingOptions,
  ) {
    this.spec = env.spec;
  }

  /** Starts an episode and its recording (an unfinished one is dropped). */
  reset(seed?: number): EnvStep {
    if (seed === undefined) throw new Error(`${this.spec.name}: a recorded episode needs reset(seed)`);
    const step = this.env.reset(seed);
    this.seed = seed;
    const framesPerChunk = this.options.framesPerChunk;
    this.recorder = new MujocoReplayRecorder(
      this.env,
      this.options.info(seed),
      framesPerChunk === undefined ? {} : { framesPerChunk },
    );
    this.recorder.start(step);
    return step;
  }

  step(actions: ArrayLike<number>): EnvTransition {
    const recorder = this.recorder;
    if (recorder === null) throw new Error(`${this.spec.name}: step before reset(seed)`);
    const transition = this.env.step(actions);
    recorder.record(actions, transition);
    if (transition.episodeDone) {
      this.recorder = null;
      this.options.onReplay(this.seed, recorder.finish());
    }
    return transition;
  }

  /**
   * Ends the episode being recorded, if any, and hands over its replay: for a caller that stopped
   * stepping before the env said the episode was done.
   */
  finishEpisode(): void {
    const recorder = this.recorder;
    if (recorder === null) return;
    this.recorder = null;
    this.options.onReplay(this.seed, recorder.finish());
  }

  close(): void {
    this.env.close();
  }
}
