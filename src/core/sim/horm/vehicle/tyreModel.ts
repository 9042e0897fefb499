/**
 * Top-down tyre model of the "dynamic" physics mode (docs/design.md "HORM physics"). Not in the
 * reference, whose vehicles have no mass, tyres or drag (docs/spec/horm.md §2.2): this mode exists to
 * see how policies behave when cars can slide, and its numbers are not comparable with the paper.
 *
 * A vehicle is a rigid body (mass, yaw inertia) with two axles on its centre line, placed as in
 * the reference bicycle model (lf = lr = L/2 = 2.5 m, §2.2), so the shared steering controller
 * (§3.3, which inverts that model) sees the yaw response it was designed for. Per sub-step:
 * - lateral: the two tyre impulses, along each axle's lateral direction (the front one turned by
 *   the steering angle), that together cancel the lateral velocity of both axles (a 2 × 2 solve
 *   through the body's mass and inertia), each capped by friction on its axle (μ·m·g/2). Below
 *   the caps the car follows the kinematic bicycle; above them the axle slides;
 * - longitudinal: drive/brake force F = m·a from the controller's acceleration command, within
 *   what friction leaves each axle after its lateral force (friction circle, lateral first, as a
 *   stability control would arbitrate), minus air drag and rolling resistance, applied at the
 *   centre of mass (on the centre line, so it adds no yaw moment).
 * Pure arithmetic on numbers: the world (world.ts) applies the result to the planck body, and
 * planck integrates.
 */

import { clamp } from './controller.js';
import { VEHICLE_LENGTH_M } from './vehicleTable.js';

/** Vehicle mass [kg]: a mid-size passenger car, for every CAV and HDV. */
export const VEHICLE_MASS_KG = 1500;
/**
 * Yaw moment of inertia about the centre of mass [kg·m²]: the usual order for a 1.5 t car
 * (2,000–3,000 kg·m²); a uniform 5 × 2 m box would give 3,625.
 */
export const YAW_INERTIA_KGM2 = 2500;
/** Distance from the centre of mass to each axle [m]: L/2, as in the reference bicycle model (§2.2). */
export const AXLE_OFFSET_M = VEHICLE_LENGTH_M / 2;
/** Tyre–road friction coefficient μ [-]: dry asphalt. */
export const TYRE_FRICTION = 0.9;
/** Gravitational acceleration [m/s²]. */
export const GRAVITY_MPS2 = 9.81;
/** Air density [kg/m³] at sea level, 15 °C. */
export const AIR_DENSITY_KGPM3 = 1.225;
/** Drag area Cd·A [m²]: Cd 0.30 × frontal area 2.2 m². */
export const DRAG_AREA_M2 = 0.66;
/** Rolling-resistance coefficient [-]: car tyres on asphalt. */
export const ROLLING_RESISTANCE = 0.012;
/** Below this speed rolling resistance fades linearly to zero, so a stopped car does not jitter [m/s]. */
export const ROLLING_FADE_MPS = 1;

/** Body state and command the tyre model reads. */
export interface TyreInput {
  /** Heading [rad]. */
  heading: number;
  /** Velocity of the centre of mass, world frame [m/s]. */
  vx: number;
  vy: number;
  /** Yaw rate [rad/s]. */
  yawRate: number;
  /** Front-wheel angle [rad] (the steering command). */
  steering: number;
  /** Acceleration command [m/s²]. */
  accel: number;
}

/** What to apply to the body before planck integrates one step. */
export interface TyreOutput {
  /** Longitudinal force (drive/brake + drag + rolling), world frame, at the centre of mass [N]. */
  forceX: number;
  forceY: number;
  /** Front-axle offset from the centre of mass, world frame [m] (the rear axle is at minus it). */
  axleX: number;
  axleY: number;
  /** Lateral tyre impulse at the front axle, world frame [N·s]. */
  frontX: number;
  frontY: number;
  /** Lateral tyre impulse at the rear axle, world frame [N·s]. */
  rearX: number;
  rearY: number;
  /** True when an axle's impulse hit its friction cap (the car slides). */
  sliding: boolean;
}

