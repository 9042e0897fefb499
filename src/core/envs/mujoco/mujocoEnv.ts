/**
 * MujocoEnv: one MA-MuJoCo env (docs/envs/mujoco.md) — a single-agent MuJoCo task split among
 * agents by a partition. Each step sends the agents' joint action to the task's actuators, runs the
 * task's frame skip of `mj_step`s, gives every agent the same reward (forward progress minus control
 * cost, and the task's other terms) and assembles each agent's observation from its neighbourhood.
 *
 * What differs from the reference on purpose (docs/envs/mujoco.md "Differences"):
 * - episodes are seeded: `reset(seed)` draws the reset noise from our RNG (the reference's `seed()`
 *   is a no-op), so the same seed gives the same episode;
 * - a diverged simulation (MuJoCo resets the data itself on NaN/Inf) ends the episode with
 *   `info.diverged = 1` instead of continuing from the engine's silent reset;
 * - contact forces are zero by default, as they were in the reference (mujoco-py 2.1 never filled
 *   them); `contactForces: 'computed'` fills them with `mj_rnePostConstraint`.
 *
 * Time-limit ends are reported as ends of the episode like every other end, as the reference's runner
 * treats them (no bootstrap).
 */

import type { MjData, MjModel } from 'mujoco-js';
import { Rng } from '../../rng.js';
import { clipContinuousActions } from '../continuous/continuousActions.js';
import type { ActionSpace, EnvSpec, EnvStep, EnvTransition, MultiAgentEnv } from '../types.js';
import { type ModelGeometry, readModelGeometry } from './modelGeometry.js';
import { compileModel, type MujocoModule } from './mujocoModule.js';
import { type MujocoObservations, mujocoObservations } from './mujocoObservations.js';
import type { AgentLayout, MujocoTask, SimState } from './types.js';

/** Options of one env beyond its task and partition. */
export interface MujocoEnvOptions {
  /** Registry name, e.g. "mujoco:HalfCheetah-6x1". */
  readonly name: string;
  /** Steps per episode (the reference: 1000). */
  readonly episodeLimit: number;
  /** "zero" as the reference (default), or "computed" with mj_rnePostConstraint. */
  readonly contactForces: 'zero' | 'computed';
}

/**
 * A JSON snapshot: the simulation state, the derived quantities the task reads (MuJoCo computes body
 * positions at the start of a step, so after a step they belong to the state before it, as gym
 * reads them; a restore must put back the same ones, not recompute them) and the episode's progress.
 */
export interface MujocoSnapshot {
  readonly env: string;
  readonly qpos: number[];
  readonly qvel: number[];
  readonly qaccWarmstart: number[];
  readonly xpos: number[];
  readonly cfrcExt: number[];
  readonly qfrcActuator: number[];
  readonly time: number;
  readonly steps: number;
  readonly nextSeed: number;
}

const NO_BOUNDS = { low: Number.NEGATIVE_INFINITY, high: Number.POSITIVE_INFINITY };

/** Views of the data over the wasm heap; fetched again when a heap growth detaches them. */
interface DataViews extends SimState {
  readonly ctrl: Float64Array;
}

export class MujocoEnv implements MultiAgentEnv {
  readonly spec: EnvSpec;
  private readonly model: MjModel;
  private readonly data: MjData;
  private readonly qpos0: Float64Array;
  private views: DataViews;
  private readonly observations: MujocoObservations;
  /** The raw joint action as received, agent-major. */
  private readonly action: Float64Array;
  /** The task's action vector (what goes to `ctrl`), unclipped. */
  private readonly taskAction: Float64Array;
  private readonly transition: {
    obs: Float32Array;
    state: Float32Array;
    availActions: null;
    active: Uint8Array;
    priority: Int32Array;
    rewards: Float64Array;
    dones: Uint8Array;
    episodeDone: boolean;
    info: Record<string, number>;
  };
  private readonly dt: number;
  private steps = 0;
  /** Seed of the next `reset()` without an argument; consecutive episodes use consecutive seeds. */
  private nextSeed = 0;
  private closed = false;

