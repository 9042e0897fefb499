/**
 * What a replay records of a compiled MuJoCo model (docs/replays.md "MuJoCo replays"), read once
 * per episode as plain copies: each body's name and parent, each geom's shape, size and pose in its
 * body (model.geom_type, geom_size, geom_bodyid, geom_pos, geom_quat), and for each agent the body
 * each of its joints moves (model.jnt_bodyid). The player draws the robot from this without MuJoCo.
 */
import type { MjModel } from 'mujoco-js';
import type { MujocoModule } from './mujocoModule.js';

/** MuJoCo's geom type names by mjtGeom value (mjGEOM_PLANE = 0 … mjGEOM_SDF = 8). */
export const MJ_GEOM_TYPE_NAMES: readonly string[] = [
  'plane',
  'hfield',
  'sphere',
  'capsule',
  'ellipsoid',
  'cylinder',
  'box',
  'mesh',
  'sdf',
];

/** One geom of the compiled model. */
export interface ModelGeom {
  /** mjtGeom name ("capsule", …; MJ_GEOM_TYPE_NAMES). */
  readonly type: string;
  /** MuJoCo's size triple [m]. */
  readonly size: [number, number, number];
  readonly body: number;
  /** Position in the body's frame [m]. */
  readonly pos: [number, number, number];
  /** Orientation in the body's frame (w, x, y, z). */
  readonly quat: [number, number, number, number];
}

/** The compiled model as a replay header records it. */
export interface ModelGeometry {
  readonly bodies: readonly { readonly name: string; readonly parent: number }[];
  readonly geoms: readonly ModelGeom[];
  /** Per agent, the body of each of its joints, in the agent's joint order. */
  readonly agentBodies: readonly (readonly number[])[];
}

/** Entries `[i·n, (i + 1)·n)` of a flat model array, as a plain tuple. */
function row<T extends number[]>(array: ArrayLike<number>, i: number, n: number): T {
  return Array.from({ length: n }, (_, k) => Number(array[i * n + k])) as T;
}

/**
 * Reads the geometry of `model`; `agentJoints`: each agent's joint names (AgentLayout.agentJoints).
 * Throws an Error naming a joint the model does not have.
 */
export function readModelGeometry(
  module: MujocoModule,
  model: MjModel,
  agentJoints: readonly (readonly string[])[],
): ModelGeometry {
  const bodyObject = module.mjtObj.mjOBJ_BODY.value;
  const jointObject = module.mjtObj.mjOBJ_JOINT.value;
  // Views over the wasm heap: read at once, before anything allocates.
  const parents = model.body_parentid as Int32Array;
  const bodies = Array.from({ length: model.nbody }, (_, b) => ({
    name: module.mj_id2name(model, bodyObject, b) ?? '',
    parent: b === 0 ? -1 : Number(parents[b]),
  }));
  const types = model.geom_type as Int32Array;
  const sizes = model.geom_size as Float64Array;
  const geomBodies = model.geom_bodyid as Int32Array;
  const positions = model.geom_pos as Float64Array;
  const quaternions = model.geom_quat as Float64Array;
  const geoms = Array.from({ length: model.ngeom }, (_, g) => ({
    type: MJ_GEOM_TYPE_NAMES[Number(types[g])] ?? `type ${types[g]}`,
    size: row<[number, number, number]>(sizes, g, 3),
    body: Number(geomBodies[g]),
    pos: row<[number, number, number]>(positions, g, 3),
    quat: row<[number, number, number, number]>(quaternions, g, 4),
  }));
  const agentBodies = agentJoints.map((joints, agent) =>
    joints.map((name) => {
      const joint = module.mj_name2id(model, jointObject, name);
      if (joint < 0) throw new Error(`agent ${agent}: joint "${name}" is not in the model`);
      return Number((model.jnt_bodyid as Int32Array)[joint]);
    }),
  );
  return { bodies, geoms, agentBodies };
}
