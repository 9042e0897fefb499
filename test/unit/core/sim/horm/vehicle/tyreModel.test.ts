/**
 * The tyre model of "dynamic" physics (src/core/sim/horm/vehicle/tyreModel.ts): within grip the
 * lateral impulses leave both axles with no sideways velocity (the kinematic bicycle); beyond grip
 * they are capped at μ·m·g/2·dt per axle and the car slides; the drive force is F = m·a within what
 * the tyres have left.
 */
import { describe, expect, it } from 'vitest';
import {
  AXLE_OFFSET_M,
  GRAVITY_MPS2,
  resistanceForce,
  TYRE_FRICTION,
  type TyreInput,
  tyreForces,
  tyreOutput,
  VEHICLE_MASS_KG,
  YAW_INERTIA_KGM2,
} from '../../../../../../src/core/sim/horm/vehicle/index.js';

const DT = 1 / 15;

/** Lateral velocity of both axles after applying the impulses to a free rigid body. */
function axleSlipAfter(s: TyreInput): { front: number; rear: number; sliding: boolean } {
  const f = tyreForces(s, DT, tyreOutput());
  const m = VEHICLE_MASS_KG;
  const jx = f.frontX + f.rearX;
  const jy = f.frontY + f.rearY;
  const vx = s.vx + jx / m;
  const vy = s.vy + jy / m;
  // Angular impulse: r × J at each axle (rear at −axle).
  const w =
    s.yawRate +
    (f.axleX * f.frontY - f.axleY * f.frontX - (f.axleX * f.rearY - f.axleY * f.rearX)) / YAW_INERTIA_KGM2;
  const h = s.heading;
  const lateral = (px: number, py: number, angle: number) =>
    (vx - w * py) * -Math.sin(angle) + (vy + w * px) * Math.cos(angle);
  return {
    front: lateral(f.axleX, f.axleY, h + s.steering),
    rear: lateral(-f.axleX, -f.axleY, h),
    sliding: f.sliding,
  };
}

describe('tyre model', () => {
  it('axles sit L/2 from the centre, as in the reference bicycle model (§2.2)', () => {
    expect(AXLE_OFFSET_M).toBe(2.5);
  });

  it('within grip, both axles end with no sideways velocity, for any heading and steering', () => {
    for (const heading of [0, 0.3, -2]) {
      for (const steering of [0, 0.01, -0.02]) {
        const v = 25;
        const s = {
          heading,
          vx: v * Math.cos(heading) + 0.1 * -Math.sin(heading), // a little sideways drift
          vy: v * Math.sin(heading) + 0.1 * Math.cos(heading),
          yawRate: 0.02,
          steering,
          accel: 0,
        };
        const after = axleSlipAfter(s);
        expect(after.sliding).toBe(false);
        expect(Math.abs(after.front)).toBeLessThan(1e-9);
        expect(Math.abs(after.rear)).toBeLessThan(1e-9);
      }
    }
  });

  it('beyond grip the impulse per axle is capped at μ·m·g/2·dt and the car slides', () => {
    const s = { heading: 0, vx: 25, vy: 0, yawRate: 0, steering: 0.8, accel: 0 }; // a yank at 25 m/s
    const f = tyreForces(s, DT, tyreOutput());
    const cap = (TYRE_FRICTION * VEHICLE_MASS_KG * GRAVITY_MPS2 * DT) / 2;
    expect(f.sliding).toBe(true);
    expect(Math.hypot(f.frontX, f.frontY)).toBeLessThanOrEqual(cap * (1 + 1e-12));
    expect(Math.hypot(f.rearX, f.rearY)).toBeLessThanOrEqual(cap * (1 + 1e-12));
    expect(Math.abs(axleSlipAfter(s).front)).toBeGreaterThan(1); // still sliding sideways after
  });

  it('drive force is m·a less drag when straight, and friction-limited under hard braking', () => {
    const straight = { heading: 0, vx: 20, vy: 0, yawRate: 0, steering: 0, accel: 2 };
    const f = tyreForces(straight, DT, tyreOutput());
    expect(f.forceX).toBeCloseTo(VEHICLE_MASS_KG * 2 - resistanceForce(20), 9);
    expect(f.forceY).toBe(0);
    const brake = tyreForces({ ...straight, accel: -20 }, DT, tyreOutput());
    expect(brake.forceX).toBeCloseTo(
      -TYRE_FRICTION * VEHICLE_MASS_KG * GRAVITY_MPS2 - resistanceForce(20),
      9,
    );
  });
});
