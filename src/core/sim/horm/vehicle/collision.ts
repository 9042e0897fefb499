/**
 * Rectangle collision tests (docs/spec/horm.md §2.6): an exact separating-axis overlap test (the
 * correct default, equivalent to planck's polygon overlap) and the reference's 9-point test with
 * its +heading rotation sign (quirk §10.8). Both take boxes already scaled by COLLISION_SCALE.
 */

/** Collision boxes are the bodies shrunk to 90 % (docs/spec/horm.md §2.6). */
export const COLLISION_SCALE = 0.9;
/** Reference broad phase: no collision if centres are farther apart than a vehicle length [m]. */
export const REFERENCE_PRECHECK_M = 5;

/**
 * Exact overlap of two rotated rectangles (centre, heading [rad], full length and width [m]);
 * touching counts as overlap.
 */
export function boxesOverlap(
  ax: number,
  ay: number,
  ah: number,
  al: number,
  aw: number,
  bx: number,
  by: number,
  bh: number,
  bl: number,
  bw: number,
): boolean {
  const dx = bx - ax;
  const dy = by - ay;
  const ca = Math.cos(ah);
  const sa = Math.sin(ah);
  const cb = Math.cos(bh);
  const sb = Math.sin(bh);
  // |cos| of angles between the axes of A (rows) and B (columns).
  const c00 = Math.abs(ca * cb + sa * sb);
  const c01 = Math.abs(-ca * sb + sa * cb);
  const c10 = Math.abs(-sa * cb + ca * sb);
  const c11 = Math.abs(sa * sb + ca * cb);
  const ahl = al / 2;
  const ahw = aw / 2;
  const bhl = bl / 2;
  const bhw = bw / 2;
  // Axes of A.
  if (Math.abs(dx * ca + dy * sa) > ahl + bhl * c00 + bhw * c01) return false;
  if (Math.abs(-dx * sa + dy * ca) > ahw + bhl * c10 + bhw * c11) return false;
  // Axes of B.
  if (Math.abs(dx * cb + dy * sb) > bhl + ahl * c00 + ahw * c10) return false;
  if (Math.abs(-dx * sb + dy * cb) > bhw + ahl * c01 + ahw * c11) return false;
  return true;
}

const POINT_U = [0, -1, 1, 0, 0, -1, -1, 1, 1];
const POINT_V = [0, 0, 0, -1, 1, -1, 1, -1, 1];

/** Some of rectangle 1's 9 points lie inside rectangle 2 tested with R(+h₂) (reference quirk). */
function hasPointInside(
  x1: number,
  y1: number,
  h1: number,
  l1: number,
  w1: number,
  x2: number,
  y2: number,
  h2: number,
  l2: number,
  w2: number,
): boolean {
  const c1 = Math.cos(h1);
  const s1 = Math.sin(h1);
  const c2 = Math.cos(h2);
  const s2 = Math.sin(h2);
  for (let k = 0; k < 9; k++) {
    const u = (POINT_U[k]! * l1) / 2;
    const v = (POINT_V[k]! * w1) / 2;
    const px = x1 + c1 * u - s1 * v - x2;
    const py = y1 + s1 * u + c1 * v - y2;
    // Reference: q = R(+h₂)·(p − c₂); a correct test would use R(−h₂) (docs/spec/horm.md §2.6).
    const qx = c2 * px - s2 * py;
    const qy = s2 * px + c2 * py;
    if (qx >= -l2 / 2 && qx <= l2 / 2 && qy >= -w2 / 2 && qy <= w2 / 2) return true;
  }
  return false;
}

/** The reference's rotated_rectangles_intersect: 9-point test both ways (docs/spec/horm.md §2.6). */
export function referenceBoxesIntersect(
  ax: number,
  ay: number,
  ah: number,
  al: number,
  aw: number,
  bx: number,
  by: number,
  bh: number,
  bl: number,
  bw: number,
): boolean {
  return (
    hasPointInside(ax, ay, ah, al, aw, bx, by, bh, bl, bw) ||
    hasPointInside(bx, by, bh, bl, bw, ax, ay, ah, al, aw)
  );
}

/**
 * Vehicle-vs-box collision as the simulator uses it: boxes scaled by 90 %; `reference` selects the
 * 5 m pre-check and 9-point test (quirk §10.8), otherwise the exact overlap. Sizes are full body
 * sizes [m].
 */
export function bodiesCollide(
  reference: boolean,
  ax: number,
  ay: number,
  ah: number,
  al: number,
  aw: number,
  bx: number,
  by: number,
  bh: number,
  bl: number,
  bw: number,
): boolean {
  const k = COLLISION_SCALE;
  if (reference) {
    if (Math.hypot(bx - ax, by - ay) > REFERENCE_PRECHECK_M) return false;
    return referenceBoxesIntersect(ax, ay, ah, k * al, k * aw, bx, by, bh, k * bl, k * bw);
  }
  return boxesOverlap(ax, ay, ah, k * al, k * aw, bx, by, bh, k * bl, k * bw);
}
