/**
 * What a replay records of a compiled MuJoCo model (docs/replays.md "MuJoCo replays"), read once
 * per episode as plain copies: each body's name and parent, each geom's shape, size and pose in its
 * body (model.geom_type, geom_size, geom_bodyid, geom_pos, geom_quat), and for each agent the
 * joints its action entries drive and the bodies they move (its actuators' joints,
 * model.actuator_trnid, and their bodies, model.jnt_bodyid): with the reference's actuator mapping
 * an agent may drive other joints than the ones it observes (docs/spec/bridges.md §1.9). The player
 * draws the robot from this without MuJoCo.
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
  /** Per agent, the joints its action entries drive, in action order, and the body each moves. */
  readonly agentDrives: readonly { readonly joints: string[]; readonly bodies: number[] }[];
}

/** Entries `[i·n, (i + 1)·n)` of a flat model array, as a plain tuple. */
function row<T extends number[]>(array: ArrayLike<number>, i: number, n: number): T {
  return Array.from({ length: n }, (_, k) => Number(array[i * n + k])) as T;
}

/**
 * Reads the geometry of `model`; `agentActuators`: per agent, the actuators its action entries go
 * to (AgentLayout.actuators). Throws an Error naming an actuator that does not drive a joint.
 */
export function readModelGeometry(
  module: MujocoModule,
  model: MjModel,
  agentActuators: readonly (readonly number[])[],
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
  const transmissions = Array.from(model.actuator_trnid as Int32Array);
  const jointBodies = Array.from(model.jnt_bodyid as Int32Array);
  const agentDrives = agentActuators.map((actuators, agent) => {
    const joints = actuators.map((actuator) => {
      const joint = transmissions[2 * actuator];
      if (joint === undefined || joint < 0 || joint >= model.njnt) {
        throw new Error(`agent ${agent}: actuator ${actuator} drives no joint of the model`);
      }
      return joint;
    });
    return {
      joints: joints.map((joint) => module.mj_id2name(model, jointObject, joint) ?? `joint ${joint}`),
      bodies: joints.map((joint) => jointBodies[joint]!),
    };
  });
  return { bodies, geoms, agentDrives };
}
