import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../../../src/core/rng.js';
import { CORRECT_BEHAVIOUR, REFERENCE_QUIRKS } from '../../../../../../src/core/sim/horm/config.js';
import { buildMergeRoad } from '../../../../../../src/core/sim/horm/road/index.js';
import { injectScene } from '../../../../../../src/core/sim/horm/scene/spawn.js';
import {
  bodiesCollide,
  boxesOverlap,
  referenceBoxesIntersect,
} from '../../../../../../src/core/sim/horm/vehicle/index.js';
import { HormWorld } from '../../../../../../src/core/sim/horm/world.js';

describe('rectangle collision tests (docs/spec/horm.md §2.6)', () => {
  it('axis-aligned and rotated boxes: overlapping vs separated', () => {
    expect(boxesOverlap(0, 0, 0, 4.5, 1.8, 4.4, 0, 0, 4.5, 1.8)).toBe(true);
    expect(boxesOverlap(0, 0, 0, 4.5, 1.8, 4.6, 0, 0, 4.5, 1.8)).toBe(false);
    // A box rotated 90° next to another: its half-width along x is 0.9.
    expect(boxesOverlap(0, 0, 0, 4.5, 1.8, 3.1, 0, Math.PI / 2, 4.5, 1.8)).toBe(true);
    expect(boxesOverlap(0, 0, 0, 4.5, 1.8, 3.2, 0, Math.PI / 2, 4.5, 1.8)).toBe(false);
    // Rotated 45°: B's own width axis separates first, at x = (2.227 + 0.9)·√2 ≈ 4.42.
    expect(boxesOverlap(0, 0, 0, 4.5, 1.8, 4.4, 0, Math.PI / 4, 4.5, 1.8)).toBe(true);
    expect(boxesOverlap(0, 0, 0, 4.5, 1.8, 4.45, 0, Math.PI / 4, 4.5, 1.8)).toBe(false);
  });

  it('a crossing with no vertex inside is missed by the 9-point test but found by the overlap test', () => {
    // A long thin bar crossing the middle of another, perpendicular: no corner or midpoint inside.
    expect(referenceBoxesIntersect(0, 0, 0, 10, 0.5, 0, 0, Math.PI / 2, 10, 0.5)).toBe(true); // centres coincide
    expect(referenceBoxesIntersect(0, 0, 0, 10, 0.5, 3, 3, Math.PI / 2, 10, 0.5)).toBe(false);
    expect(boxesOverlap(0, 0, 0, 10, 0.5, 3, 3, Math.PI / 2, 10, 0.5)).toBe(true);
  });

  it('the reference rotates by +h (quirk §10.8): a rotated box is tested as if mirrored', () => {
    // Box 2 at heading +0.5 rad; a point lying inside it on its +heading side is outside the mirrored one.
    const h = 0.5;
    const px = 2 * Math.cos(h);
    const py = 2 * Math.sin(h);
    expect(boxesOverlap(px, py, 0, 0.1, 0.1, 0, 0, h, 4.5, 0.5)).toBe(true);
    expect(referenceBoxesIntersect(px, py, 0, 0.1, 0.1, 0, 0, h, 4.5, 0.5)).toBe(false);
    expect(bodiesCollide(true, 0, 0, 0, 5, 2, 5.1, 0, 0, 5, 2)).toBe(false); // 5 m pre-check
  });
});

describe('HormWorld collisions from planck contacts', () => {
  it('planck contacts agree with the separating-axis test on random rotated pairs', () => {
    const world = new HormWorld(buildMergeRoad(), 2, CORRECT_BEHAVIOUR);
    const rng = Rng.fromSeed(7);
    let agreeHits = 0;
    for (let trial = 0; trial < 300; trial++) {
      const x = 100 + 6 * rng.uniform();
      const y = -2 + 4 * rng.uniform();
      const h = (rng.uniform() - 0.5) * 2;
      injectScene(world, [
        { kind: 'cav', x: 100, y: 0, speed: 0 },
        { kind: 'cav', x, y, speed: 0, heading: h },
      ]);
      world.checkCollisions();
      const t = world.vehicles;
      const expected = boxesOverlap(100, 0, 0, 4.5, 1.8, x, y, h, 4.5, 1.8);
      // Skip near-touching cases where float tolerances of the two tests differ.
      const nearBoundary =
        boxesOverlap(100, 0, 0, 4.52, 1.82, x, y, h, 4.52, 1.82) !==
        boxesOverlap(100, 0, 0, 4.48, 1.78, x, y, h, 4.48, 1.78);
      if (nearBoundary) continue;
      expect(t.crashed[0] === 1).toBe(expected);
      if (expected) agreeHits++;
    }
    expect(agreeHits).toBeGreaterThan(30);
  });

  it('a crash sets both speeds to the smaller magnitude; hitting the obstacle stops the car', () => {
    for (const quirks of [CORRECT_BEHAVIOUR, REFERENCE_QUIRKS]) {
      const world = new HormWorld(buildMergeRoad(), 3, quirks);
      injectScene(world, [
        { kind: 'cav', x: 100, y: 0, speed: 30 },
        { kind: 'cav', x: 104, y: 0, speed: 20 },
        { kind: 'cav', x: 417, y: 4, speed: 10 },
      ]);
      world.checkCollisions();
      const t = world.vehicles;
      expect(Array.from(t.crashed.subarray(0, 3))).toEqual([1, 1, 1]);
      expect(Array.from(t.speed.subarray(0, 3))).toEqual([20, 20, 0]);
      expect(world.obstacleHit).toBe(true);
    }
  });
});
