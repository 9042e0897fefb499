/**
 * The reference's safety supervisor (docs/spec/horm.md §3.6), on by default: predicts 1 s (15
 * sub-steps) ahead on a copy of the scene and replaces a CAV's proposed action when its prediction
 * collides. Reference quirks are kept on purpose (§10.2): ascending priority, FASTER/SLOWER add
 * ±5 m/s to the target every predicted sub-step, IDM noise, frozen lane labels, only the first
 * replacement changes the action. Works on preallocated tables; allocation-free per call.
 */

import type { Rng } from '../../../rng.js';
import { hdvAct, type Scene } from '../behavior/index.js';
import type { HormQuirks } from '../config.js';
import { isReachableFrom, LANE, type MergeRoad } from '../road/index.js';
import {
  availableActions,
  bodiesCollide,
  clamp,
  followRoad,
  integrateBicycle,
  MetaAction,
  speedCommand,
  steeringCommand,
  VEHICLE_LENGTH_M,
  VEHICLE_WIDTH_M,
  VehicleKind,
  VehicleTable,
} from '../vehicle/index.js';
import { distanceToMergeEnd, headwayDistance, isMainLane, regionalNeighbours } from './neighbourhood.js';
import { HEADWAY_TIME_S } from './reward.js';

/** Prediction horizon: (15 // 5)·n_step with n_step = 5 → 15 sub-steps (docs/spec/horm.md §3.6). */
export const SUPERVISOR_HORIZON = 15;
/** Target-speed change per predicted sub-step for FASTER/SLOWER [m/s] (§3.6 quirk). */
const PREDICTOR_DELTA_SPEED_MPS = 5;
/** Fields stored per predicted state: x, y, heading, speed. */
const STATE = 4;

/** Supervisor on a fixed-capacity scene. */
export class SafetySupervisor {
  private readonly copy: VehicleTable;
  private readonly copyScene: Scene;
  /** Predicted states per vehicle: [vehicle][t][x, y, h, v]. */
  private readonly traj: Float64Array;
  private readonly trajCount: Int32Array;
  private readonly candidates = new VehicleTable(5);
  private readonly candTraj = new Float64Array(5 * SUPERVISOR_HORIZON * STATE);
  private readonly candidateList = new Int32Array(5);
  private readonly neighbours = new Int32Array(4);
  private readonly advanceOrder = new Int32Array(5);
  private readonly priority: Float64Array;
  private readonly order: Int32Array;

  /** @param capacity maximum vehicles; @param maxAgents maximum CAVs; @param road the road it predicts on. */
  constructor(
    capacity: number,
    maxAgents: number,
    private readonly road: MergeRoad,
    private readonly quirks: HormQuirks,
  ) {
    this.copy = new VehicleTable(capacity);
    this.copyScene = { network: road.network, obstacle: road.obstacle, vehicles: this.copy };
    this.traj = new Float64Array(capacity * SUPERVISOR_HORIZON * STATE);
    this.trajCount = new Int32Array(capacity);
    this.priority = new Float64Array(maxAgents);
    this.order = new Int32Array(maxAgents);
  }

