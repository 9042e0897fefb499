/**
 * The HORM simulator as one object (docs/spec/horm.md §2.3, §5–§8): reset = build road + spawn (by
 * traffic density, or an explicit vehicle list); step = supervisor, 3 sub-steps of 1/15 s, then
 * observation, reward terms and termination. All outputs live in preallocated buffers that are
 * overwritten each step.
 */

import { Rng, type RngState } from '../../rng.js';
import { CORRECT_BEHAVIOUR, HORM_PHYSICS_MODES, type HormPhysicsMode, type HormQuirks } from './config.js';
import {
  buildMergeRoad,
  type MergeRoadLengths,
  REFERENCE_ROAD_LENGTHS,
  roadLengthIssues,
} from './road/index.js';
import { ObservationBuilder, observationDim } from './scene/observation.js';
import {
  DEFAULT_REWARD_WEIGHTS,
  REWARD_TERMS,
  type RewardWeights,
  regionalReward,
  weightedReward,
  writeRewardTerms,
} from './scene/reward.js';
import {
  cavCount,
  densityRoadIssue,
  injectScene,
  maxVehicles,
  type SceneVehicle,
  sceneFromList,
  sceneIssues,
  spawnScene,
  type TrafficDensity,
  type VehicleSpec,
} from './scene/spawn.js';
import { SafetySupervisor } from './scene/supervisor.js';
import { HormWorld } from './world.js';

/** Simulation frequency [Hz]; docs/spec/horm.md §2.3. */
export const SIMULATION_FREQUENCY_HZ = 15;
/** Policy frequency [Hz]; docs/spec/horm.md §2.3. */
export const POLICY_FREQUENCY_HZ = 5;
/** Sub-steps per policy step (15 // 5); docs/spec/horm.md §2.3. */
export const SUB_STEPS = SIMULATION_FREQUENCY_HZ / POLICY_FREQUENCY_HZ;
/** Episode time limit in policy steps (20 s · 5 Hz); docs/spec/horm.md §2.3. */
export const EPISODE_STEPS = 100;

/**
 * Episode time limit in policy steps for an episode of `durationS` seconds (docs/spec/horm.md §2.3,
 * §2.5): the reference ends the episode at the first policy step with steps ≥ duration · 5 Hz, so
 * 20 s → 100 steps and a duration between two decisions rounds up (20.1 s → 101). The 1e-9 keeps
 * float noise (20.2 · 5 = 101.00000000000001) from adding a step.
 */
export function episodeStepsForDuration(durationS: number): number {
  if (!(Number.isFinite(durationS) && durationS > 0)) {
    throw new Error(
      `episodeStepsForDuration: durationS expected a finite number > 0 s, received ${durationS}`,
    );
  }
  return Math.max(1, Math.ceil(durationS * POLICY_FREQUENCY_HZ - 1e-9));
}

/** Simulator configuration; every field has a default. */
export interface HormSimConfig {
  /**
   * Traffic density 1, 2 or 3 (docs/spec/horm.md §5.1): random scenes of density + 1 CAVs. Null when
   * `vehicles` gives the scene (the resolved config of such a sim always has null here).
   */
  readonly density: TrafficDensity | null;
  /**
   * Explicit initial scene, the same at every reset (a scenario's `traffic.vehicles`); null = draw
   * by `density`. Agents = its CAVs; vehicle capacity = its length.
   */
  readonly vehicles: readonly SceneVehicle[] | null;
  /** Segment lengths of the road (docs/spec/horm.md §1.1); default the reference's 220/100/100/100 m. */
  readonly road: MergeRoadLengths;
  /** Time limit in policy steps (docs/spec/horm.md §2.3; `episodeStepsForDuration`); default 100. */
  readonly episodeSteps: number;
  /** Run the safety supervisor before each step (docs/spec/horm.md §3.6; on in STEER). */
  readonly safetySupervisor: boolean;
  /** Reference quirks to restore (docs/spec/horm.md §10); default: correct behaviour. */
  readonly quirks: HormQuirks;
  /**
   * How poses evolve: "reference" (default) = the float64 bicycle model of docs/spec/horm.md §2.2;
   * "dynamic" = planck rigid bodies with a tyre model (world.ts, vehicle/tyreModel.ts).
   */
  readonly physics: HormPhysicsMode;
  /** Weights of the local reward terms (docs/spec/horm.md §7.1). */
  readonly rewardWeights: RewardWeights;
  /** Clip observation features to [−1, 1] (off in the reference, §6.1). */
  readonly clipObservation: boolean;
}

