/**
 * Per-agent rewards as named terms (docs/spec/horm.md §7): local reward = weighted sum of
 * {collision, highSpeed, mergingLane, headway} with weights from `RewardWeights`; regional reward
 * = mean local reward over the agent and its CAV regional neighbours (§7.4); global = mean (§7.3).
 */

import { LANE, type MergeRoad } from '../road/index.js';
import { SPEED_MAX_MPS, SPEED_MIN_MPS, VehicleKind, type VehicleTable } from '../vehicle/index.js';
import { headwayDistance, regionalNeighbours } from './neighbourhood.js';

/** Names of the reward terms, in buffer order. */
export const REWARD_TERMS = ['collision', 'highSpeed', 'mergingLane', 'headway'] as const;
/** One reward term name. */
export type RewardTerm = (typeof REWARD_TERMS)[number];
/** Weight of each term; keys match the term names. */
export type RewardWeights = Readonly<Record<RewardTerm, number>>;

/**
 * Reference weights (docs/spec/horm.md §7.1): COLLISION_REWARD 200, HIGH_SPEED_REWARD 1,
 * MERGING_LANE_COST 4, HEADWAY_COST 4. Terms are signed so the total is Σ weight·term.
 */
export const DEFAULT_REWARD_WEIGHTS: RewardWeights = Object.freeze({
  collision: 200,
  highSpeed: 1,
  mergingLane: 4,
  headway: 4,
});

/** Desired time headway [s]; docs/spec/horm.md §7.1. */
export const HEADWAY_TIME_S = 1.2;

/**
 * Writes agent `i`'s four terms at out[4i ..]: collision = −1 if crashed else 0; highSpeed =
 * clamp((v − 10)/20, 0, 1); mergingLane = −exp(−(x − x_c)²/(10·merge length)) on b→c index 1
 * else 0 (−exp(−(x − 420)²/1000) on the reference road); headway = min(0, ln(hd/(1.2 v))) if
 * v > 0 else 0 (docs/spec/horm.md §7.1).
 */
export function writeRewardTerms(t: VehicleTable, i: number, road: MergeRoad, out: Float64Array): void {
  const v = t.speed[i]!;
  const o = i * REWARD_TERMS.length;
  out[o] = t.crashed[i] === 1 ? -1 : 0;
  out[o + 1] = Math.min(1, Math.max(0, (v - SPEED_MIN_MPS) / (SPEED_MAX_MPS - SPEED_MIN_MPS)));
  const dx = t.x[i]! - road.mergeEndXM;
  out[o + 2] = t.lane[i] === LANE.bc1 ? -Math.exp(-(dx * dx) / (10 * road.lengths.mergeM)) : 0;
  const headway = v > 0 ? Math.log(headwayDistance(t, i, road.network) / (HEADWAY_TIME_S * v)) : 0;
  out[o + 3] = Math.min(0, headway);
}

/** Σ weight·term for agent `i` from a terms buffer. */
export function weightedReward(terms: Float64Array, i: number, w: RewardWeights): number {
  const o = i * REWARD_TERMS.length;
  return (
    w.collision * terms[o]! +
    w.highSpeed * terms[o + 1]! +
    w.mergingLane * terms[o + 2]! +
    w.headway * terms[o + 3]!
  );
}

const neighbours = new Int32Array(4);

/**
 * Regional reward of agent `i` (docs/spec/horm.md §7.4): mean of `local` over {i} and those of its four
 * regional neighbours that are CAVs (HDVs dropped from the mean).
 */
export function regionalReward(t: VehicleTable, i: number, road: MergeRoad, local: Float64Array): number {
  regionalNeighbours(t, i, road, neighbours);
  let sum = local[i]!;
  let n = 1;
  for (let k = 0; k < 4; k++) {
    const j = neighbours[k]!;
    if (j >= 0 && t.kind[j] === VehicleKind.cav) {
      sum += local[j]!;
      n++;
    }
  }
  return sum / n;
}