  /**
   * Replaces unsafe entries of `actions` (agent k = vehicle k of `real`) in place and returns how
   * many entries changed. `rng` feeds the priority tie-breaker and the IDM prediction noise.
   */
  supervise(real: VehicleTable, actions: Int32Array, numAgents: number, rng: Rng): number {
    const copy = this.copy;
    const network = this.copyScene.network;
    copy.copyFrom(real);
    this.trajCount.fill(0);
    // --- priorities (ascending; §3.6 step 2) ---
    const mergeM = this.road.lengths.mergeM; // ends[2] of the reference: 100 m
    for (let k = 0; k < numAgents; k++) {
      const v = copy.speed[k]!;
      const g = v > 0 ? 0.5 * Math.log(headwayDistance(copy, k, network) / (HEADWAY_TIME_S * v)) : 0;
      const merge =
        copy.lane[k] === LANE.bc1 ? -0.5 - (mergeM - distanceToMergeEnd(copy, k, this.road)) / mergeM : 0;
      this.priority[k] = merge + g + rng.uniform() * 0.001;
      let j = k;
      while (j > 0 && this.priority[this.order[j - 1]!]! > this.priority[k]!) {
        this.order[j] = this.order[j - 1]!;
        j--;
      }
      this.order[j] = k;
    }
    let changed = 0;
    for (let rank = 0; rank < numAgents; rank++) {
      const ego = this.order[rank]!;
      const proposed = actions[ego]!;
      if (this.trajCount[ego] === SUPERVISOR_HORIZON) {
        copy.copyVehicle(real, ego, ego);
        this.trajCount[ego] = 0;
      }
      const nCand = availableActions(copy, ego, network, this.candidateList);
      const nb = this.neighbours;
      regionalNeighbours(copy, ego, this.road, nb);
      // Advance order: v_fl, v_fr, ego, v_rl, v_rr.
      const adv = this.advanceOrder;
      adv[0] = nb[0]!;
      adv[1] = nb[2]!;
      adv[2] = ego;
      adv[3] = nb[1]!;
      adv[4] = nb[3]!;
      let firstChange = true;
      for (let t = 0; t < SUPERVISOR_HORIZON; t++) {
        for (let q = 0; q < 5; q++) {
          const v = adv[q]!;
          if (v < 0) continue;
          if (this.trajCount[v] === SUPERVISOR_HORIZON && rank !== 0 && v !== ego) continue;
          if (copy.kind[v] === VehicleKind.hdv) this.predictHdv(v, t, rng);
          else this.predictCav(copy, v, actions[v]!, this.traj, v);
        }
        for (let q = 0; q < 4; q++) {
          const o = nb[q]!;
          if (o >= 0) this.checkCollision(ego, o, t);
        }
        this.checkObstacle(ego);
        if (copy.crashed[ego] !== 1) continue;
        // --- replacement: best safety room among the available actions (§3.6 step 3d) ---
        let best = 0;
        let bestRoom = Number.NEGATIVE_INFINITY;
        for (let c = 0; c < nCand; c++) {
          const room = this.safetyRoom(real, ego, c, this.candidateList[c]!, t);
          if (room > bestRoom) {
            bestRoom = room;
            best = c;
          }
        }
        copy.copyVehicle(this.candidates, best, ego);
        const src = best * SUPERVISOR_HORIZON * STATE;
        this.traj.set(this.candTraj.subarray(src, src + (t + 1) * STATE), ego * SUPERVISOR_HORIZON * STATE);
        this.trajCount[ego] = t + 1;
        if (firstChange) {
          firstChange = false;
          const chosen = this.candidateList[best]!;
          if (chosen !== proposed) changed++;
          actions[ego] = chosen;
        }
        for (let q = 0; q < 4; q++) if (nb[q]! >= 0) copy.crashed[nb[q]!] = 0;
      }
    }
    return changed;
  }

  /** The IDM predictor: decide with noise at t = 0, then hold the command (§3.6). */
  private predictHdv(v: number, t: number, rng: Rng): void {
    const copy = this.copy;
    if (copy.crashed[v] !== 1) {
      if (t === 0) {
        hdvAct(this.copyScene, v, this.quirks, true);
        copy.steering[v] = copy.steering[v]! * (0.95 + 0.1 * rng.uniform());
        copy.accel[v] = clamp(copy.accel[v]! * (0.95 + 0.1 * rng.uniform()), -6, 6);
      }
      integrateBicycle(copy, v, 1 / 15, null);
    }
    this.record(copy, v, this.traj, v);
  }

  /** The MDP predictor (mdp_controller): follow road, action every sub-step, control, step (§3.6). */
  private predictCav(table: VehicleTable, i: number, action: number, traj: Float64Array, slot: number): void {
    const network = this.copyScene.network;
    followRoad(table, i, network);
    if (action === MetaAction.faster)
      table.targetSpeed[i] = table.targetSpeed[i]! + PREDICTOR_DELTA_SPEED_MPS;
    else if (action === MetaAction.slower)
      table.targetSpeed[i] = table.targetSpeed[i]! - PREDICTOR_DELTA_SPEED_MPS;
    else if (action === MetaAction.laneLeft || action === MetaAction.laneRight) {
      const target = table.targetLane[i]!;
      const count = network.roadLaneCount(target);
      const index = network.lanes[target]!.address.index + (action === MetaAction.laneLeft ? -1 : 1);
      const candidate = network.sameRoadLane(target, Math.min(count - 1, Math.max(0, index)));
      if (isReachableFrom(network.lanes[candidate]!, table.x[i]!, table.y[i]!))
        table.targetLane[i] = candidate;
    }
    table.steering[i] = steeringCommand(table, i, table.targetLane[i]!, network);
    table.accel[i] = speedCommand(table, i);
    integrateBicycle(table, i, 1 / 15, null);
    this.record(table, i, traj, slot);
  }

