/**
 * A MuJoCo robot's meshes without a WebGL context (src/renderer/scene/robotMeshes.ts): one mesh per
 * geom with the shape and size the header gives, each body in its agent's colour, bodies posed from
 * the player's buffer in MuJoCo's z-up world turned into three's y-up one, and teardown disposing
 * every geometry and material.
 */
import {
  Box3,
  type BufferGeometry,
  type Material,
  type Mesh,
  type MeshLambertMaterial,
  Vector3,
} from 'three';
import { describe, expect, it } from 'vitest';
import { MujocoReplayPlayer } from '../../../../src/renderer/playback/mujocoReplayPlayer.js';
import { RANK_COLOURS_HEX, ROBOT_FRAME_COLOUR_HEX } from '../../../../src/renderer/scene/palette.js';
import { RobotMeshes } from '../../../../src/renderer/scene/robotMeshes.js';
import { syntheticHeader, syntheticReplay } from '../../core/replay/mujocoFixtures.js';

/** The geoms' meshes of `robot` in geom order (each body group's children, body by body). */
function meshes(robot: RobotMeshes): Mesh[] {
  return robot.group.children.flatMap((body) => body.children as Mesh[]);
}

/** Every mesh under the robot, the ground's grid included. */
function allMeshes(robot: RobotMeshes): Mesh[] {
  const found: Mesh[] = [];
  robot.group.traverse((object) => {
    if ((object as Mesh).isMesh) found.push(object as Mesh);
  });
  return found;
}

describe('RobotMeshes', () => {
  it('draws one mesh per geom, sized as MuJoCo sizes it, coloured by agent', () => {
    const header = syntheticHeader();
    const robot = new RobotMeshes(header);
    const all = meshes(robot);
    expect(robot.meshCount).toBe(4);
    expect(all).toHaveLength(4);
    const size = (mesh: Mesh) => {
      mesh.geometry.computeBoundingBox();
      return mesh.geometry
        .boundingBox!.getSize(new Vector3())
        .toArray()
        .map((v) => Number(v.toFixed(3)));
    };
    const [plane, capsule, box, sphere] = all; // body by body, in geom order
    expect(size(plane!)).toEqual([80, 80, 0]);
    // capsule radius 0.05, half length 0.5: 1.1 m long along its own z
    expect(size(capsule!)).toEqual([0.1, 0.1, 1.1]);
    expect(size(box!)).toEqual([0.2, 0.2, 0.2]);
    expect(size(sphere!)).toEqual([0.16, 0.16, 0.16]);
    const colour = (mesh: Mesh) => `#${(mesh.material as MeshLambertMaterial).color.getHexString()}`;
    // torso (body 1) is moved by agent 1, the leader; the leg (body 2) by agent 0, follower 1
    expect([colour(capsule!), colour(box!), colour(sphere!)]).toEqual([
      RANK_COLOURS_HEX[0],
      RANK_COLOURS_HEX[0],
      RANK_COLOURS_HEX[1],
    ]);
    expect(colour(plane!)).not.toBe(ROBOT_FRAME_COLOUR_HEX);
    // the ground's 1 m grid: one more mesh, on the plane
    expect(allMeshes(robot)).toHaveLength(5);
    expect(plane!.children).toHaveLength(1);
  });

  it("poses each body from the player's buffer: MuJoCo's z up is three's y up", () => {
    const player = new MujocoReplayPlayer(syntheticReplay(10, 4));
    const robot = new RobotMeshes(player.header);
    player.seek(6);
    robot.updatePoses(player.poses);
    const at = new Vector3();
    expect(robot.geomCentre(2, at)).toBe(true);
    // the leg's sphere hangs 0.2 m below its body origin (0.1·6 + 0.2, 0, 0.4) in MuJoCo's frame,
    // turned by the body's rotation about y; three's height is MuJoCo's z
    const q = player.poses.quaternion.subarray(8, 12);
    const angle = 2 * Math.atan2(q[2]!, q[0]!);
    const mx = 0.8 + -0.2 * Math.sin(angle);
    const mz = 0.4 + -0.2 * Math.cos(angle);
    expect(at.x).toBeCloseTo(mx, 5);
    expect(at.y).toBeCloseTo(mz, 5);
    expect(at.z).toBeCloseTo(0, 5);
    const box = new Box3().setFromObject(robot.group);
    expect(box.max.y).toBeGreaterThan(0.3); // the robot stands above the ground (y up)
    expect(robot.geomCentre(9, at)).toBe(false);
  });

  it('disposes every geometry and material', () => {
    const robot = new RobotMeshes(syntheticHeader());
    const seen = new Map<BufferGeometry | Material, boolean>();
    for (const mesh of allMeshes(robot)) {
      for (const item of [mesh.geometry, mesh.material as Material]) {
        seen.set(item, false);
        item.addEventListener('dispose', () => seen.set(item, true));
      }
    }
    robot.dispose();
    expect([...seen.values()].every(Boolean)).toBe(true);
  });
});