  constructor(
    private readonly module: MujocoModule,
    readonly task: MujocoTask,
    readonly layout: AgentLayout,
    private readonly options: MujocoEnvOptions,
  ) {
    this.model = compileModel(module, task.xml, task.scenario);
    try {
      this.data = new module.MjData(this.model);
    } catch (error) {
      this.model.delete();
      throw error;
    }
    this.qpos0 = Float64Array.from(this.model.qpos0 as Float64Array);
    this.views = this.fetchViews();
    this.observations = mujocoObservations(task, layout);
    const numAgents = layout.agentJoints.length;
    const dim = Math.max(...layout.actuators.map((a) => a.length));
    const actionSpace: ActionSpace = { kind: 'continuous', dim, low: -1, high: 1 };
    this.spec = {
      name: options.name,
      numAgents,
      obsDim: this.observations.obsDim,
      stateDim: this.observations.stateDim,
      actionSpace,
      episodeLimit: options.episodeLimit,
    };
    this.action = new Float64Array(numAgents * dim);
    this.taskAction = new Float64Array(task.sizes.nu);
    this.dt = task.timestep * task.frameSkip;
    this.transition = {
      obs: new Float32Array(numAgents * this.spec.obsDim),
      state: new Float32Array(this.spec.stateDim),
      availActions: null,
      active: new Uint8Array(numAgents).fill(1),
      priority: Int32Array.from({ length: numAgents }, (_, agent) => agent),
      rewards: new Float64Array(numAgents),
      dones: new Uint8Array(numAgents),
      episodeDone: false,
      info: {},
    };
  }

  /** Starts an episode: the model's rest pose plus the task's reset noise drawn from `seed`. */
  reset(seed?: number): EnvStep {
    this.assertOpen();
    const episodeSeed = seed ?? this.nextSeed;
    this.nextSeed = episodeSeed + 1;
    this.module.mj_resetData(this.model, this.data);
    const views = this.currentViews();
    this.task.resetState(this.qpos0, views.qpos, views.qvel, Rng.fromSeed(episodeSeed));
    this.module.mj_forward(this.model, this.data);
    this.steps = 0;
    return this.observe(false);
  }

  /**
   * One joint action (agent-major, numAgents × dim raw values, as the policy sampled them). MuJoCo
   * clamps the controls to [−1, 1] inside actuation; the control cost uses the values as sent, as
   * the reference does. Throws on a wrong length or a value that is not a finite number.
   */
  step(actions: ArrayLike<number>): EnvTransition {
    this.assertOpen();
    const { numAgents } = this.spec;
    const dim = this.action.length / numAgents;
    clipContinuousActions(this.spec.name, actions, numAgents, dim, NO_BOUNDS, this.action);
    this.taskAction.fill(0);
    this.layout.actuators.forEach((targets, agent) => {
      for (let j = 0; j < targets.length; j++) this.taskAction[targets[j]!] = this.action[agent * dim + j]!;
    });
    let views = this.currentViews();
    const xBefore = this.task.forwardX(views);
    views.ctrl.set(this.taskAction);
    const timeBefore = this.data.time;
    for (let k = 0; k < this.task.frameSkip; k++) this.module.mj_step(this.model, this.data);
    const diverged = this.divergedDuring(timeBefore);
    if (this.options.contactForces === 'computed' && this.task.readsContactForces) {
      this.module.mj_rnePostConstraint(this.model, this.data);
    }
    views = this.currentViews();
    const { reward, terms } = this.task.reward(
      xBefore,
      this.task.forwardX(views),
      this.dt,
      this.taskAction,
      views,
    );
    this.steps += 1;
    const ended = diverged || this.task.terminated(views) || this.steps >= this.spec.episodeLimit;
    const transition = this.observe(ended);
    transition.rewards.fill(diverged ? 0 : reward);
    Object.assign(transition.info, terms, { diverged: diverged ? 1 : 0 });
    return transition;
  }

  snapshot(): MujocoSnapshot {
    this.assertOpen();
    const views = this.currentViews();
    return {
      env: this.spec.name,
      qpos: Array.from(views.qpos),
      qvel: Array.from(views.qvel),
      qaccWarmstart: Array.from(this.data.qacc_warmstart as Float64Array),
      xpos: Array.from(views.xpos),
      cfrcExt: Array.from(views.cfrcExt),
      qfrcActuator: Array.from(views.qfrcActuator),
      time: this.data.time,
      steps: this.steps,
      nextSeed: this.nextSeed,
    };
  }

