/**
 * HORM (highway on-ramp merging) behind MultiAgentEnv (docs/spec/horm.md §6–§8; docs/design.md "One env
 * interface"). Registry names "horm:density-1" … "horm:density-3"; an env built from an explicit
 * vehicle list (a scenario's `traffic.vehicles`) is named "horm:vehicles-N-cavs" after its N agents.
 *
 * Rewards are private per agent: regional by default (STEER's `regionalR`, §7.5), or local/global.
 * Done is broadcast to every agent (§8.2). Departure from the STEER wrapper (§8.2, §10.3): `step`
 * returns the terminal observation with `episodeDone = true` and the runner calls `reset`;
 * stepping an ended episode throws. Buffers are reused: copy results you keep.
 */

import {
  availableActions,
  DEFAULT_HORM_SIM_CONFIG,
  HormSim,
  type HormSimConfig,
  type HormSimSnapshot,
  isMainLane,
  META_ACTION_COUNT,
  REWARD_TERMS,
  type SceneVehicle,
  type TrafficDensity,
} from '../../sim/horm/index.js';
import { assertDiscreteActions } from '../matrix/index.js';
import type { EnvSpec, EnvStep, EnvTransition, MultiAgentEnv } from '../types.js';

/** Registry prefix, as in "horm:density-1". */
export const HORM_ENV_PREFIX = 'horm';

/** Game names of the HORM family. */
export const HORM_GAMES = Object.freeze(['density-1', 'density-2', 'density-3']);

/**
 * Agent priority order reported to Stackelberg policies: by agent index (reference), main-road
 * CAVs first (then by index), or closest to the merge point (node b: x = 320 m on the reference
 * road, before + converging length in general) first.
 */
export type HormPriorityRule = 'index' | 'mainRoadFirst' | 'closestToMerge';

/** Which reward each agent receives (docs/spec/horm.md §7.3–§7.5). */
export type HormRewardType = 'regional' | 'local' | 'global';

/** Env configuration: the simulator's plus the adapter's own fields. */
export interface HormEnvConfig extends HormSimConfig {
  /** Agent priority rule; default 'index' (reference). */
  readonly priority: HormPriorityRule;
  /** Reward each agent receives; default 'regional' (STEER). */
  readonly rewardType: HormRewardType;
  /** Report the §3.5 availability masks; default false (STEER reports all ones). */
  readonly actionMasking: boolean;
}

/** Defaults: STEER's HORM setup with correct behaviour for flagged bugs. */
export const DEFAULT_HORM_ENV_CONFIG: HormEnvConfig = Object.freeze({
  ...DEFAULT_HORM_SIM_CONFIG,
  priority: 'index',
  rewardType: 'regional',
  actionMasking: false,
});

/** Serialisable HormEnv state. */
export interface HormEnvSnapshot {
  readonly env: string;
  readonly nextSeed: number;
  readonly sim: HormSimSnapshot;
}

type MutableTransition = { -readonly [K in keyof EnvTransition]: EnvTransition[K] };

/** The HORM merge scenario as a MultiAgentEnv. */
export class HormEnv implements MultiAgentEnv {
  readonly spec: EnvSpec;
  readonly config: HormEnvConfig;
  /** The simulator (read-only access for renderers and metrics). */
  readonly sim: HormSim;
  /** Seed used by `reset()` without an argument; consecutive episodes use consecutive seeds (§5.4). */
  private nextSeed = 0;
  private readonly state: Float32Array;
  private readonly masks: Uint8Array | null;
  private readonly active: Uint8Array;
  private readonly priority: Int32Array;
  private readonly rewards: Float64Array;
  private readonly dones: Uint8Array;
  private readonly info: Record<string, number> = {};
  private readonly key: Float64Array;
  private readonly candidates = new Int32Array(META_ACTION_COUNT);
  private readonly proposed: Int32Array;
  private readonly transition: MutableTransition;

  /**
   * @param traffic a density 1, 2 or 3 (random scenes, docs/spec/horm.md §5.1), or an explicit vehicle
   *   list placed as given at every reset (agents = its CAVs, by priority when given);
   * @param config overrides of DEFAULT_HORM_ENV_CONFIG (road lengths, episode steps, …).
   */
  constructor(traffic: TrafficDensity | readonly SceneVehicle[], config: Partial<HormEnvConfig> = {}) {
    const scene =
      typeof traffic === 'number'
        ? { density: traffic, vehicles: null }
        : { density: null, vehicles: traffic };
    this.config = { ...DEFAULT_HORM_ENV_CONFIG, ...config, ...scene };
    this.sim = new HormSim(this.config);
    const n = this.sim.numAgents;
    this.spec = {
      name:
        scene.density === null
          ? `${HORM_ENV_PREFIX}:vehicles-${n}-cavs`
          : `${HORM_ENV_PREFIX}:density-${scene.density}`,
      numAgents: n,
      obsDim: this.sim.obsDim, // 25 + n: the agent-id one-hot has n entries (§6.2)
      stateDim: n * this.sim.obsDim, // concatenated observations (§6.3)
      actionSpace: { kind: 'discrete', n: META_ACTION_COUNT },
      episodeLimit: this.sim.config.episodeSteps,
    };
    this.state = new Float32Array(n * this.sim.obsDim);
    this.masks = this.config.actionMasking ? new Uint8Array(n * META_ACTION_COUNT) : null;
    this.active = new Uint8Array(n).fill(1);
    this.priority = new Int32Array(n);
    this.rewards = new Float64Array(n);
    this.dones = new Uint8Array(n);
    this.key = new Float64Array(n);
    this.proposed = new Int32Array(n).fill(1);
    this.transition = {
      obs: this.sim.obs,
      state: this.state,
      availActions: this.masks,
      active: this.active,
      priority: this.priority,
      rewards: this.rewards,
      dones: this.dones,
      episodeDone: false,
      info: this.info,
    };
  }

