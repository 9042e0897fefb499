/**
 * Vehicle state of a whole scene as a struct of typed arrays (docs/spec/horm.md §2.1), so a step
 * allocates nothing and the safety supervisor can clone the scene with a few `set` calls.
 * Index = position in the reference's `road.vehicles` (CAVs first, §5.2).
 */

export { VEHICLE_LENGTH_M } from '../road/lane.js';
/** Body width [m] of every vehicle; docs/spec/horm.md §2.1. */
export const VEHICLE_WIDTH_M = 2;

/** Vehicle classes: a controlled MDP vehicle (CAV) or an IDM/MOBIL human driver (HDV). */
export const VehicleKind = Object.freeze({ cav: 0, hdv: 1 } as const);

/** Preallocated state of up to `capacity` vehicles. */
export class VehicleTable {
  /** Number of vehicles in use. */
  count = 0;
  /** Centre position [m]. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Heading [rad] (not wrapped, §2.2). */
  readonly heading: Float64Array;
  /** Signed speed [m/s]; in "dynamic" physics the forward component of the body's velocity. */
  readonly speed: Float64Array;
  /**
   * "Dynamic" physics only (0 in "reference"): sideways velocity of the centre of mass, along
   * heading + π/2 [m/s], and yaw rate [rad/s] (vehicle/tyreModel.ts).
   */
  readonly lateralSpeed: Float64Array;
  readonly yawRate: Float64Array;
  /** Speed the controller tracks [m/s] (CAV: 10 + 5·speedIndex; HDV: desired speed v₀, §4.1). */
  readonly targetSpeed: Float64Array;
  /** Stored command: steering angle [rad] and acceleration [m/s²] (§2.1). */
  readonly steering: Float64Array;
  readonly accel: Float64Array;
  /** HDV lane-change timer [s] (§4.1). */
  readonly timer: Float64Array;
  /** Current lane id (closest lane, §1.5) and the lane the controller steers to. */
  readonly lane: Int32Array;
  readonly targetLane: Int32Array;
  /** CAV target-speed index 0..4 (§3.2). */
  readonly speedIndex: Int32Array;
  /** VehicleKind per vehicle. */
  readonly kind: Uint8Array;
  /** 1 once crashed; never cleared in the real simulation (§2.6). */
  readonly crashed: Uint8Array;

  /** @param capacity maximum number of vehicles. */
  constructor(readonly capacity: number) {
    this.x = new Float64Array(capacity);
    this.y = new Float64Array(capacity);
    this.heading = new Float64Array(capacity);
    this.speed = new Float64Array(capacity);
    this.lateralSpeed = new Float64Array(capacity);
    this.yawRate = new Float64Array(capacity);
    this.targetSpeed = new Float64Array(capacity);
    this.steering = new Float64Array(capacity);
    this.accel = new Float64Array(capacity);
    this.timer = new Float64Array(capacity);
    this.lane = new Int32Array(capacity);
    this.targetLane = new Int32Array(capacity);
    this.speedIndex = new Int32Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.crashed = new Uint8Array(capacity);
  }

  /** Copies every vehicle of `src` (same capacity) into this table. */
  copyFrom(src: VehicleTable): this {
    this.count = src.count;
    this.x.set(src.x);
    this.y.set(src.y);
    this.heading.set(src.heading);
    this.speed.set(src.speed);
    this.lateralSpeed.set(src.lateralSpeed);
    this.yawRate.set(src.yawRate);
    this.targetSpeed.set(src.targetSpeed);
    this.steering.set(src.steering);
    this.accel.set(src.accel);
    this.timer.set(src.timer);
    this.lane.set(src.lane);
    this.targetLane.set(src.targetLane);
    this.speedIndex.set(src.speedIndex);
    this.kind.set(src.kind);
    this.crashed.set(src.crashed);
    return this;
  }

  /** Copies vehicle `from` of `src` into slot `to` of this table. */
  copyVehicle(src: VehicleTable, from: number, to: number): void {
    this.x[to] = src.x[from]!;
    this.y[to] = src.y[from]!;
    this.heading[to] = src.heading[from]!;
    this.speed[to] = src.speed[from]!;
    this.lateralSpeed[to] = src.lateralSpeed[from]!;
    this.yawRate[to] = src.yawRate[from]!;
    this.targetSpeed[to] = src.targetSpeed[from]!;
    this.steering[to] = src.steering[from]!;
    this.accel[to] = src.accel[from]!;
    this.timer[to] = src.timer[from]!;
    this.lane[to] = src.lane[from]!;
    this.targetLane[to] = src.targetLane[from]!;
    this.speedIndex[to] = src.speedIndex[from]!;
    this.kind[to] = src.kind[from]!;
    this.crashed[to] = src.crashed[from]!;
  }
}
