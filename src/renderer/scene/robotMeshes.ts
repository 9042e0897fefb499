/**
 * A MuJoCo robot drawn from its replay's header (docs/replays.md "MuJoCo replays"): one group per
 * body holding a mesh per geom (sphere, capsule, cylinder, box, ellipsoid, plane with a 1 m grid),
 * each geom placed in its body's frame as the model has it, each body coloured by the agent whose
 * joint moves it (palette.ts robotBodyColoursHex). All of it sits in a root group turned from
 * MuJoCo's z-up world into three's y-up one: MuJoCo (x, y, z) is three (x, z, −y).
 *
 * Per frame, `updatePoses` copies each body's world pose from the player's buffer into its group:
 * no allocation. `dispose` frees every geometry and material.
 */
import {
  BoxGeometry,
  type BufferGeometry,
  CapsuleGeometry,
  Color,
  CylinderGeometry,
  DoubleSide,
  Group,
  type Material,
  Mesh,
  MeshBasicMaterial,
  MeshLambertMaterial,
  PlaneGeometry,
  SphereGeometry,
  type Vector3,
} from 'three';
import { mergeGeometries } from 'three/examples/jsm/utils/BufferGeometryUtils.js';
import type { MujocoReplayHeader } from '../../core/replay/index.js';
import type { BodyPoseBuffer } from '../playback/mujocoReplayPlayer.js';
import { GROUND_COLOUR_HEX, GROUND_GRID_COLOUR_HEX, robotBodyColoursHex } from './palette.js';

/** Side of a plane MuJoCo calls infinite (size 0) [m]. */
const INFINITE_PLANE_M = 200;
/** Segments of round geoms: enough for a smooth limb a few hundred pixels long. */
const ROUND_SEGMENTS = 16;
/** Width of a grid line on the ground [m] (strips, not GL lines: those vanish into the plane here). */
const GRID_LINE_M = 0.015;

type Geom = MujocoReplayHeader['geoms'][number];

/** three geometry of a geom in its own frame (capsule and cylinder axes along z, as MuJoCo's). */
function geomGeometry(geom: Geom): BufferGeometry {
  const [a, b, c] = geom.size;
  switch (geom.type) {
    case 'sphere':
      return new SphereGeometry(a, ROUND_SEGMENTS, ROUND_SEGMENTS / 2);
    case 'capsule':
      return new CapsuleGeometry(a, 2 * b, ROUND_SEGMENTS / 4, ROUND_SEGMENTS).rotateX(Math.PI / 2);
    case 'cylinder':
      return new CylinderGeometry(a, a, 2 * b, ROUND_SEGMENTS).rotateX(Math.PI / 2);
    case 'box':
      return new BoxGeometry(2 * a, 2 * b, 2 * c);
    case 'ellipsoid':
      return new SphereGeometry(1, ROUND_SEGMENTS, ROUND_SEGMENTS / 2).scale(a, b, c);
    case 'plane':
      return new PlaneGeometry(a > 0 ? 2 * a : INFINITE_PLANE_M, b > 0 ? 2 * b : INFINITE_PLANE_M);
  }
}

/** The meshes of one robot. */
export class RobotMeshes {
  /** Root: MuJoCo's world turned into three's (z up → y up). */
  readonly group = new Group();
  /** One group per body, posed in the world frame each frame. */
  private readonly bodies: Group[];
  private readonly geometries: BufferGeometry[] = [];
  private readonly materials: Material[] = [];
  /** Meshes drawn (one per geom). */
  readonly meshCount: number;

  constructor(header: MujocoReplayHeader) {
    this.group.rotation.x = -Math.PI / 2;
    const colours = robotBodyColoursHex(
      header.bodies.length,
      header.agents.map((agent) => agent.bodies),
      header.priority,
    );
    this.bodies = header.bodies.map(() => new Group());
    const bodyMaterials = colours.map((hex) => this.material(hex));
    const ground = this.material(GROUND_COLOUR_HEX);
    // Pushed back in depth, so its grid wins on a coarse depth buffer (software WebGL) too.
    ground.polygonOffset = true;
    ground.polygonOffsetFactor = 2;
    ground.polygonOffsetUnits = 4;
    for (const geom of header.geoms) {
      const geometry = geomGeometry(geom);
      this.geometries.push(geometry);
      const mesh = new Mesh(geometry, geom.type === 'plane' ? ground : bodyMaterials[geom.body]!);
      mesh.position.set(geom.pos[0], geom.pos[1], geom.pos[2]);
      mesh.quaternion.set(geom.quat[1], geom.quat[2], geom.quat[3], geom.quat[0]); // MuJoCo: w first
      if (geom.type === 'plane') this.addGrid(mesh, geom);
      this.bodies[geom.body]!.add(mesh);
    }
    this.meshCount = header.geoms.length;
    this.group.add(...this.bodies);
  }

