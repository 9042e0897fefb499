/**
 * Meshes of the HORM merge road (docs/spec/horm.md §1), built from the simulator's own lane geometry
 * (src/core/sim/horm/road): every lane is sampled through `Lane.pointX/pointY`, so the sine
 * converging lane bends exactly as the vehicles drive it. Three draw calls: asphalt (all lanes,
 * merge-zone lanes tinted), markings (solid edges, dashed lines between lanes of one road,
 * distance ticks), and the obstacle at the end of the merge lane (§1.6); plus the ground.
 *
 * Scene axes (sceneView.ts): world (x, y) → three (x, 0, y), height on +y.
 */
import {
  BoxGeometry,
  BufferAttribute,
  BufferGeometry,
  Group,
  Mesh,
  MeshBasicMaterial,
  MeshLambertMaterial,
  PlaneGeometry,
} from 'three';
import type { Lane, MergeRoad, RoadNetwork } from '../../core/sim/horm/road/index.js';
import { OBSTACLE_COLOUR } from './palette.js';

/** Height of the markings above the asphalt [m] (against z-fighting, with a polygon offset). */
const MARKING_LIFT_M = 0.04;
/** Width of a painted line [m]. */
const MARKING_WIDTH_M = 0.25;
/** Dash and gap of a dashed line [m]. */
const DASH_M = 3;
const GAP_M = 6;
/** Sampling step along curved lanes [m]. */
const CURVE_STEP_M = 1;
/** Distance between the ticks beside the main road [m]. */
const TICK_EVERY_M = 50;
/**
 * How far a road with no successor is drawn past its end [m]: vehicles keep driving on it
 * (docs/spec/horm.md §1.5), so the picture continues where the lane's geometry does.
 */
const RUN_OUT_M = 400;

const MAIN_ASPHALT: readonly [number, number, number] = [0.05, 0.055, 0.065];
const RAMP_ASPHALT: readonly [number, number, number] = [0.08, 0.075, 0.07];
const PAINT: readonly [number, number, number] = [0.93, 0.93, 0.9];

/** Triangles being collected: positions and colours (built once, then copied to typed arrays). */
class RibbonBuilder {
  readonly positions: number[] = [];
  readonly colours: number[] = [];

  /**
   * A strip along `lane` from s0 to s1 between lateral offsets r0 < r1 at height `lift`, as
   * triangles facing up (+y).
   */
  add(
    lane: Lane,
    s0: number,
    s1: number,
    r0: number,
    r1: number,
    lift: number,
    colour: readonly number[],
  ): void {
    const curved =
      lane.headingAt(s0) !== lane.headingAt(s1) || lane.headingAt(s0) !== lane.headingAt((s0 + s1) / 2);
    const segments = curved ? Math.max(1, Math.ceil((s1 - s0) / CURVE_STEP_M)) : 1;
    for (let k = 0; k < segments; k++) {
      const sa = s0 + ((s1 - s0) * k) / segments;
      const sb = s0 + ((s1 - s0) * (k + 1)) / segments;
      // A, B on the low side, C, D on the high side; (A, D, C) and (A, C, B) face +y.
      const a = [lane.pointX(sa, r0), lift, lane.pointY(sa, r0)];
      const b = [lane.pointX(sb, r0), lift, lane.pointY(sb, r0)];
      const c = [lane.pointX(sb, r1), lift, lane.pointY(sb, r1)];
      const d = [lane.pointX(sa, r1), lift, lane.pointY(sa, r1)];
      this.positions.push(...a, ...d, ...c, ...a, ...c, ...b);
      for (let v = 0; v < 6; v++) this.colours.push(...colour);
    }
  }

  /** A painted line centred on lateral offset r from s = 0 to `length`, solid or dashed. */
  line(lane: Lane, r: number, dashed: boolean, length: number): void {
    const half = MARKING_WIDTH_M / 2;
    if (!dashed) {
      this.add(lane, 0, length, r - half, r + half, MARKING_LIFT_M, PAINT);
      return;
    }
    for (let s = 0; s < length; s += DASH_M + GAP_M) {
      this.add(lane, s, Math.min(s + DASH_M, length), r - half, r + half, MARKING_LIFT_M, PAINT);
    }
  }

