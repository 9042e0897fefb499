/**
 * The orbit view frames the action (src/renderer/scene/actionFrame.ts, cameraRig.ts): with no
 * vehicle selected, every CAV and every crashed vehicle is on screen, at the first frame of a
 * replay whose CAVs are spread along the road and at the end of a recorded crash.
 */
import { readFileSync } from 'node:fs';
import { Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import { type PoseBuffer, ReplayPlayer } from '../../../../src/renderer/playback/replayPlayer.js';
import { type ActionFrame, fitDistanceM, frameAction } from '../../../../src/renderer/scene/actionFrame.js';
import { CameraRig } from '../../../../src/renderer/scene/cameraRig.js';
import { InputSurface } from '../../../../src/renderer/scene/inputSurface.js';

const WIDTH = 800;
const HEIGHT = 600;

/** A pose buffer of vehicles at (x, y). */
function posesAt(points: readonly (readonly [number, number])[]): PoseBuffer {
  const n = points.length;
  const poses = {
    count: n,
    x: new Float32Array(n),
    y: new Float32Array(n),
    heading: new Float32Array(n),
    speed: new Float32Array(n),
  };
  points.forEach(([x, y], i) => {
    poses.x[i] = x;
    poses.y[i] = y;
  });
  return poses;
}

/** The orbit view placed on `frame` (the first view of a replay), in an 800×600 canvas. */
function orbitOn(frame: ActionFrame): CameraRig {
  const surface = new InputSurface();
  surface.resize(WIDTH, HEIGHT);
  const rig = new CameraRig(surface as unknown as HTMLElement);
  rig.resize(WIDTH, HEIGHT);
  rig.update(0, frame.x, frame.y, 0, frame.radiusM);
  rig.perspective.updateMatrixWorld();
  return rig;
}

/** Whether world point (x, y) on the ground is drawn inside the canvas. */
function onScreen(rig: CameraRig, x: number, y: number): boolean {
  const p = new Vector3(x, 0, y).project(rig.perspective);
  return Math.abs(p.x) <= 1 && Math.abs(p.y) <= 1 && p.z < 1;
}

describe('frameAction and the orbit view', () => {
  it('keeps CAVs 200 m apart on screen (the leader far ahead at step 0), not only their centre', () => {
    // Two CAVs (agents first) 200 m apart on the main road and the ramp, an HDV far behind.
    const poses = posesAt([
      [20, 10.5],
      [220, 0],
      [-300, 0],
    ]);
    const frame = frameAction(poses, 2, null, { x: 0, y: 0, radiusM: 0 });
    expect(frame.x).toBeCloseTo(120, 3);
    expect(frame.radiusM).toBeGreaterThan(100);
    const rig = orbitOn(frame);
    expect(onScreen(rig, 20, 10.5)).toBe(true);
    expect(onScreen(rig, 220, 0)).toBe(true);
    expect(onScreen(rig, -300, 0)).toBe(false); // an HDV is not framed
    rig.dispose();
  });

  it('frames the crashed vehicles with the CAVs at the end of a recorded crash', () => {
    const bytes = new Uint8Array(
      readFileSync(new URL('../../../../samples/replays/horm-hard-random-seed4.replay', import.meta.url)),
    );
    const player = new ReplayPlayer(bytes);
    player.seek(player.lastFrame);
    const last = player.current;
    const crashed = Array.from(last.crashed.subarray(0, last.vehicleCount)).flatMap((c, i) =>
      c === 1 ? [i] : [],
    );
    expect(crashed.length).toBeGreaterThan(0);
    const frame = frameAction(player.poses, player.header.agents, last.crashed, { x: 0, y: 0, radiusM: 0 });
    const rig = orbitOn(frame);
    const framed = [...new Set([...crashed, ...Array.from({ length: player.header.agents }, (_, j) => j)])];
    for (const i of framed) {
      expect(onScreen(rig, player.poses.x[i]!, player.poses.y[i]!), `vehicle ${i}`).toBe(true);
    }
    rig.dispose();
  });

  it('stands back no less than the default view, and further for a wider radius', () => {
    expect(fitDistanceM(10, 40, 4 / 3)).toBeCloseTo(10 / Math.sin((20 * Math.PI) / 180), 6);
    expect(fitDistanceM(100, 40, 0.5)).toBeGreaterThan(fitDistanceM(100, 40, 2)); // narrow: further
    const near = orbitOn({ x: 0, y: 0, radiusM: 1 });
    const far = orbitOn({ x: 0, y: 0, radiusM: 300 });
    const distance = (rig: CameraRig) => rig.perspective.position.distanceTo(rig.controls.target);
    expect(distance(near)).toBeCloseTo(Math.hypot(-55, 38, 48), 3);
    expect(distance(far)).toBeGreaterThan(3 * distance(near));
    near.dispose();
    far.dispose();
  });
});
