/**
 * Records a HORM episode (docs/spec/horm.md) into the replay format while it is simulated:
 *
 *   const recorder = new ReplayRecorder(env, { scenario: { seed }, model: { name: 'steer' }, createdAt });
 *   let step = env.reset(seed);
 *   recorder.start(step);
 *   while (…) {
 *     const transition = env.step(actions);     // values: the policy's V(s) for the state acted in
 *     recorder.record(transition, values);
 *     if (transition.episodeDone) break;
 *   }
 *   const bytes = recorder.finish();
 *
 * Frame t is the state after t decisions plus the decision taken in it (frame.ts), so a frame is
 * written one step late: `record` completes the pending frame with the step's actions and rewards,
 * then captures the new state as the next pending frame. One preallocated frame is reused; a step
 * allocates nothing until a chunk is full.
 */
import type { HormEnv } from '../envs/horm/index.js';
import type { EnvStep, EnvTransition } from '../envs/types.js';
import { MetaAction, POLICY_FREQUENCY_HZ } from '../sim/horm/index.js';
import type { ReplayFrame, ReplayFrameInput } from './frame.js';
import { NO_LANE } from './layout.js';
import type { JsonValue, ReplayHeader } from './schemas.js';
import { ReplayWriter, type ReplayWriterOptions } from './writer.js';

/**
 * Kind byte → name: the simulator's VehicleKind codes (cav 0, hdv 1; sim/horm/vehicle/vehicleTable.ts),
 * stored as they are.
 */
export const HORM_VEHICLE_KINDS: readonly string[] = Object.freeze(['cav', 'hdv']);

/** Meta-action names by index (docs/spec/horm.md §3.1): "LANE_LEFT", "IDLE", "LANE_RIGHT", "FASTER", "SLOWER". */
export const HORM_ACTION_NAMES: readonly string[] = Object.freeze(
  Object.entries(MetaAction)
    .sort(([, a], [, b]) => a - b)
    .map(([name]) => name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()),
);

/** What the caller knows about a recording that the env does not. */
export interface ReplayRecordingInfo {
  readonly scenario: {
    /** Seed the episode was reset with. */
    readonly seed: number;
    /** Display name; default: the env name ("horm:density-3"). */
    readonly name?: string;
    /** Reference density; default: the env's. Leave out for an explicit vehicle list. */
    readonly density?: 1 | 2 | 3 | null;
    /** Scenario file, as given. */
    readonly file?: string;
    /** The resolved scenario document. */
    readonly document?: { [key: string]: JsonValue };
  };
  /** What chose the actions. */
  readonly model: ReplayHeader['model'];
  /** ISO 8601 time of the recording: the caller's clock. */
  readonly createdAt: string;
  /** Program that writes the file, e.g. "steer-studio 0.1.0". */
  readonly generator?: string;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The replay header of an episode of `env`. */
export function hormReplayHeader(env: HormEnv, info: ReplayRecordingInfo): ReplayHeader {
  const network = env.sim.world.network;
  const lengthOf = (from: string, to: string, index: number) => network.laneAt({ from, to, index }).lengthM;
  const density = info.scenario.density === undefined ? env.config.density : info.scenario.density;
  const scenario: Mutable<ReplayHeader['scenario']> = {
    name: info.scenario.name ?? env.spec.name,
    seed: info.scenario.seed,
  };
  if (density !== null) scenario.density = density;
  if (info.scenario.file !== undefined) scenario.file = info.scenario.file;
  if (info.scenario.document !== undefined) scenario.document = info.scenario.document;
  const header: Mutable<ReplayHeader> = {
    env: env.spec.name,
    scenario,
    model: info.model,
    agents: env.spec.numAgents,
    road: {
      beforeMergeM: lengthOf('j', 'k', 0),
      convergingM: lengthOf('k', 'b', 0),
      mergeM: lengthOf('b', 'c', 1),
      afterMergeM: lengthOf('c', 'd', 0),
    },
    lanes: network.lanes.map((lane) => `${lane.address.from}-${lane.address.to}-${lane.address.index}`),
    kinds: [...HORM_VEHICLE_KINDS],
    actions: [...HORM_ACTION_NAMES],
    stepS: 1 / POLICY_FREQUENCY_HZ,
    rewardType: env.config.rewardType,
    supervisor: env.config.safetySupervisor,
    priorityRule: env.config.priority,
    createdAt: info.createdAt,
  };
  if (info.generator !== undefined) header.generator = info.generator;
  return header;
}

/** A frame buffer the recorder fills in place. */
type FrameBuffer = Mutable<Pick<ReplayFrameInput, 'decision' | 'vehicleCount'>> &
  Omit<ReplayFrame, 'index' | 'decision' | 'vehicleCount'>; // the same typed columns a reader returns

/** Records one episode of a HormEnv (see the file comment for the call sequence). */
export class ReplayRecorder {
  readonly writer: ReplayWriter;
  private readonly env: HormEnv;
  private readonly frame: FrameBuffer;
  private stage: 'new' | 'recording' | 'over' | 'finished' = 'new';

