/**
 * The vehicles as one InstancedMesh (body and cabin in one geometry, the cabin darker through
 * vertex colours, the instance colour on top), the leader→follower links as two more instanced
 * meshes (shafts and arrow heads, coloured by the leader's rank), and a ring under the selected
 * vehicle: four draw calls for any number of vehicles.
 *
 * Per frame, `updatePoses` and `updateLinks` write instance matrices straight into the attribute
 * arrays (a rotation about +y and a translation): no Matrix4, no allocation. Colours change only
 * when the recorded frame changes (`updateColours`).
 */
import {
  BoxGeometry,
  BufferAttribute,
  type BufferGeometry,
  type Color,
  ConeGeometry,
  DynamicDrawUsage,
  Group,
  InstancedBufferAttribute,
  InstancedMesh,
  Mesh,
  MeshBasicMaterial,
  MeshLambertMaterial,
  type Raycaster,
  RingGeometry,
} from 'three';
import { mergeGeometries } from 'three/examples/jsm/utils/BufferGeometryUtils.js';
import { VEHICLE_LENGTH_M, VEHICLE_WIDTH_M } from '../../core/sim/horm/vehicle/index.js';
import type { PoseBuffer } from '../playback/replayPlayer.js';
import { SELECTION_COLOUR_HEX } from './palette.js';

/** Body height and ground clearance [m] (display only: the simulator is 2-D). */
const BODY_HEIGHT_M = 1.1;
const CLEARANCE_M = 0.25;
/** Height the link arrows float at [m], above the roofs. */
const LINK_HEIGHT_M = 3.2;
/** Gap left between a link's ends and the vehicle centres [m]. */
const LINK_END_GAP_M = 3;
/** Arrow head length [m]. */
const HEAD_LENGTH_M = 1.6;

/** Box with a uniform vertex colour (brightness), for merging into the car geometry. */
function shadedBox(
  length: number,
  height: number,
  width: number,
  x: number,
  y: number,
  shade: number,
): BufferGeometry {
  const box = new BoxGeometry(length, height, width).translate(x, y, 0);
  const colours = new Float32Array(box.getAttribute('position').count * 3).fill(shade);
  box.setAttribute('color', new BufferAttribute(colours, 3));
  return box;
}

/** Car: body plus a cabin set back from the nose, so heading reads at a glance. */
function carGeometry(): BufferGeometry {
  const body = shadedBox(
    VEHICLE_LENGTH_M,
    BODY_HEIGHT_M,
    VEHICLE_WIDTH_M,
    0,
    CLEARANCE_M + BODY_HEIGHT_M / 2,
    1,
  );
  const cabinHeight = 0.75;
  const cabin = shadedBox(
    VEHICLE_LENGTH_M * 0.45,
    cabinHeight,
    VEHICLE_WIDTH_M * 0.85,
    -VEHICLE_LENGTH_M * 0.08,
    CLEARANCE_M + BODY_HEIGHT_M + cabinHeight / 2,
    0.45,
  );
  const merged = mergeGeometries([body, cabin]);
  body.dispose();
  cabin.dispose();
  if (merged === null) throw new Error('carGeometry: mergeGeometries failed (attribute mismatch)');
  return merged;
}

/**
 * Writes the matrix "rotate by `angle` about +y (world heading convention: three (x, z) =
 * world (x, y)), scale x by `stretch`, translate to (x, h, z)" into `array` at instance `i`.
 */
function writeMatrix(
  array: Float32Array,
  i: number,
  x: number,
  h: number,
  z: number,
  angle: number,
  stretch: number,
): void {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const o = i * 16;
  // Column-major: column 0 = local +x (the nose) = (cos, 0, sin) in (x, y, z).
  array[o] = c * stretch;
  array[o + 1] = 0;
  array[o + 2] = s * stretch;
  array[o + 3] = 0;
  array[o + 4] = 0;
  array[o + 5] = 1;
  array[o + 6] = 0;
  array[o + 7] = 0;
  array[o + 8] = -s;
  array[o + 9] = 0;
  array[o + 10] = c;
  array[o + 11] = 0;
  array[o + 12] = x;
  array[o + 13] = h;
  array[o + 14] = z;
  array[o + 15] = 1;
}

/** An instanced mesh with per-instance colours, matrices updated every frame. */
function instanced(geometry: BufferGeometry, material: MeshLambertMaterial, capacity: number): InstancedMesh {
  const mesh = new InstancedMesh(geometry, material, capacity);
  mesh.instanceMatrix.setUsage(DynamicDrawUsage);
  mesh.instanceColor = new InstancedBufferAttribute(new Float32Array(capacity * 3).fill(1), 3);
  mesh.count = 0;
  // The instances move every frame: a bounding sphere computed once would cull them wrongly.
  mesh.frustumCulled = false;
  return mesh;
}

/** Vehicles, links and selection ring of one replay. */
export class VehicleMeshes {
  readonly group = new Group();
  readonly capacity: number;
  private readonly cars: InstancedMesh;
  private readonly shafts: InstancedMesh;
  private readonly heads: InstancedMesh;
  private readonly ring: Mesh;
  private readonly disposables: { dispose(): void }[] = [];

