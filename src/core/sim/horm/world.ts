/**
 * The planck world of the HORM simulator (design.md "HORM physics", spec/horm.md §2).
 *
 * "Reference" physics: vehicles are integrated by the float64 bicycle model (§2.2); each sub-step
 * every vehicle's planck body is moved to the new pose and collisions are read from planck's
 * contacts between sensor boxes (an exact polygon overlap test), then applied in the reference's
 * list order (§2.6). The road boundary and the obstacle are static bodies; boundaries never collide
 * with vehicles (the reference has none). With `quirks.referenceCollision` the reference 9-point
 * test replaces planck (§10.8) and planck is not touched. No "dynamic" (tyre-model) mode yet.
 */

import {
  Box,
  Chain,
  type Contact,
  type Fixture,
  type Body as PlanckBody,
  Settings,
  Vec2,
  World,
} from 'planck';
import { hdvAct, type Scene } from './behavior/index.js';
import type { HormQuirks } from './config.js';
import { LANE, type MergeRoad, type Obstacle, type RoadNetwork } from './road/index.js';
import {
  applyMetaAction,
  bodiesCollide,
  COLLISION_SCALE,
  cavAct,
  integrateBicycle,
  VEHICLE_LENGTH_M,
  VEHICLE_WIDTH_M,
  VehicleKind,
  VehicleTable,
} from './vehicle/index.js';

/** Collision filter bits: vehicles touch vehicles and the obstacle, never the road boundary. */
const CATEGORY_VEHICLE = 0x1;
const CATEGORY_OBSTACLE = 0x2;
const CATEGORY_BOUNDARY = 0x4;

/** Sampling step of the drawn road boundary [m]. */
const BOUNDARY_STEP_M = 5;

/** Continuous edges of the merge road as [lane id, side (−1 = r −w/2, +1 = r +w/2)] (§1.2). */
const CONTINUOUS_EDGES: readonly (readonly [number, -1 | 1])[] = [
  [LANE.ab0, -1],
  [LANE.ab0, 1],
  [LANE.bc0, -1],
  [LANE.cd0, -1],
  [LANE.cd0, 1],
  [LANE.jk0, -1],
  [LANE.jk0, 1],
  [LANE.kb0, -1],
  [LANE.kb0, 1],
  [LANE.bc1, 1],
];

/** The subset of planck's World API that runs the contact pipeline without integrating. */
interface ContactPipeline {
  findNewContacts(): void;
  updateContacts(): void;
}

/** Vehicles, road and obstacle, stepped one 15 Hz sub-step at a time. */
export class HormWorld implements Scene {
  /** The road: network, obstacle, segment lengths and merge stations. */
  readonly road: MergeRoad;
  readonly network: RoadNetwork;
  readonly obstacle: Obstacle;
  readonly vehicles: VehicleTable;
  /** True once a vehicle hit the obstacle. */
  obstacleHit = false;
  private readonly planck: World;
  private readonly bodies: PlanckBody[] = [];
  /** touching[a·(cap+1) + b]: planck reports an overlap of a and b (index cap = obstacle). */
  private readonly touching: Uint8Array;
  private readonly stride: number;
  private readonly position = Vec2(0, 0);

  /** @param capacity maximum number of vehicles in any episode. */
  constructor(
    road: MergeRoad,
    capacity: number,
    readonly quirks: HormQuirks,
  ) {
    this.road = road;
    this.network = road.network;
    this.obstacle = road.obstacle;
    this.vehicles = new VehicleTable(capacity);
    this.stride = capacity + 1;
    this.touching = new Uint8Array(this.stride * this.stride);
    this.planck = new World({ gravity: Vec2(0, 0) });
    this.buildStaticBodies();
    // Sensor boxes: planck's polygon skin (polygonRadius) is subtracted so the tested shape is the
    // exact 90 % rectangle (spec/horm.md §2.6).
    const skin = Settings.polygonRadius;
    const hx = (COLLISION_SCALE * VEHICLE_LENGTH_M) / 2 - skin;
    const hy = (COLLISION_SCALE * VEHICLE_WIDTH_M) / 2 - skin;
    for (let i = 0; i < capacity; i++) {
      const body = this.planck.createBody({ type: 'dynamic', allowSleep: false, active: false, userData: i });
      body.createFixture({
        shape: new Box(hx, hy),
        isSensor: true,
        filterCategoryBits: CATEGORY_VEHICLE,
        filterMaskBits: CATEGORY_VEHICLE | CATEGORY_OBSTACLE,
      });
      this.bodies.push(body);
    }
  }

  private buildStaticBodies(): void {
    const o = this.obstacle;
    const skin = Settings.polygonRadius;
    const obstacle = this.planck.createBody({
      type: 'static',
      position: Vec2(o.x, o.y),
      angle: o.heading,
      userData: this.stride - 1,
    });
    obstacle.createFixture({
      shape: new Box((COLLISION_SCALE * o.lengthM) / 2 - skin, (COLLISION_SCALE * o.widthM) / 2 - skin),
      filterCategoryBits: CATEGORY_OBSTACLE,
      filterMaskBits: CATEGORY_VEHICLE,
    });
    const boundary = this.planck.createBody({ type: 'static', userData: -1 });
    for (const [laneId, side] of CONTINUOUS_EDGES) {
      const lane = this.network.lanes[laneId]!;
      const r = (side * lane.widthM) / 2;
      const points = [];
      const n = Math.ceil(lane.lengthM / BOUNDARY_STEP_M);
      for (let k = 0; k <= n; k++) {
        const s = Math.min(lane.lengthM, k * BOUNDARY_STEP_M);
        points.push(Vec2(lane.pointX(s, r), lane.pointY(s, r)));
      }
      boundary.createFixture({
        shape: new Chain(points, false),
        filterCategoryBits: CATEGORY_BOUNDARY,
        filterMaskBits: 0,
      });
    }
  }

