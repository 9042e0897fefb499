/**
 * The planck world of the HORM simulator (docs/design.md "HORM physics", docs/spec/horm.md §2).
 *
 * "Reference" physics (default): vehicles are integrated by the float64 bicycle model (§2.2); each
 * sub-step every vehicle's planck body is moved to the new pose and collisions are read from
 * planck's contacts between sensor boxes (an exact polygon overlap test), then applied in the
 * reference's list order (§2.6). planck never integrates.
 *
 * "Dynamic" physics: each vehicle is a planck rigid body (VEHICLE_MASS_KG, YAW_INERTIA_KGM2)
 * driven by the tyre model of vehicle/tyreModel.ts from the same controller commands; planck
 * integrates one world.step per sub-step. The vehicle table stays the state of record: before
 * each step every body is set from it (pose, velocity, yaw rate) and after the step the table is
 * read back, so a snapshot restores an episode exactly. Collisions use the same sensor boxes and
 * the same bookkeeping as "reference" (a hit sets the forward speeds), so vehicles overlap instead
 * of bouncing; the crash then ends the episode as in the reference.
 *
 * In both modes the road boundary and the obstacle are static bodies; boundaries never collide
 * with vehicles (the reference has none). With `quirks.referenceCollision` the reference 9-point
 * test replaces planck's contacts (§10.8).
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
import type { HormPhysicsMode, HormQuirks } from './config.js';
import { LANE, type MergeRoad, type Obstacle, type RoadNetwork } from './road/index.js';
import {
  applyMetaAction,
  bodiesCollide,
  COLLISION_SCALE,
  cavAct,
  clipCommand,
  integrateBicycle,
  type TyreInput,
  tyreForces,
  tyreOutput,
  VEHICLE_LENGTH_M,
  VEHICLE_MASS_KG,
  VEHICLE_WIDTH_M,
  VehicleKind,
  VehicleTable,
  YAW_INERTIA_KGM2,
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

/**
 * "Dynamic" mode's planck step settings. A car at the 40 m/s speed clamp (§2.2) moves 2.67 m per
 * 1/15 s step, more than planck's default cap of 2 m per step (docs/design.md), so the cap is raised to
 * 4 m (60 m/s). Rotation: the fastest yaw the bicycle geometry allows (40 m/s, δ = π/3) is
 * ≈ 10.5 rad/s = 0.7 rad per step, within planck's default cap of π/2 per step, kept as the floor.
 */
export const DYNAMIC_MAX_TRANSLATION_M = 4;
export const DYNAMIC_MAX_ROTATION_RAD = Math.PI / 2;
/**
 * Solver iterations per step (planck's recommended 8 velocity / 3 position). Vehicles carry only
 * sensor fixtures and there are no joints, so there are no constraints to iterate on: these only
 * matter if solid contacts are ever added.
 */