/** Defaults: STEER's setup with the correct behaviour for every flagged bug. */
export const DEFAULT_HORM_SIM_CONFIG: HormSimConfig = Object.freeze({
  density: 1,
  vehicles: null,
  road: REFERENCE_ROAD_LENGTHS,
  episodeSteps: EPISODE_STEPS,
  safetySupervisor: true,
  quirks: CORRECT_BEHAVIOUR,
  physics: 'reference',
  rewardWeights: DEFAULT_REWARD_WEIGHTS,
  clipObservation: false,
});

/**
 * DEFAULT_HORM_SIM_CONFIG under `config`. With a vehicle list the density defaults to null (the
 * list gives the scene); giving both is reported by hormSimConfigIssues.
 */
export function resolveHormSimConfig(config: Partial<HormSimConfig>): HormSimConfig {
  const vehicles = config.vehicles ?? null;
  const density = config.density ?? (vehicles === null ? DEFAULT_HORM_SIM_CONFIG.density : null);
  return { ...DEFAULT_HORM_SIM_CONFIG, ...config, vehicles, density };
}

/** A setting the simulator cannot run, by its config path ("road.mergeM", "vehicles[2].lane"). */
export interface HormSimConfigIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * What keeps a resolved config from being simulated, one issue per field: episode length, road
 * lengths the geometry cannot use (docs/spec/horm.md §1), density traffic on a ramp too short for its
 * spawn points (§5.2), or a vehicle list that cannot be placed.
 */
export function hormSimConfigIssues(config: HormSimConfig): HormSimConfigIssue[] {
  const issues: HormSimConfigIssue[] = [];
  const { density, vehicles, episodeSteps } = config;
  if (!(Number.isInteger(episodeSteps) && episodeSteps >= 1)) {
    issues.push({ path: 'episodeSteps', message: `expected an integer >= 1, received ${episodeSteps}` });
  }
  if (!HORM_PHYSICS_MODES.includes(config.physics)) {
    issues.push({
      path: 'physics',
      message: `expected ${HORM_PHYSICS_MODES.map((m) => JSON.stringify(m)).join(' or ')}, received ${JSON.stringify(config.physics)}`,
    });
  }
  const roadIssues = roadLengthIssues(config.road);
  for (const i of roadIssues) issues.push({ path: `road.${i.field}`, message: i.message });
  if (vehicles !== null) {
    if (density !== null) {
      issues.push({
        path: 'density',
        message: `expected null with an explicit vehicle list (the list gives the scene), received ${density}`,
      });
    }
    if (roadIssues.length === 0) issues.push(...sceneIssues(buildMergeRoad(config.road).network, vehicles));
  } else if (density !== 1 && density !== 2 && density !== 3) {
    issues.push({ path: 'density', message: `expected 1, 2 or 3, received ${String(density)}` });
  } else if (roadIssues.length === 0) {
    const issue = densityRoadIssue(config.road);
    if (issue !== null) issues.push({ path: `road.${issue.field}`, message: issue.message });
  }
  return issues;
}

/** Serialisable simulator state (snapshot/restore). */
export interface HormSimSnapshot {
  readonly steps: number;
  readonly time: number;
  readonly done: boolean;
  readonly rng: RngState;
  readonly vehicles: Readonly<Record<string, number[]>>;
}

const TABLE_FIELDS = [
  'x',
  'y',
  'heading',
  'speed',
  'targetSpeed',
  'steering',
  'accel',
  'timer',
  'lane',
  'targetLane',
  'speedIndex',
  'kind',
  'crashed',
] as const;

/** "Dynamic" physics state; a snapshot without them (older, or "reference") restores zeros. */
const DYNAMIC_FIELDS = ['lateralSpeed', 'yawRate'] as const;

