/**
 * What the orbit view keeps in sight when no vehicle is selected: the CAVs and every crashed
 * vehicle (an HDV a CAV ran into included), as a centre and a radius on the ground, and how far the
 * orbit camera must stand to see all of it. Pure and allocation-free (the result goes into `out`),
 * so the scene calls it every frame.
 */
import type { PoseBuffer } from '../playback/replayPlayer.js';

/** Margin around the framed vehicles [m]: half a car length and some road around them. */
const FRAME_MARGIN_M = 8;

/** A region of the ground: centre (x, y) [m] and radius [m]. */
export interface ActionFrame {
  x: number;
  y: number;
  radiusM: number;
}

/**
 * The box around the first `agents` vehicles of `poses` (the CAVs) and any vehicle `crashed`
 * marks (1), written to `out` as its centre and half-diagonal plus a margin. With none of those,
 * every vehicle present.
 */
export function frameAction(
  poses: PoseBuffer,
  agents: number,
  crashed: Uint8Array | null,
  out: ActionFrame,
): ActionFrame {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  const n = poses.count;
  for (let pass = 0; pass < 2 && minX === Number.POSITIVE_INFINITY; pass++) {
    for (let i = 0; i < n; i++) {
      // First pass: CAVs and crashed vehicles; second (only if the first found none): everyone.
      if (pass === 0 && i >= agents && crashed?.[i] !== 1) continue;
      const x = poses.x[i]!;
      const y = poses.y[i]!;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  if (minX === Number.POSITIVE_INFINITY) {
    out.x = 0;
    out.y = 0;
    out.radiusM = FRAME_MARGIN_M;
    return out;
  }
  out.x = (minX + maxX) / 2;
  out.y = (minY + maxY) / 2;
  out.radiusM = Math.hypot(maxX - minX, maxY - minY) / 2 + FRAME_MARGIN_M;
  return out;
}

/**
 * Distance from the camera to a target at which a sphere of `radiusM` around it fits the view of a
 * perspective camera with vertical field of view `fovDeg` and `aspect` (width / height).
 */
export function fitDistanceM(radiusM: number, fovDeg: number, aspect: number): number {
  const halfV = (fovDeg * Math.PI) / 360;
  const halfH = Math.atan(Math.tan(halfV) * aspect);
  return radiusM / Math.sin(Math.min(halfV, halfH));
}