  /** The collected triangles as a geometry with up normals. */
  geometry(): BufferGeometry {
    const geometry = new BufferGeometry();
    const positions = new Float32Array(this.positions);
    const normals = new Float32Array(positions.length);
    for (let i = 1; i < normals.length; i += 3) normals[i] = 1;
    geometry.setAttribute('position', new BufferAttribute(positions, 3));
    geometry.setAttribute('normal', new BufferAttribute(normals, 3));
    geometry.setAttribute('color', new BufferAttribute(new Float32Array(this.colours), 3));
    geometry.computeBoundingSphere();
    return geometry;
  }
}

/** The road's meshes; `dispose` frees their geometries and materials. */
export class RoadMeshes {
  readonly group = new Group();
  /** x range the road covers [m]: where cameras may look. */
  readonly startX: number;
  readonly endX: number;
  private readonly disposables: { dispose(): void }[] = [];

  constructor(road: MergeRoad) {
    const network: RoadNetwork = road.network;
    const asphalt = new RibbonBuilder();
    const paint = new RibbonBuilder();
    let startX = Number.POSITIVE_INFINITY;
    let endX = Number.NEGATIVE_INFINITY;
    network.lanes.forEach((lane, id) => {
      const w = lane.widthM / 2;
      const main = lane.address.index === 0 && !lane.forbidden;
      const length = lane.lengthM + (network.isDeadEnd(id) ? RUN_OUT_M : 0);
      asphalt.add(lane, 0, length, -w, w, 0, main ? MAIN_ASPHALT : RAMP_ASPHALT);
      startX = Math.min(startX, lane.pointX(0, 0));
      endX = Math.max(endX, lane.pointX(lane.lengthM, 0));
      // Edges: a line shared with the next lane of the same road is dashed (drawn once, by the
      // lower lane); an outer edge is solid.
      const index = lane.address.index;
      const lanesOnRoad = network.roadLaneCount(id);
      paint.line(lane, w, index + 1 < lanesOnRoad, length);
      if (index === 0) paint.line(lane, -w, false, length);
    });
    // Distance ticks beside the main road every 50 m (a static reference for the eye in motion).
    const mainLanes = network.lanes.filter((lane) => lane.address.index === 0 && !lane.forbidden);
    for (const lane of mainLanes) {
      const x0 = lane.pointX(0, 0);
      for (let s = Math.ceil(x0 / TICK_EVERY_M) * TICK_EVERY_M - x0; s < lane.lengthM; s += TICK_EVERY_M) {
        paint.add(lane, s, s + 0.5, -lane.widthM / 2 - 1.6, -lane.widthM / 2 - 0.6, MARKING_LIFT_M, PAINT);
      }
    }
    this.startX = startX;
    this.endX = endX;

    const asphaltGeometry = asphalt.geometry();
    const asphaltMaterial = new MeshLambertMaterial({ vertexColors: true });
    const paintGeometry = paint.geometry();
    const paintMaterial = new MeshBasicMaterial({
      vertexColors: true,
      polygonOffset: true,
      polygonOffsetFactor: -1,
      polygonOffsetUnits: -4,
    });
    const groundGeometry = new PlaneGeometry(endX - startX + 4000, 3000).rotateX(-Math.PI / 2);
    // The ground is drawn first and writes no depth, so the asphalt just above it always wins,
    // whatever the depth buffer's precision far from the camera (16 bits under SwiftShader).
    const groundMaterial = new MeshLambertMaterial({ color: 0x2b3a2e, depthWrite: false });
    const ground = new Mesh(groundGeometry, groundMaterial);
    ground.position.set((startX + endX) / 2, -0.3, 0);
    ground.renderOrder = -1;

    const { obstacle } = road;
    const obstacleGeometry = new BoxGeometry(obstacle.lengthM, 1.2, obstacle.widthM);
    const obstacleMaterial = new MeshLambertMaterial({ color: OBSTACLE_COLOUR, emissive: 0x1e293b });
    const block = new Mesh(obstacleGeometry, obstacleMaterial);
    block.position.set(obstacle.x, 0.6, obstacle.y);
    block.rotation.y = -obstacle.heading;

    this.group.add(
      ground,
      new Mesh(asphaltGeometry, asphaltMaterial),
      new Mesh(paintGeometry, paintMaterial),
      block,
    );
    this.group.name = 'road';
    this.disposables.push(
      asphaltGeometry,
      asphaltMaterial,
      paintGeometry,
      paintMaterial,
      groundGeometry,
      groundMaterial,
      obstacleGeometry,
      obstacleMaterial,
    );
  }

  dispose(): void {
    for (const item of this.disposables) item.dispose();
    this.disposables.length = 0;
    this.group.removeFromParent();
  }
}