/**
 * The merge scenario with N agents (agent k = vehicle k): N = density + 1 for density traffic, the
 * number of CAVs of an explicit list otherwise.
 */
export class HormSim {
  readonly config: HormSimConfig;
  readonly world: HormWorld;
  readonly numAgents: number;
  /** Observation length per agent (25 + N). */
  readonly obsDim: number;
  /** Observations, numAgents × obsDim (after reset/step). */
  readonly obs: Float32Array;
  /** Reward terms, numAgents × 4 in REWARD_TERMS order. */
  readonly terms: Float64Array;
  /** Local, regional rewards per agent; global = mean local (docs/spec/horm.md §7). */
  readonly localRewards: Float64Array;
  readonly regionalRewards: Float64Array;
  globalReward = 0;
  /** Actions executed in the last step (after the supervisor). */
  readonly executed: Int32Array;
  /** Entries the supervisor changed in the last step. */
  actionsChanged = 0;
  /** Policy steps and sub-steps done in this episode. */
  steps = 0;
  time = 0;
  /** True once any CAV crashed or the time limit was reached (docs/spec/horm.md §8.1). */
  done = false;
  private rng: Rng = Rng.fromSeed(0);
  private readonly supervisor: SafetySupervisor;
  private readonly observer: ObservationBuilder;
  /** The explicit scene in table order (CAVs first, agent order), or null for density traffic. */
  private readonly scene: readonly VehicleSpec[] | null;

  /**
   * @param config overrides of DEFAULT_HORM_SIM_CONFIG. Throws naming the field when the road
   *   lengths, the vehicle list or the episode length cannot be simulated (hormSimConfigIssues).
   */
  constructor(config: Partial<HormSimConfig> = {}) {
    this.config = resolveHormSimConfig(config);
    const issues = hormSimConfigIssues(this.config);
    if (issues.length > 0)
      throw new Error(`HormSim: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    const { density, vehicles } = this.config;
    const road = buildMergeRoad(this.config.road);
    let capacity: number;
    if (vehicles === null) {
      capacity = maxVehicles(density!);
      this.numAgents = cavCount(density!);
      this.scene = null;
    } else {
      this.scene = sceneFromList(road.network, vehicles);
      capacity = vehicles.length; // sized by the list, not by a density
      this.numAgents = vehicles.filter((v) => v.kind === 'cav').length;
    }
    this.obsDim = observationDim(this.numAgents);
    this.world = new HormWorld(road, capacity, this.config.quirks, this.config.physics);
    this.supervisor = new SafetySupervisor(capacity, this.numAgents, road, this.config.quirks);
    this.observer = new ObservationBuilder(capacity, this.config.clipObservation);
    this.obs = new Float32Array(this.numAgents * this.obsDim);
    this.terms = new Float64Array(this.numAgents * REWARD_TERMS.length);
    this.localRewards = new Float64Array(this.numAgents);
    this.regionalRewards = new Float64Array(this.numAgents);
    this.executed = new Int32Array(this.numAgents);
  }

  /**
   * New episode for `seed` (docs/spec/horm.md §5): density traffic spawns from rng.fork('spawn'); an
   * explicit list is placed as given (no noise). The supervisor draws from rng.fork('supervisor').
   */
  reset(seed: number): void {
    const root = Rng.fromSeed(seed);
    const spawnRng = root.fork('spawn');
    this.rng = root.fork('supervisor');
    if (this.scene === null) spawnScene(this.world, this.config.density!, spawnRng);
    else injectScene(this.world, this.scene);
    this.afterReset();
  }

  /** New episode from an explicit scene (state injection, docs/spec/horm.md Appendix A). */
  resetWith(specs: readonly VehicleSpec[], seed = 0): void {
    const cavs = specs.filter((s) => s.kind === 'cav').length;
    if (cavs !== this.numAgents) {
      throw new Error(
        `HormSim.resetWith: expected ${this.numAgents} CAVs (the sim's agents), received ${cavs}`,
      );
    }
    this.rng = Rng.fromSeed(seed).fork('supervisor');
    injectScene(this.world, specs);
    this.afterReset();
  }

  private afterReset(): void {
    this.steps = 0;
    this.time = 0;
    this.done = false;
    this.actionsChanged = 0;
    this.executed.fill(1);
    this.observe();
  }