  private record(table: VehicleTable, i: number, traj: Float64Array, slot: number): void {
    const counts = traj === this.traj ? this.trajCount : null;
    const n = counts === null ? this.candCount : counts[slot]!;
    if (n >= SUPERVISOR_HORIZON) return;
    const o = (slot * SUPERVISOR_HORIZON + n) * STATE;
    traj[o] = table.x[i]!;
    traj[o + 1] = table.y[i]!;
    traj[o + 2] = table.heading[i]!;
    traj[o + 3] = table.speed[i]!;
    if (counts === null) this.candCount = n + 1;
    else counts[slot] = n + 1;
  }

  private candCount = 0;

  /** check_collision of the ego's current predicted pose against `other`'s predicted state t. */
  private checkCollision(ego: number, other: number, t: number): void {
    const c = this.copy;
    if (c.crashed[ego] === 1 || other === ego) return;
    const o = (other * SUPERVISOR_HORIZON + t) * STATE;
    const tr = this.traj;
    const hit = bodiesCollide(
      this.quirks.referenceCollision,
      c.x[ego]!,
      c.y[ego]!,
      c.heading[ego]!,
      VEHICLE_LENGTH_M,
      VEHICLE_WIDTH_M,
      tr[o]!,
      tr[o + 1]!,
      tr[o + 2]!,
      VEHICLE_LENGTH_M,
      VEHICLE_WIDTH_M,
    );
    if (!hit) return;
    const v = Math.abs(tr[o + 3]!) < Math.abs(c.speed[ego]!) ? tr[o + 3]! : c.speed[ego]!;
    c.speed[ego] = v;
    tr[o + 3] = v;
    c.crashed[ego] = 1;
    c.crashed[other] = 1;
  }

  private checkObstacle(ego: number): void {
    const c = this.copy;
    if (c.crashed[ego] === 1) return;
    const ob = this.copyScene.obstacle;
    const hit = bodiesCollide(
      this.quirks.referenceCollision,
      c.x[ego]!,
      c.y[ego]!,
      c.heading[ego]!,
      VEHICLE_LENGTH_M,
      VEHICLE_WIDTH_M,
      ob.x,
      ob.y,
      ob.heading,
      ob.lengthM,
      ob.widthM,
    );
    if (hit) {
      c.speed[ego] = 0;
      c.crashed[ego] = 1;
    }
  }

  /**
   * check_safety_room (§3.6): from a fresh copy of the real ego, predict `action` for t + 1
   * sub-steps into candidate slot `slot`; return the minimum room over those sub-steps.
   */
  private safetyRoom(real: VehicleTable, ego: number, slot: number, action: number, t: number): number {
    const cand = this.candidates;
    cand.copyVehicle(real, ego, slot);
    this.candCount = 0;
    const nb = this.neighbours;
    const lateral = action === MetaAction.laneLeft || action === MetaAction.laneRight;
    const main = isMainLane(cand.lane[slot]!);
    let minRoom = Number.POSITIVE_INFINITY;
    for (let tt = 0; tt <= t; tt++) {
      this.predictCav(cand, slot, action, this.candTraj, slot);
      const x = this.candTraj[(slot * SUPERVISOR_HORIZON + tt) * STATE]!;
      let room = distanceToMergeEnd(cand, slot, this.road);
      if (lateral) {
        for (let q = 0; q < 4; q++) {
          const o = nb[q]!;
          if (o < 0) continue;
          const d = Math.abs(this.traj[(o * SUPERVISOR_HORIZON + tt) * STATE]! - x);
          if (d <= room) room = d;
        }
      } else {
        const leader = main ? nb[0]! : nb[2]!;
        if (leader >= 0) {
          const d = this.traj[(leader * SUPERVISOR_HORIZON + tt) * STATE]! - x;
          if (d <= room) room = d;
        }
      }
      if (room < minRoom) minRoom = room;
    }
    return minRoom;
  }
}
