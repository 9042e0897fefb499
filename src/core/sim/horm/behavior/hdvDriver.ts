/**
 * One HDV decision per sub-step (docs/spec/horm.md §4.2): neighbours on the current lane, follow the
 * road, MOBIL, steering to the target lane, IDM acceleration clipped to ±6 m/s².
 */

import type { HormQuirks } from '../config.js';
import { clamp, followRoad, steeringCommand } from '../vehicle/index.js';
import { ACC_MAX_MPS2, idmAcceleration } from './idm.js';
import { changeLanePolicy } from './mobil.js';
import { type NeighbourPair, neighbourVehicles, type Scene } from './neighbours.js';

const pair: NeighbourPair = new Int32Array(2);

/**
 * Stores HDV `i`'s command (steering [rad], acceleration [m/s²]); a crashed HDV does nothing.
 * @param predictor supervisor mode (§3.6): MOBIL without the timer, own-lane reachability quirk.
 */
export function hdvAct(scene: Scene, i: number, quirks: HormQuirks, predictor = false): void {
  const t = scene.vehicles;
  if (t.crashed[i] === 1) return;
  neighbourVehicles(scene, i, t.lane[i]!, quirks.segmentLocalNeighbours, pair);
  const front = pair[0]!;
  followRoad(t, i, scene.network);
  changeLanePolicy(scene, i, quirks, !predictor, predictor);
  t.steering[i] = steeringCommand(t, i, t.targetLane[i]!, scene.network);
  t.accel[i] = clamp(
    idmAcceleration(scene, i, front, quirks.unclampedDesiredGap),
    -ACC_MAX_MPS2,
    ACC_MAX_MPS2,
  );
}