/** A zeroed TyreOutput to reuse. */
export function tyreOutput(): TyreOutput {
  return {
    forceX: 0,
    forceY: 0,
    axleX: 0,
    axleY: 0,
    frontX: 0,
    frontY: 0,
    rearX: 0,
    rearY: 0,
    sliding: false,
  };
}

/** Longitudinal resisting force of air drag and rolling resistance at forward speed `v` [N] (sign of v). */
export function resistanceForce(v: number): number {
  const air = 0.5 * AIR_DENSITY_KGPM3 * DRAG_AREA_M2 * Math.abs(v) * v;
  const rolling = ROLLING_RESISTANCE * VEHICLE_MASS_KG * GRAVITY_MPS2 * clamp(v / ROLLING_FADE_MPS, -1, 1);
  return air + rolling;
}

/** Writes the forces and impulses for one step of `dtS` seconds into `out` and returns it. */
export function tyreForces(s: TyreInput, dtS: number, out: TyreOutput): TyreOutput {
  const m = VEHICLE_MASS_KG;
  const inertia = YAW_INERTIA_KGM2;
  const c = Math.cos(s.heading);
  const sn = Math.sin(s.heading);
  const w = s.yawRate;

  // --- lateral first: impulses that stop both axles sliding sideways ---
  const forward = s.vx * c + s.vy * sn;
  const cf = Math.cos(s.heading + s.steering);
  const sf = Math.sin(s.heading + s.steering);
  const nfx = -sf; // front wheel's lateral unit
  const nfy = cf;
  const nrx = -sn; // rear wheel's lateral unit
  const nry = c;
  const ax = AXLE_OFFSET_M * c; // front axle offset; the rear one is −(ax, ay)
  const ay = AXLE_OFFSET_M * sn;
  out.axleX = ax;
  out.axleY = ay;
  // Lateral velocity of each axle: (v + ω × r)·n.
  const uf = (s.vx - w * ay) * nfx + (s.vy + w * ax) * nfy;
  const ur = (s.vx + w * ay) * nrx + (s.vy - w * ax) * nry;
  // Effective-mass matrix K (Δu = K·J): K_ij = n_i·n_j/m + (r_i × n_i)(r_j × n_j)/I.
  const rf = ax * nfy - ay * nfx;
  const rr = -ax * nry + ay * nrx;
  const kff = 1 / m + (rf * rf) / inertia;
  const krr = 1 / m + (rr * rr) / inertia;
  const kfr = (nfx * nrx + nfy * nry) / m + (rf * rr) / inertia;
  const det = kff * krr - kfr * kfr; // > 0 for any steering angle (axles 5 m apart)
  let jf = (-uf * krr + ur * kfr) / det;
  let jr = (-ur * kff + uf * kfr) / det;
  // Each axle carries the static load m·g/2 and can push sideways with at most μ·m·g/2.
  const axleLimit = (TYRE_FRICTION * m * GRAVITY_MPS2) / 2;
  const cap = axleLimit * dtS;
  const frontOver = Math.abs(jf) > cap;
  const rearOver = Math.abs(jr) > cap;
  if (frontOver && rearOver) {
    jf = clamp(jf, -cap, cap);
    jr = clamp(jr, -cap, cap);
  } else if (frontOver) {
    jf = clamp(jf, -cap, cap);
    jr = clamp((-ur - kfr * jf) / krr, -cap, cap); // best the rear can do given the front
  } else if (rearOver) {
    jr = clamp(jr, -cap, cap);
    jf = clamp((-uf - kfr * jr) / kff, -cap, cap);
  }

  // --- longitudinal: F = m·a within what friction leaves (friction circle per axle) ---
  const lateralF = Math.abs(jf) / dtS;
  const lateralR = Math.abs(jr) / dtS;
  const maxDrive =
    Math.sqrt(Math.max(0, axleLimit * axleLimit - lateralF * lateralF)) +
    Math.sqrt(Math.max(0, axleLimit * axleLimit - lateralR * lateralR));
  const drive = clamp(m * s.accel, -maxDrive, maxDrive);
  const longitudinal = drive - resistanceForce(forward);
  out.forceX = longitudinal * c;
  out.forceY = longitudinal * sn;
  out.sliding = frontOver || rearOver;
  out.frontX = jf * nfx;
  out.frontY = jf * nfy;
  out.rearX = jr * nrx;
  out.rearY = jr * nry;
  return out;
}