  constructor(env: HormEnv, info: ReplayRecordingInfo, options: ReplayWriterOptions = {}) {
    this.env = env;
    this.writer = new ReplayWriter(hormReplayHeader(env, info), options);
    const capacity = env.sim.world.vehicles.capacity;
    const agents = env.spec.numAgents;
    this.frame = {
      decision: false,
      vehicleCount: 0,
      x: new Float32Array(capacity),
      y: new Float32Array(capacity),
      heading: new Float32Array(capacity),
      speed: new Float32Array(capacity),
      kind: new Uint8Array(capacity),
      lane: new Uint8Array(capacity),
      crashed: new Uint8Array(capacity),
      proposed: new Int8Array(agents),
      executed: new Int8Array(agents),
      rank: new Uint8Array(agents),
      reward: new Float64Array(agents),
      value: new Float32Array(agents),
    };
  }

  /** Frames written so far (the pending state is not counted until its decision is recorded). */
  get frameCount(): number {
    return this.writer.frameCount;
  }

  /** Captures the reset state; call right after `env.reset`, with what it returned. */
  start(step: EnvStep): void {
    if (this.stage !== 'new')
      throw new Error(`ReplayRecorder.start: expected a new recorder, this one is ${this.stage}`);
    this.capture(step);
    this.stage = 'recording';
  }

  /**
   * Completes the pending frame with the step just taken and captures the new state.
   * @param transition what `env.step` returned.
   * @param values the policy's value estimate per agent for the state the actions were chosen in
   *   (agent order); omitted → NaN.
   */
  record(transition: EnvTransition, values?: ArrayLike<number>): void {
    if (this.stage !== 'recording') {
      throw new Error(
        this.stage === 'new'
          ? 'ReplayRecorder.record: call start(env.reset(seed)) first'
          : `ReplayRecorder.record: the episode is ${this.stage === 'over' ? 'over' : 'finished'}; call finish()`,
      );
    }
    const f = this.frame;
    const proposed = this.env.proposedActions;
    const executed = this.env.executedActions;
    f.decision = true;
    for (let j = 0; j < f.proposed.length; j++) {
      f.proposed[j] = proposed[j]!;
      f.executed[j] = executed[j]!;
      f.reward[j] = transition.rewards[j]!;
    }
    this.setValues(values);
    this.writer.writeFrame(f);
    this.capture(transition);
    if (transition.episodeDone) this.stage = 'over';
  }

  /** Bytes finished so far (to stream them to a file); the rest comes from `finish`. */
  drain(): Uint8Array {
    return this.writer.drain();
  }

  /**
   * Writes the last state as the terminal frame (no decision) and ends the file.
   * @param values optional value estimate of that state (e.g. the bootstrap value at a time limit).
   * @returns the bytes not yet drained (the whole file when `drain` was never called).
   */
  finish(values?: ArrayLike<number>): Uint8Array {
    if (this.stage === 'new' || this.stage === 'finished') {
      throw new Error(`ReplayRecorder.finish: expected a started recording, this one is ${this.stage}`);
    }
    this.frame.decision = false;
    this.setValues(values);
    this.writer.writeFrame(this.frame);
    this.stage = 'finished';
    return this.writer.finish();
  }

  /** Copies the simulator's vehicles and the decision order of `step` into the frame buffer. */
  private capture(step: EnvStep): void {
    const f = this.frame;
    const t = this.env.sim.world.vehicles;
    const n = t.count;
    f.vehicleCount = n;
    for (let i = 0; i < n; i++) {
      f.x[i] = t.x[i]!;
      f.y[i] = t.y[i]!;
      f.heading[i] = t.heading[i]!;
      f.speed[i] = t.speed[i]!;
      f.kind[i] = t.kind[i]!;
      const lane = t.lane[i]!;
      f.lane[i] = lane < 0 ? NO_LANE : lane;
      f.crashed[i] = t.crashed[i]!;
    }
    // priority lists agents from leader to last follower; the frame stores each agent's position.
    for (let p = 0; p < step.priority.length; p++) f.rank[step.priority[p]!] = p;
  }

  private setValues(values: ArrayLike<number> | undefined): void {
    const v = this.frame.value;
    if (values !== undefined && values.length !== v.length) {
      throw new RangeError(
        `ReplayRecorder: values expected ${v.length} numbers (one per agent), received ${values.length}`,
      );
    }
    for (let j = 0; j < v.length; j++) v[j] = values === undefined ? Number.NaN : values[j]!;
  }
}