  /**
   * One policy step (docs/spec/horm.md §2.3): supervisor, up to 3 sub-steps (stop early on a CAV
   * crash; with quirks.shortLastStep also at the time limit `episodeSteps`), then observation and
   * rewards.
   */
  step(actions: ArrayLike<number>): void {
    if (this.done) throw new Error('HormSim.step: the episode is over; call reset first');
    if (actions.length !== this.numAgents) {
      throw new Error(`HormSim.step: expected ${this.numAgents} actions, received ${actions.length}`);
    }
    this.steps++;
    for (let k = 0; k < this.numAgents; k++) this.executed[k] = actions[k]!;
    this.actionsChanged = this.config.safetySupervisor
      ? this.supervisor.supervise(this.world.vehicles, this.executed, this.numAgents, this.rng)
      : 0;
    const dt = 1 / SIMULATION_FREQUENCY_HZ;
    for (let k = 0; k < SUB_STEPS; k++) {
      if (this.time % SUB_STEPS === 0) this.world.deliverActions(this.executed);
      this.world.subStep(dt);
      this.time++;
      if (this.anyCavCrashed()) break;
      if (this.config.quirks.shortLastStep && this.steps >= this.config.episodeSteps) break;
    }
    this.done = this.anyCavCrashed() || this.steps >= this.config.episodeSteps;
    this.observe();
  }

  /** True when some CAV is crashed (the env-level terminal cause, docs/spec/horm.md §8.1). */
  anyCavCrashed(): boolean {
    const c = this.world.vehicles.crashed;
    for (let k = 0; k < this.numAgents; k++) if (c[k] === 1) return true;
    return false;
  }

  private observe(): void {
    const { vehicles: t, network, road } = this.world;
    const n = this.numAgents;
    for (let k = 0; k < n; k++) {
      this.observer.write(t, network, k, n, this.obs, k * this.obsDim);
      writeRewardTerms(t, k, road, this.terms);
      this.localRewards[k] = weightedReward(this.terms, k, this.config.rewardWeights);
    }
    let sum = 0;
    for (let k = 0; k < n; k++) {
      this.regionalRewards[k] = regionalReward(t, k, road, this.localRewards);
      sum += this.localRewards[k]!;
    }
    this.globalReward = sum / n;
  }

  /** Serialisable copy of the whole state (vehicles, counters, supervisor RNG). */
  snapshot(): HormSimSnapshot {
    const t = this.world.vehicles;
    const vehicles: Record<string, number[]> = { count: [t.count] };
    for (const f of TABLE_FIELDS) vehicles[f] = Array.from(t[f].subarray(0, t.count));
    for (const f of DYNAMIC_FIELDS) vehicles[f] = Array.from(t[f].subarray(0, t.count));
    return { steps: this.steps, time: this.time, done: this.done, rng: this.rng.state(), vehicles };
  }

  /** Restores a `snapshot`; observations and rewards are recomputed. */
  restore(s: HormSimSnapshot): void {
    const t = this.world.vehicles;
    const count = s.vehicles.count?.[0] ?? -1;
    if (!Number.isInteger(count) || count < this.numAgents || count > t.capacity) {
      throw new Error(
        `HormSim.restore: vehicles.count expected ${this.numAgents}..${t.capacity}, received ${count}`,
      );
    }
    t.count = count;
    for (const f of TABLE_FIELDS) {
      const values = s.vehicles[f];
      if (values === undefined || values.length !== count) {
        throw new Error(
          `HormSim.restore: vehicles.${f} expected ${count} numbers, received ${values?.length}`,
        );
      }
      t[f].set(values);
    }
    for (const f of DYNAMIC_FIELDS) {
      const values = s.vehicles[f];
      if (values === undefined) t[f].fill(0);
      else if (values.length !== count) {
        throw new Error(
          `HormSim.restore: vehicles.${f} expected ${count} numbers, received ${values.length}`,
        );
      } else t[f].set(values);
    }
    this.steps = s.steps;
    this.time = s.time;
    this.done = s.done;
    this.rng = Rng.fromState(s.rng);
    this.world.syncBodies();
    this.observe();
  }
}