  /** Activates one planck body per vehicle in use; call after the table was (re)filled. */
  syncBodies(): void {
    const t = this.vehicles;
    this.obstacleHit = false;
    for (let i = 0; i < this.bodies.length; i++) {
      const body = this.bodies[i]!;
      const active = i < t.count && !this.quirks.referenceCollision;
      if (body.isActive() !== active) body.setActive(active);
      if (active) this.placeBody(i);
    }
  }

  private placeBody(i: number): void {
    const t = this.vehicles;
    this.position.x = t.x[i]!;
    this.position.y = t.y[i]!;
    this.bodies[i]!.setTransform(this.position, t.heading[i]!);
  }

  /**
   * Hands each CAV its high-level action (spec/horm.md §2.3 step 3a); CAV k is vehicle k.
   * @param actions one meta-action per CAV, in agent order.
   */
  deliverActions(actions: ArrayLike<number>): void {
    for (let k = 0; k < actions.length; k++) {
      applyMetaAction(this.vehicles, k, actions[k]!, this.network, this.quirks.speedIndexFromSpeed);
    }
  }

  /**
   * One sub-step of `dtS` seconds: every vehicle computes its command from the current state, then
   * every vehicle integrates, then collisions are checked (spec/horm.md §2.3 steps 3b–3c).
   */
  subStep(dtS: number): void {
    const t = this.vehicles;
    for (let i = 0; i < t.count; i++) {
      if (t.kind[i] === VehicleKind.cav) cavAct(t, i, this.network);
      else hdvAct(this, i, this.quirks);
    }
    for (let i = 0; i < t.count; i++) {
      if (t.kind[i] === VehicleKind.hdv) t.timer[i] = t.timer[i]! + dtS;
      integrateBicycle(t, i, dtS, this.network);
    }
    this.checkCollisions();
  }

  /**
   * Collision bookkeeping in list order (spec/horm.md §2.6): for each not-yet-crashed A, each
   * other vehicle B then the obstacle; a hit sets both speeds to the smaller magnitude (0 for the
   * obstacle) and marks them crashed; A stops checking once crashed.
   */
  checkCollisions(): void {
    const t = this.vehicles;
    const n = t.count;
    const reference = this.quirks.referenceCollision;
    if (!reference) this.collectContacts();
    const o = this.obstacle;
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        if (t.crashed[a] === 1) break;
        if (b === a) continue;
        const hit = reference
          ? bodiesCollide(
              true,
              t.x[a]!,
              t.y[a]!,
              t.heading[a]!,
              VEHICLE_LENGTH_M,
              VEHICLE_WIDTH_M,
              t.x[b]!,
              t.y[b]!,
              t.heading[b]!,
              VEHICLE_LENGTH_M,
              VEHICLE_WIDTH_M,
            )
          : this.touching[a * this.stride + b] === 1;
        if (!hit) continue;
        const va = t.speed[a]!;
        const vb = t.speed[b]!;
        const v = Math.abs(vb) < Math.abs(va) ? vb : va;
        t.speed[a] = v;
        t.speed[b] = v;
        t.crashed[a] = 1;
        t.crashed[b] = 1;
      }
      if (t.crashed[a] === 1) continue;
      const hit = reference
        ? bodiesCollide(
            true,
            t.x[a]!,
            t.y[a]!,
            t.heading[a]!,
            VEHICLE_LENGTH_M,
            VEHICLE_WIDTH_M,
            o.x,
            o.y,
            o.heading,
            o.lengthM,
            o.widthM,
          )
        : this.touching[a * this.stride + this.stride - 1] === 1;
      if (hit) {
        t.speed[a] = 0;
        t.crashed[a] = 1;
        this.obstacleHit = true;
      }
    }
  }

  /** Moves every body to its vehicle's pose and reads planck's touching contacts. */
  private collectContacts(): void {
    const t = this.vehicles;
    for (let i = 0; i < t.count; i++) this.placeBody(i);
    const pipeline = this.planck as unknown as ContactPipeline;
    pipeline.findNewContacts();
    pipeline.updateContacts();
    this.touching.fill(0);
    for (let c: Contact | null = this.planck.getContactList(); c !== null; c = c.getNext()) {
      if (!c.isTouching()) continue;
      const a = bodyIndex(c.getFixtureA());
      const b = bodyIndex(c.getFixtureB());
      if (a < 0 || b < 0) continue;
      this.touching[a * this.stride + b] = 1;
      this.touching[b * this.stride + a] = 1;
    }
  }

  /** Number of live planck contacts (for tests of the contact pipeline). */
  contactCount(): number {
    return this.planck.getContactCount();
  }
}

function bodyIndex(f: Fixture): number {
  return f.getBody().getUserData() as number;
}
