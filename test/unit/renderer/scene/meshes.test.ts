/**
 * The scene's meshes without a WebGL context (three.js geometry is plain data): the road covers
 * the simulator's lanes, the car matrices put each nose along its heading, links run leader →
 * follower, and teardown disposes every geometry and material it made.
 */
import {
  type BufferGeometry,
  Color,
  type InstancedMesh,
  type Material,
  Matrix4,
  type Mesh,
  type MeshLambertMaterial,
  type Object3D,
  Raycaster,
  Vector3,
} from 'three';
import { describe, expect, it } from 'vitest';
import { buildMergeRoad } from '../../../../src/core/sim/horm/road/index.js';
import type { PoseBuffer } from '../../../../src/renderer/playback/replayPlayer.js';
import { OBSTACLE_COLOUR_HEX, RANK_COLOURS_HEX } from '../../../../src/renderer/scene/palette.js';
import { RoadMeshes } from '../../../../src/renderer/scene/roadMeshes.js';
import { VehicleMeshes } from '../../../../src/renderer/scene/vehicleMeshes.js';

/** Every geometry and material under `root`, each with a flag set by its dispose event. */
function watchDisposal(root: Object3D): { disposed: () => boolean[]; count: number } {
  const seen = new Map<BufferGeometry | Material, boolean>();
  root.traverse((object) => {
    const mesh = object as Mesh;
    if (mesh.geometry === undefined) return;
    const materials = Array.isArray(mesh.material) ? mesh.material : [mesh.material];
    for (const item of [mesh.geometry, ...materials]) {
      if (seen.has(item)) continue;
      seen.set(item, false);
      item.addEventListener('dispose', () => seen.set(item, true));
    }
  });
  return { disposed: () => [...seen.values()], count: seen.size };
}

function poses(values: { x: number; y: number; heading: number }[]): PoseBuffer {
  const n = values.length;
  const buffer: PoseBuffer = {
    count: n,
    x: new Float32Array(n),
    y: new Float32Array(n),
    heading: new Float32Array(n),
    speed: new Float32Array(n),
  };
  values.forEach((v, i) => {
    buffer.x[i] = v.x;
    buffer.y[i] = v.y;
    buffer.heading[i] = v.heading;
  });
  return buffer;
}

describe('RoadMeshes', () => {
  it('covers every lane of the merge road, ramp and sine section included, facing up', () => {
    const road = new RoadMeshes(buildMergeRoad());
    const asphalt = road.group.children[1] as Mesh;
    const position = asphalt.geometry.getAttribute('position');
    const normal = asphalt.geometry.getAttribute('normal');
    asphalt.geometry.computeBoundingBox();
    const box = asphalt.geometry.boundingBox!;
    expect(box.min.x).toBeCloseTo(0, 6);
    expect(box.max.x).toBeGreaterThanOrEqual(520); // main road end, plus the run-out
    expect(box.min.z).toBeCloseTo(-2, 6); // main lane's outer edge (world y = −2 m)
    expect(box.max.z).toBeCloseTo(12.5, 6); // ramp's outer edge (world y = 10.5 + 2 m)
    for (let i = 0; i < normal.count; i++) expect(normal.getY(i)).toBe(1);
    // Triangles wind counter-clockwise seen from above (+y): their geometric normal points up.
    const a = new Vector3();
    const b = new Vector3();
    const c = new Vector3();
    for (let t = 0; t < position.count; t += 3) {
      a.fromBufferAttribute(position, t);
      b.fromBufferAttribute(position, t + 1);
      c.fromBufferAttribute(position, t + 2);
      const up = b.sub(a).cross(c.sub(a));
      expect(up.y).toBeGreaterThanOrEqual(0);
    }
    // Somewhere on the sine lane half way along (x = 270 m, centre y = 7.25 m) is paved.
    const raycaster = new Raycaster(new Vector3(270, 10, 7.25), new Vector3(0, -1, 0));
    expect(raycaster.intersectObject(asphalt).length).toBeGreaterThan(0);
    road.dispose();
  });

  it('paints the obstacle at the end of the merge lane in its own colour, no rank’s', () => {
    const road = new RoadMeshes(buildMergeRoad());
    const obstacle = road.group.children[3] as Mesh;
    const colour = (obstacle.material as MeshLambertMaterial).color;
    expect(`#${colour.getHexString()}`).toBe(OBSTACLE_COLOUR_HEX);
    for (const rank of RANK_COLOURS_HEX) expect(`#${colour.getHexString()}`).not.toBe(rank);
    road.dispose();
  });

  it('disposes every geometry and material on teardown', () => {
    const road = new RoadMeshes(buildMergeRoad());
    const watch = watchDisposal(road.group);
    expect(watch.count).toBeGreaterThanOrEqual(8);
    road.dispose();
    expect(watch.disposed().every(Boolean)).toBe(true);
    expect(road.group.parent).toBeNull();
  });
});

describe('VehicleMeshes', () => {
  it('points each car’s nose along its heading (world +y is three +z)', () => {
    const vehicles = new VehicleMeshes(4, 2);
    vehicles.updatePoses(
      poses([
        { x: 100, y: 0, heading: 0 },
        { x: 200, y: 4, heading: Math.PI / 2 },
      ]),
      1,
    );
    const cars = vehicles.group.children[0] as InstancedMesh;
    expect(cars.count).toBe(2);
    const m = new Matrix4();
    cars.getMatrixAt(1, m);
    const nose = new Vector3(2.5, 0, 0).applyMatrix4(m);
    expect(nose.x).toBeCloseTo(200, 5);
    expect(nose.z).toBeCloseTo(4 + 2.5, 5);
    const ring = vehicles.group.children[3]!;
    expect(ring.visible).toBe(true);
    expect(ring.position.x).toBe(200);
    vehicles.dispose();
  });

  it('draws one arrow per leader → follower pair, none between cars side by side', () => {
    const vehicles = new VehicleMeshes(4, 4);
    const red = new Color('red');
    const links = [red, red, red, red];
    const buffer = poses([
      { x: 300, y: 0, heading: 0 },
      { x: 250, y: 0, heading: 0 },
      { x: 250, y: 4, heading: 0 }, // beside vehicle 1: too close for an arrow
    ]);
    vehicles.updateLinks(buffer, Int32Array.of(0, 1, 2, -1), links);
    const shafts = vehicles.group.children[1] as InstancedMesh;
    expect(shafts.count).toBe(1);
    vehicles.dispose();
  });

  it('disposes every geometry and material on teardown', () => {
    const vehicles = new VehicleMeshes(16, 4);
    const watch = watchDisposal(vehicles.group);
    expect(watch.count).toBeGreaterThanOrEqual(7);
    vehicles.dispose();
    expect(watch.disposed().every(Boolean)).toBe(true);
  });
});
