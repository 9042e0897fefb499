/**
 * Records an MA-MuJoCo episode (docs/envs/mujoco.md) into a MuJoCo replay while it is simulated:
 *
 *   const recorder = new MujocoReplayRecorder(env, { seed, model: { name: 'steer' }, createdAt });
 *   const step = env.reset(seed);
 *   recorder.start(step);
 *   for (;;) {
 *     const transition = env.step(actions);
 *     recorder.record(actions, transition);
 *     if (transition.episodeDone) break;
 *   }
 *   const bytes = recorder.finish();
 *
 * As for HORM (recorder.ts), frame t is the state after t steps plus the action taken in it, so a
 * frame is written one step late. Body poses are MuJoCo's data.xpos and data.xquat as the env
 * leaves them after a step: MuJoCo computes them at the start of its last substep, so they trail
 * the state by one substep (dt / frame skip), exactly what the task's reward and observations read.
 */
import type { MujocoEnv } from '../envs/mujoco/index.js';
import type { EnvStep, EnvTransition } from '../envs/types.js';
import { type MujocoGeomType, type MujocoReplayHeader, totalActionDim } from './mujocoSchemas.js';
import { MujocoReplayWriter } from './mujocoWriter.js';
import type { ReplayHeader } from './schemas.js';

/** What the caller knows about a recording that the env does not. */
export interface MujocoRecordingInfo {
  /** Seed the episode was reset with. */
  readonly seed: number;
  /** What chose the actions. */
  readonly model: ReplayHeader['model'];
  /** ISO 8601 time of the recording: the caller's clock. */
  readonly createdAt: string;
  /** Program that writes the file, e.g. "steer-studio 0.1.0". */
  readonly generator?: string;
}

/**
 * The header of an episode of `env` whose decision order is `priority` (leader first). Geom types
 * the player cannot draw (height fields, meshes) are kept as MuJoCo names them, so the writer
 * refuses them naming the geom.
 */
export function mujocoReplayHeader(
  env: MujocoEnv,
  priority: ArrayLike<number>,
  info: MujocoRecordingInfo,
): MujocoReplayHeader {
  const geometry = env.modelGeometry();
  const { layout, spec } = env;
  return {
    kind: 'mujoco',
    env: spec.name,
    task: { scenario: env.task.scenario, agentConf: layout.agentConf, agentObsk: layout.agentObsk },
    seed: info.seed,
    model: info.model,
    dtS: env.stepSeconds,
    episodeLimit: spec.episodeLimit,
    bodies: geometry.bodies.map((body) => ({ ...body })),
    geoms: geometry.geoms.map((geom) => ({ ...geom, type: geom.type as MujocoGeomType })),
    agents: layout.agentJoints.map((joints, j) => ({
      joints: [...joints],
      drives: [...geometry.agentDrives[j]!.joints],
      bodies: [...geometry.agentDrives[j]!.bodies],
      actionDim: layout.actuators[j]!.length,
    })),
    priority: Array.from(priority),
    createdAt: info.createdAt,
    ...(info.generator === undefined ? {} : { generator: info.generator }),
  };
}

/** Records one episode of a MujocoEnv. */
export class MujocoReplayRecorder {
  private writer: MujocoReplayWriter | null = null;
  private readonly position: Float64Array;
  private readonly quaternion: Float64Array;
  private actions = new Float32Array(0);
  /** First entry of each agent's values in the env's joint action (agent-major, padded to the widest). */
  private readonly stride: number;
  private finished = false;

  constructor(
    private readonly env: MujocoEnv,
    private readonly info: MujocoRecordingInfo,
    private readonly options: { readonly framesPerChunk?: number } = {},
  ) {
    const bodies = env.task.sizes.nbody;
    this.position = new Float64Array(3 * bodies);
    this.quaternion = new Float64Array(4 * bodies);
    const space = env.spec.actionSpace;
    this.stride = space.kind === 'continuous' ? space.dim : 1;
  }

  /** The episode's header (after `start`). */
  get header(): MujocoReplayHeader {
    if (this.writer === null) throw new Error('MujocoReplayRecorder.header: call start(step) first');
    return this.writer.header;
  }

  /** After `env.reset(seed)`, with what it returned: writes the header, keeps the reset state. */
  start(step: EnvStep): void {
    if (this.writer !== null) throw new Error('MujocoReplayRecorder.start: already started');
    const header = mujocoReplayHeader(this.env, step.priority, this.info);
    this.writer = new MujocoReplayWriter(header, this.options);
    this.actions = new Float32Array(totalActionDim(header));
    this.env.readBodyPoses(this.position, this.quaternion);
  }

  /** After each `env.step(actions)`: the pending frame gets the action and reward; the new state is kept. */
  record(actions: ArrayLike<number>, transition: EnvTransition): void {
    const writer = this.started('record');
    const agents = writer.header.agents;
    let at = 0;
    for (let j = 0; j < agents.length; j++) {
      for (let k = 0; k < agents[j]!.actionDim; k++) this.actions[at++] = actions[j * this.stride + k]!;
    }
    writer.writeFrame({
      decision: true,
      position: this.position,
      quaternion: this.quaternion,
      actions: this.actions,
      reward: transition.rewards[0]!, // shared by every agent
    });
    this.env.readBodyPoses(this.position, this.quaternion);
  }

  /** The bytes finished so far (to stream a recording into a file). */
  drain(): Uint8Array {
    return this.started('drain').drain();
  }

  /** Writes the last state as the terminal frame and returns the rest of the file. */
  finish(): Uint8Array {
    const writer = this.started('finish');
    if (this.finished) throw new Error('MujocoReplayRecorder.finish: already finished');
    this.finished = true;
    writer.writeFrame({
      decision: false,
      position: this.position,
      quaternion: this.quaternion,
      actions: this.actions,
      reward: 0,
    });
    return writer.finish();
  }

  private started(what: string): MujocoReplayWriter {
    if (this.writer === null) throw new Error(`MujocoReplayRecorder.${what}: call start(step) first`);
    return this.writer;
  }
}