  reset(seed?: number): EnvStep {
    const s = seed ?? this.nextSeed;
    this.nextSeed = s + 1;
    this.sim.reset(s);
    this.refresh();
    return this.current();
  }

  step(actions: ArrayLike<number>): EnvTransition {
    assertDiscreteActions(this.spec.name, actions, this.spec.numAgents, META_ACTION_COUNT);
    if (this.sim.done) throw new Error(`${this.spec.name}: the episode is over; call reset before step`);
    if (this.masks !== null) {
      for (let k = 0; k < this.spec.numAgents; k++) {
        if (this.masks[k * META_ACTION_COUNT + actions[k]!] !== 1) {
          throw new Error(`${this.spec.name}: agent ${k}: action ${actions[k]} is not available`);
        }
      }
    }
    for (let k = 0; k < this.spec.numAgents; k++) this.proposed[k] = actions[k]!;
    this.sim.step(actions);
    const sim = this.sim;
    const type = this.config.rewardType;
    for (let k = 0; k < this.spec.numAgents; k++) {
      this.rewards[k] =
        type === 'regional'
          ? sim.regionalRewards[k]!
          : type === 'local'
            ? sim.localRewards[k]!
            : sim.globalReward;
      this.dones[k] = sim.done ? 1 : 0;
    }
    this.refresh();
    this.transition.episodeDone = sim.done;
    return this.transition;
  }

  /** Actions given to the last `step`, agent order (what the policy proposed; docs/spec/horm.md §3.6). */
  get proposedActions(): ArrayLike<number> {
    return this.proposed;
  }

  /** Actions the last `step` executed after the safety supervisor, agent order (docs/spec/horm.md §3.6). */
  get executedActions(): ArrayLike<number> {
    return this.sim.executed;
  }

  /** Recomputes state, masks, priority and info from the simulator. */
  private refresh(): void {
    const sim = this.sim;
    const t = sim.world.vehicles;
    const n = this.spec.numAgents;
    this.state.set(sim.obs);
    if (this.masks !== null) {
      this.masks.fill(0);
      for (let k = 0; k < n; k++) {
        const c = availableActions(t, k, sim.world.network, this.candidates);
        for (let j = 0; j < c; j++) this.masks[k * META_ACTION_COUNT + this.candidates[j]!] = 1;
      }
    }
    this.computePriority();
    let speed = 0;
    for (let k = 0; k < n; k++) speed += t.speed[k]!;
    const info = this.info;
    info.steps = sim.steps;
    info.averageSpeed = speed / n;
    info.crashedAny = sim.anyCavCrashed() ? 1 : 0;
    info.crashedAgent0 = t.crashed[0]!; // the reference's logged "crashed" (§8.1, §10.5)
    info.actionsChanged = sim.actionsChanged;
    info.globalReward = sim.globalReward;
    for (let j = 0; j < REWARD_TERMS.length; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += sim.terms[k * REWARD_TERMS.length + j]!;
      info[`reward/${REWARD_TERMS[j]}`] = sum / n;
    }
  }

  private computePriority(): void {
    const t = this.sim.world.vehicles;
    const mergeStartX = this.sim.world.road.mergeStartXM;
    const n = this.spec.numAgents;
    const rule = this.config.priority;
    for (let k = 0; k < n; k++) {
      this.key[k] =
        rule === 'index'
          ? 0
          : rule === 'mainRoadFirst'
            ? isMainLane(t.lane[k]!)
              ? 0
              : 1
            : Math.abs(t.x[k]! - mergeStartX);
    }
    // Stable insertion sort by key (ties keep agent order).
    for (let k = 0; k < n; k++) {
      let j = k;
      while (j > 0 && this.key[this.priority[j - 1]!]! > this.key[k]!) {
        this.priority[j] = this.priority[j - 1]!;
        j--;
      }
      this.priority[j] = k;
    }
  }

  private current(): EnvStep {
    return {
      obs: this.sim.obs,
      state: this.state,
      availActions: this.masks,
      active: this.active,
      priority: this.priority,
    };
  }

  snapshot(): HormEnvSnapshot {
    return { env: this.spec.name, nextSeed: this.nextSeed, sim: this.sim.snapshot() };
  }

  restore(snapshot: unknown): EnvStep {
    const s = snapshot as HormEnvSnapshot;
    if (s === null || typeof s !== 'object' || s.env !== this.spec.name) {
      throw new Error(
        `${this.spec.name}: restore expected a snapshot of ${this.spec.name}, received ${JSON.stringify((s as { env?: unknown } | null)?.env)}`,
      );
    }
    this.nextSeed = s.nextSeed;
    this.sim.restore(s.sim);
    this.refresh();
    return this.current();
  }
}