  /** Moves every body to its pose in `poses` (world frame, MuJoCo's axes). */
  updatePoses(poses: BodyPoseBuffer): void {
    const { position: p, quaternion: q } = poses;
    const bodies = this.bodies;
    for (let b = 0; b < bodies.length; b++) {
      bodies[b]!.position.set(p[3 * b]!, p[3 * b + 1]!, p[3 * b + 2]!);
      bodies[b]!.quaternion.set(q[4 * b + 1]!, q[4 * b + 2]!, q[4 * b + 3]!, q[4 * b]!); // MuJoCo: w first
    }
  }

  /**
   * Writes into `out` where body `index`'s first geom is drawn, in three's world frame (its body's
   * origin when it has none); false for a body the robot does not have. For screen points.
   */
  geomCentre(index: number, out: Vector3): boolean {
    const body = this.bodies[index];
    if (body === undefined) return false;
    const mesh = body.children[0];
    this.group.updateMatrixWorld();
    (mesh ?? body).getWorldPosition(out);
    return true;
  }

  /** Frees every geometry and material. */
  dispose(): void {
    this.group.removeFromParent();
    for (const geometry of this.geometries) geometry.dispose();
    for (const material of this.materials) material.dispose();
  }

  private material(hex: string): MeshLambertMaterial {
    const material = new MeshLambertMaterial({ color: new Color(hex), side: DoubleSide });
    this.materials.push(material);
    return material;
  }

  /**
   * A 1 m grid on a plane, as thin strips in one mesh drawn over it (pulled forward in depth as the
   * road's markings are), so the ground shows the robot's motion under a following camera.
   */
  private addGrid(plane: Mesh, geom: Geom): void {
    const halfX = Math.min(geom.size[0] > 0 ? geom.size[0] : INFINITE_PLANE_M / 2, INFINITE_PLANE_M / 2);
    const halfY = Math.min(geom.size[1] > 0 ? geom.size[1] : INFINITE_PLANE_M / 2, INFINITE_PLANE_M / 2);
    const strips: BufferGeometry[] = [];
    for (let x = -Math.floor(halfX); x <= halfX; x++) {
      strips.push(new PlaneGeometry(GRID_LINE_M, 2 * halfY).translate(x, 0, 0));
    }
    for (let y = -Math.floor(halfY); y <= halfY; y++) {
      strips.push(new PlaneGeometry(2 * halfX, GRID_LINE_M).translate(0, y, 0));
    }
    const merged = mergeGeometries(strips);
    for (const strip of strips) strip.dispose();
    if (merged === null) throw new Error('RobotMeshes: mergeGeometries failed for the ground grid');
    const material = new MeshBasicMaterial({
      color: new Color(GROUND_GRID_COLOUR_HEX),
      side: DoubleSide,
      polygonOffset: true,
      polygonOffsetFactor: -1,
      polygonOffsetUnits: -4,
    });
    this.geometries.push(merged);
    this.materials.push(material);
    const grid = new Mesh(merged, material);
    grid.position.z = 0.001; // and just above the plane
    plane.add(grid);
  }
}

/** The robot's size [m]: the largest distance of a body origin from body 1's in `poses` (planes aside). */
export function robotRadiusM(poses: BodyPoseBuffer): number {
  const p = poses.position;
  const bodies = p.length / 3;
  if (bodies < 2) return 1;
  let radius = 0;
  for (let b = 1; b < bodies; b++) {
    radius = Math.max(radius, Math.hypot(p[3 * b]! - p[3]!, p[3 * b + 1]! - p[4]!, p[3 * b + 2]! - p[5]!));
  }
  return radius;
}