  restore(snapshot: unknown): EnvStep {
    this.assertOpen();
    const s = this.checkedSnapshot(snapshot);
    this.module.mj_resetData(this.model, this.data);
    const views = this.currentViews();
    views.qpos.set(s.qpos);
    views.qvel.set(s.qvel);
    (this.data.qacc_warmstart as Float64Array).set(s.qaccWarmstart);
    this.data.time = s.time;
    this.module.mj_forward(this.model, this.data);
    views.xpos.set(s.xpos); // as the last step left them (see MujocoSnapshot)
    views.cfrcExt.set(s.cfrcExt);
    views.qfrcActuator.set(s.qfrcActuator);
    this.steps = s.steps;
    this.nextSeed = s.nextSeed;
    return this.observe(false);
  }

  // --- read-only views for replays (docs/replays.md "MuJoCo replays") ---

  /** Duration of one env step [s]: the model's timestep × the task's frame skip. */
  get stepSeconds(): number {
    return this.dt;
  }

  /** The compiled model's bodies, geoms and the joints and bodies each agent drives (plain copies). */
  modelGeometry(): ModelGeometry {
    this.assertOpen();
    return readModelGeometry(this.module, this.model, this.layout.actuators);
  }

  /**
   * Copies every body's world pose as the last step left it (data.xpos, nbody × 3 [m], and
   * data.xquat, nbody × 4 as w, x, y, z) into `position` and `quaternion`; views fetched fresh.
   */
  readBodyPoses(position: Float64Array | Float32Array, quaternion: Float64Array | Float32Array): void {
    this.assertOpen();
    position.set(this.data.xpos as Float64Array);
    quaternion.set(this.data.xquat as Float64Array);
  }

  /** Frees the engine's model and data (outside the JavaScript GC). Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.data.delete();
    this.model.delete();
  }

  /**
   * True when MuJoCo reset the data during the step that started at `timeBefore` (a NaN or
   * infinite position, velocity or acceleration: it warns and resets rather than fail). The clock
   * then went back, which is cheap to see; a step that starts at time 0 ends at the same time
   * either way, so there the warning counters are read (about 17 µs, once an episode).
   */
  private divergedDuring(timeBefore: number): boolean {
    const timestep = this.task.timestep;
    if (timeBefore >= timestep / 2) return this.data.time < timeBefore + this.dt - timestep / 2;
    const { mjWARN_BADQPOS, mjWARN_BADQVEL, mjWARN_BADQACC } = this.module.mjtWarning;
    return [mjWARN_BADQPOS, mjWARN_BADQVEL, mjWARN_BADQACC].some(
      (warning) => (this.data.warning.get(warning.value)?.number ?? 0) > 0,
    );
  }

  private observe(ended: boolean): typeof this.transition {
    const t = this.transition;
    this.observations.write(this.currentViews(), t.obs, t.state);
    t.dones.fill(ended ? 1 : 0);
    t.episodeDone = ended;
    return t;
  }

  private fetchViews(): DataViews {
    const d = this.data;
    return {
      qpos: d.qpos as Float64Array,
      qvel: d.qvel as Float64Array,
      cfrcExt: d.cfrc_ext as Float64Array,
      xpos: d.xpos as Float64Array,
      qfrcActuator: d.qfrc_actuator as Float64Array,
      ctrl: d.ctrl as Float64Array,
    };
  }

  /** The cached views, fetched again if a heap growth detached them (a detached view has length 0). */
  private currentViews(): DataViews {
    if (this.views.qpos.length === 0) this.views = this.fetchViews();
    return this.views;
  }

  private checkedSnapshot(snapshot: unknown): MujocoSnapshot {
    const s = snapshot as Partial<MujocoSnapshot> | null;
    const { nq, nv, nbody } = this.task.sizes;
    const numbers = (v: unknown, n: number) =>
      Array.isArray(v) && v.length === n && v.every((x) => typeof x === 'number' && Number.isFinite(x));
    const valid =
      s !== null &&
      typeof s === 'object' &&
      s.env === this.spec.name &&
      numbers(s.qpos, nq) &&
      numbers(s.qvel, nv) &&
      numbers(s.qaccWarmstart, nv) &&
      numbers(s.xpos, 3 * nbody) &&
      numbers(s.cfrcExt, 6 * nbody) &&
      numbers(s.qfrcActuator, nv) &&
      typeof s.time === 'number' &&
      Number.isInteger(s.steps) &&
      Number.isInteger(s.nextSeed);
    if (!valid) {
      throw new Error(
        `${this.spec.name}: restore: expected a snapshot of this env (qpos ${nq}, qvel ${nv}, xpos ${3 * nbody}, time, steps, nextSeed)`,
      );
    }
    return s as MujocoSnapshot;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`${this.spec.name}: the env is closed`);
  }
}