export const DYNAMIC_VELOCITY_ITERATIONS = 8;
export const DYNAMIC_POSITION_ITERATIONS = 3;

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
  /** Scratch vectors for velocities, forces and impulses, and for their points of application. */
  private readonly vector = Vec2(0, 0);
  private readonly point = Vec2(0, 0);
  private readonly tyreIn: TyreInput = { heading: 0, vx: 0, vy: 0, yawRate: 0, steering: 0, accel: 0 };
  private readonly tyreOut = tyreOutput();

  /**
   * @param capacity maximum number of vehicles in any episode.
   * @param physics how poses evolve: the float64 bicycle model or planck's integrator.
   */
  constructor(
    road: MergeRoad,
    capacity: number,
    readonly quirks: HormQuirks,
    readonly physics: HormPhysicsMode = 'reference',
  ) {
    this.road = road;
    this.network = road.network;
    this.obstacle = road.obstacle;
    this.vehicles = new VehicleTable(capacity);
    this.stride = capacity + 1;
    this.touching = new Uint8Array(this.stride * this.stride);
    this.planck = new World({ gravity: Vec2(0, 0) });
    if (physics === 'dynamic') {
      // planck's Settings are global to the process; raising the caps leaves "reference" worlds
      // (which never call world.step) unaffected.
      Settings.maxTranslation = Math.max(Settings.maxTranslation, DYNAMIC_MAX_TRANSLATION_M);
      Settings.maxRotation = Math.max(Settings.maxRotation, DYNAMIC_MAX_ROTATION_RAD);
    }
    this.buildStaticBodies();
    // Sensor boxes: planck's polygon skin (polygonRadius) is subtracted so the tested shape is the
    // exact 90 % rectangle (docs/spec/horm.md §2.6).
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
      // Mass and inertia only act in "dynamic" mode; the centre of mass is the box centre.
      body.setMassData({ mass: VEHICLE_MASS_KG, center: Vec2(0, 0), I: YAW_INERTIA_KGM2 });
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
      // "dynamic" needs the bodies to integrate; "reference" only for contacts.
      const active = i < t.count && (this.physics === 'dynamic' || !this.quirks.referenceCollision);
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

  /** Sets body i's pose, velocity and yaw rate from the table ("dynamic" mode). */
  private loadBody(i: number): void {
    const t = this.vehicles;
    const h = t.heading[i]!;
    const c = Math.cos(h);
    const s = Math.sin(h);
    const v = t.speed[i]!;
    const u = t.lateralSpeed[i]!;
    this.placeBody(i);
    this.vector.x = v * c - u * s;
    this.vector.y = v * s + u * c;
    const body = this.bodies[i]!;
    body.setLinearVelocity(this.vector);
    body.setAngularVelocity(t.yawRate[i]!);
  }

  /** Reads body i's pose, velocity and yaw rate back into the table ("dynamic" mode). */
  private storeBody(i: number): void {
    const t = this.vehicles;
    const body = this.bodies[i]!;
    const p = body.getPosition();
    const vel = body.getLinearVelocity();
    const h = body.getAngle();
    const c = Math.cos(h);
    const s = Math.sin(h);
    t.x[i] = p.x;
    t.y[i] = p.y;
    t.heading[i] = h;
    t.speed[i] = vel.x * c + vel.y * s;
    t.lateralSpeed[i] = -vel.x * s + vel.y * c;
    t.yawRate[i] = body.getAngularVelocity();
    t.lane[i] = this.network.closestLaneId(p.x, p.y, h);
  }

  /** Applies the tyre model's forces and impulses for one step of `dtS` to body i. */
  private driveBody(i: number, dtS: number): void {
    const t = this.vehicles;
    const body = this.bodies[i]!;
    const vel = body.getLinearVelocity();
    const input = this.tyreIn;
    input.heading = t.heading[i]!;
    input.vx = vel.x;
    input.vy = vel.y;
    input.yawRate = t.yawRate[i]!;
    input.steering = t.steering[i]!;
    input.accel = t.accel[i]!;
    const f = tyreForces(input, dtS, this.tyreOut);
    this.vector.x = f.forceX;
    this.vector.y = f.forceY;
    body.applyForceToCenter(this.vector, true);
    const x = t.x[i]!;
    const y = t.y[i]!;
    this.vector.x = f.frontX;
    this.vector.y = f.frontY;
    this.point.x = x + f.axleX;
    this.point.y = y + f.axleY;
    body.applyLinearImpulse(this.vector, this.point, true);
    this.vector.x = f.rearX;
    this.vector.y = f.rearY;
    this.point.x = x - f.axleX;
    this.point.y = y - f.axleY;
    body.applyLinearImpulse(this.vector, this.point, true);
  }

  /**
   * Hands each CAV its high-level action (docs/spec/horm.md §2.3 step 3a); CAV k is vehicle k.
   * @param actions one meta-action per CAV, in agent order.
   */
  deliverActions(actions: ArrayLike<number>): void {
    for (let k = 0; k < actions.length; k++) {
      applyMetaAction(this.vehicles, k, actions[k]!, this.network, this.quirks.speedIndexFromSpeed);
    }
  }

  /**
   * One sub-step of `dtS` seconds: every vehicle computes its command from the current state, then
   * every vehicle integrates, then collisions are checked (docs/spec/horm.md §2.3 steps 3b–3c).
   */
  subStep(dtS: number): void {
    const t = this.vehicles;
    for (let i = 0; i < t.count; i++) {
      if (t.kind[i] === VehicleKind.cav) cavAct(t, i, this.network);
      else hdvAct(this, i, this.quirks);
    }
    if (this.physics === 'dynamic') {
      this.dynamicStep(dtS);
    } else {
      for (let i = 0; i < t.count; i++) {
        if (t.kind[i] === VehicleKind.hdv) t.timer[i] = t.timer[i]! + dtS;
        integrateBicycle(t, i, dtS, this.network);
      }
    }
    this.checkCollisions();
  }

  /**
   * "Dynamic" integration of one sub-step: the §2.2 command clipping, tyre forces on every body
   * set from the table, one planck world.step, then the table is read back.
   */
  private dynamicStep(dtS: number): void {
    const t = this.vehicles;
    for (let i = 0; i < t.count; i++) {
      if (t.kind[i] === VehicleKind.hdv) t.timer[i] = t.timer[i]! + dtS;
      clipCommand(t, i);
      this.loadBody(i);
      this.driveBody(i, dtS);
    }
    this.planck.step(dtS, DYNAMIC_VELOCITY_ITERATIONS, DYNAMIC_POSITION_ITERATIONS);
    for (let i = 0; i < t.count; i++) this.storeBody(i);
  }

  /**
   * Collision bookkeeping in list order (docs/spec/horm.md §2.6): for each not-yet-crashed A, each
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

  /**
   * Reads planck's touching contacts; in "reference" mode every body is first moved to its
   * vehicle's pose ("dynamic" bodies are already there after world.step).
   */
  private collectContacts(): void {
    const t = this.vehicles;
    if (this.physics === 'reference') for (let i = 0; i < t.count; i++) this.placeBody(i);
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