  /** @param capacity most vehicles in a frame; @param agents agents (links = agents − 1). */
  constructor(capacity: number, agents: number) {
    this.capacity = capacity;
    const links = Math.max(agents - 1, 1);
    const carMaterial = new MeshLambertMaterial({ vertexColors: true });
    const car = carGeometry();
    this.cars = instanced(car, carMaterial, capacity);
    this.cars.name = 'vehicles';

    const linkMaterial = new MeshLambertMaterial({ emissive: 0x222222 });
    const shaft = new BoxGeometry(1, 0.12, 0.3).translate(0.5, 0, 0); // from the origin along +x
    const head = new ConeGeometry(0.6, HEAD_LENGTH_M, 12)
      .rotateZ(-Math.PI / 2)
      .translate(HEAD_LENGTH_M / 2, 0, 0);
    this.shafts = instanced(shaft, linkMaterial, links);
    this.heads = instanced(head, linkMaterial, links);

    const ringGeometry = new RingGeometry(3.4, 4, 40).rotateX(-Math.PI / 2);
    const ringMaterial = new MeshBasicMaterial({
      color: SELECTION_COLOUR_HEX,
      transparent: true,
      opacity: 0.95,
    });
    this.ring = new Mesh(ringGeometry, ringMaterial);
    this.ring.visible = false;

    this.group.add(this.cars, this.shafts, this.heads, this.ring);
    this.disposables.push(car, carMaterial, shaft, head, linkMaterial, ringGeometry, ringMaterial);
  }

  /** Places the cars at `poses` and the ring under vehicle `selected` (−1: none). */
  updatePoses(poses: PoseBuffer, selected: number): void {
    const n = Math.min(poses.count, this.capacity);
    const matrices = this.cars.instanceMatrix.array as Float32Array;
    for (let i = 0; i < n; i++) writeMatrix(matrices, i, poses.x[i]!, 0, poses.y[i]!, poses.heading[i]!, 1);
    this.cars.count = n;
    this.cars.instanceMatrix.needsUpdate = true;
    const show = selected >= 0 && selected < n;
    this.ring.visible = show;
    if (show) this.ring.position.set(poses.x[selected]!, 0.06, poses.y[selected]!);
  }

  /** Sets vehicle i's colour (call for each vehicle when the recorded frame changes, then `commitColours`). */
  setColour(i: number, colour: Color): void {
    if (i < this.capacity) this.cars.setColorAt(i, colour);
  }

  /** Uploads the colours set since the last commit. */
  commitColours(): void {
    if (this.cars.instanceColor !== null) this.cars.instanceColor.needsUpdate = true;
  }

  /**
   * Draws an arrow from each rank's vehicle to the next rank's: `vehicleOfRank[p]` is the vehicle
   * of rank p (−1: none), the arrow takes `colourOfLink[p]`.
   */
  updateLinks(poses: PoseBuffer, vehicleOfRank: Int32Array, linkColours: readonly Color[]): void {
    const shafts = this.shafts.instanceMatrix.array as Float32Array;
    const heads = this.heads.instanceMatrix.array as Float32Array;
    let drawn = 0;
    const capacity = this.shafts.instanceMatrix.count;
    for (let p = 0; p + 1 < vehicleOfRank.length && drawn < capacity; p++) {
      const from = vehicleOfRank[p]!;
      const to = vehicleOfRank[p + 1]!;
      if (from < 0 || to < 0 || from >= poses.count || to >= poses.count) continue;
      const dx = poses.x[to]! - poses.x[from]!;
      const dz = poses.y[to]! - poses.y[from]!;
      const length = Math.hypot(dx, dz);
      const shaftLength = length - 2 * LINK_END_GAP_M - HEAD_LENGTH_M;
      if (shaftLength <= 0.2) continue; // vehicles side by side: no room for an arrow
      const angle = Math.atan2(dz, dx);
      const ux = dx / length;
      const uz = dz / length;
      const x0 = poses.x[from]! + ux * LINK_END_GAP_M;
      const z0 = poses.y[from]! + uz * LINK_END_GAP_M;
      writeMatrix(shafts, drawn, x0, LINK_HEIGHT_M, z0, angle, shaftLength);
      writeMatrix(heads, drawn, x0 + ux * shaftLength, LINK_HEIGHT_M, z0 + uz * shaftLength, angle, 1);
      const colour = linkColours[p]!;
      this.shafts.setColorAt(drawn, colour);
      this.heads.setColorAt(drawn, colour);
      drawn++;
    }
    this.shafts.count = drawn;
    this.heads.count = drawn;
    this.shafts.instanceMatrix.needsUpdate = true;
    this.heads.instanceMatrix.needsUpdate = true;
    this.shafts.instanceColor!.needsUpdate = true;
    this.heads.instanceColor!.needsUpdate = true;
  }

  /**
   * Draws one car, link and head far below the ground: a first real draw call links the shader
   * programs and uploads the buffers before any replay is open (not between pick and first frame).
   */
  park(): void {
    for (const mesh of [this.cars, this.shafts, this.heads]) {
      writeMatrix(mesh.instanceMatrix.array as Float32Array, 0, 0, -1000, 0, 0, 1);
      mesh.instanceMatrix.needsUpdate = true;
      mesh.count = 1;
    }
  }

  /** Draws nothing until the next update. */
  hide(): void {
    this.cars.count = 0;
    this.shafts.count = 0;
    this.heads.count = 0;
    this.ring.visible = false;
  }

  /** The vehicle under the ray, or −1. */
  pick(raycaster: Raycaster): number {
    if (this.cars.count === 0) return -1;
    // Matrices changed since the last pick: recompute the bounds the raycast tests first.
    this.cars.computeBoundingBox();
    this.cars.computeBoundingSphere();
    const hit = raycaster.intersectObject(this.cars, false)[0];
    return hit?.instanceId ?? -1;
  }

  /** Frees geometries and materials. */
  dispose(): void {
    for (const item of this.disposables) item.dispose();
    this.disposables.length = 0;
    for (const mesh of [this.cars, this.shafts, this.heads]) mesh.dispose();
    this.group.removeFromParent();
  }
}
