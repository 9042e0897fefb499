/**
 * The scripted baseline policies of docs/spec/horm.md Appendix B, exactly as defined there:
 * - random: every agent draws uniformly over the 5 meta-actions at every step, from its own RNG
 *   (one `rng.int(5)` per agent, agent order);
 * - idle: every agent always IDLE;
 * - merge: an agent on the merge lane (b,c,1) takes LANE_LEFT, every other agent IDLE.
 * They read the simulator state directly (the merge rule needs the lane label, which is not in the
 * observation, §6.1). The safety supervisor, when on, may replace what they propose (§3.6).
 * `steer baseline` plays them with the metric code of `steer eval` (src/main/train/hormEvaluate.ts).
 */

import { Rng } from '../../rng.js';
import { type HormSim, LANE, META_ACTION_COUNT, MetaAction } from '../../sim/horm/index.js';

/** Names of the Appendix B policies. */
export const BASELINE_POLICIES = Object.freeze(['random', 'idle', 'merge'] as const);

/** An Appendix B policy name. */
export type BaselinePolicyName = (typeof BASELINE_POLICIES)[number];

/** A scripted policy for the HORM simulator. */
export interface BaselinePolicy {
  readonly name: BaselinePolicyName;
  /** True when it draws no random numbers (its actions are a function of the state). */
  readonly deterministic: boolean;
  /** Writes every agent's meta-action for `sim`'s current state into `out` (agent order). */
  act(sim: HormSim, out: { [index: number]: number }): void;
}

/** Whether `name` is an Appendix B policy name. */
export function isBaselinePolicyName(name: string): name is BaselinePolicyName {
  return (BASELINE_POLICIES as readonly string[]).includes(name);
}

/**
 * The policy called `name`. `rng` is the random policy's action stream (required for 'random',
 * ignored by the others); the policy draws from it as it acts, so one stream may span episodes.
 */
export function baselinePolicy(name: BaselinePolicyName, rng?: Rng): BaselinePolicy {
  switch (name) {
    case 'random': {
      if (rng === undefined) throw new Error('baselinePolicy: the random policy needs an Rng');
      return {
        name,
        deterministic: false,
        act(sim, out) {
          for (let k = 0; k < sim.numAgents; k++) out[k] = rng.int(META_ACTION_COUNT);
        },
      };
    }
    case 'idle':
      return {
        name,
        deterministic: true,
        act(sim, out) {
          for (let k = 0; k < sim.numAgents; k++) out[k] = MetaAction.idle;
        },
      };
    case 'merge':
      return {
        name,
        deterministic: true,
        act(sim, out) {
          const lane = sim.world.vehicles.lane;
          for (let k = 0; k < sim.numAgents; k++) {
            out[k] = lane[k] === LANE.bc1 ? MetaAction.laneLeft : MetaAction.idle;
          }
        },
      };
    default:
      throw new Error(
        `baselinePolicy: expected ${BASELINE_POLICIES.join(', ')}, received ${JSON.stringify(name)}`,
      );
  }
}

/** Fork label of the random policy's per-episode action stream. */
export const BASELINE_RANDOM_STREAM = 'baseline-random';

/** The policy of the episode with env seed `seed`. */
export function baselinePolicyForEpisode(name: BaselinePolicyName, seed: number): BaselinePolicy {
  return baselinePolicy(
    name,
    name === 'random' ? Rng.fromSeed(seed).fork(BASELINE_RANDOM_STREAM) : undefined,
  );
}
