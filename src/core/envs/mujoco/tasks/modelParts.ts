/**
 * Pieces every task model shares: the `<mujoco>` skeleton (compiler, memory, options, defaults,
 * world, actuators), the floor plane and the motors. Visual-only parts of gym's assets (lights,
 * cameras, textures, materials, colours) are left out: they change nothing the tasks compute.
 *
 * Every model states its arena with `<size memory="…"/>` (mujoco-js pitfall, docs/spec/bridges.md §2.4):
 * without it MuJoCo 3 reserves about 13 MiB per MjData.
 */

import { type MjcfElement, type MjcfValue, mjcf, renderMjcf } from './mjcf.js';

/** Everything that differs between the task models at the top level. */
export interface ModelOutline {
  /** The `model` attribute, e.g. "cheetah". */
  readonly name: string;
  /** Attributes of `<compiler>` besides `coordinate="local"` (which every model uses). */
  readonly compiler: Readonly<Record<string, MjcfValue>>;
  /** Arena size of each MjData, e.g. "256K" (measured by the models tests). */
  readonly memory: string;
  /** Attributes of `<option>`, e.g. { timestep: 0.01, integrator: 'RK4' }. */
  readonly option: Readonly<Record<string, MjcfValue>>;
  /** Children of `<option>` (e.g. a `<flag>`), if any. */
  readonly optionChildren?: readonly MjcfElement[];
  /** Children of `<default>`: one element per kind (joint, geom, motor). */
  readonly defaults: readonly MjcfElement[];
  /** The floor and the robot's root body. */
  readonly worldbody: readonly MjcfElement[];
  /** Motors in action-index order. */
  readonly actuators: readonly MjcfElement[];
}

/** The MJCF text of a model. */
export function renderModel(outline: ModelOutline): string {
  const root = mjcf('mujoco', { model: outline.name }, [
    mjcf('compiler', { ...outline.compiler, coordinate: 'local' }),
    mjcf('size', { memory: outline.memory }),
    mjcf('option', outline.option, outline.optionChildren ?? []),
    mjcf('default', {}, outline.defaults),
    mjcf('worldbody', {}, outline.worldbody),
    mjcf('actuator', {}, outline.actuators),
  ]);
  return renderMjcf(root);
}

/** A floor plane at height `z` (conaffinity 1, condim 3 in every gym model). */
export function floorPlane(
  size: readonly number[],
  z = 0,
  extra: Record<string, MjcfValue> = {},
): MjcfElement {
  return mjcf('geom', {
    name: 'floor',
    type: 'plane',
    pos: [0, 0, z],
    size,
    conaffinity: 1,
    condim: 3,
    ...extra,
  });
}

/** A motor on `joint` with control range [−1, 1] (every task here; docs/spec/bridges.md §1.10). */
export function motor(joint: string, gear: number, name?: string): MjcfElement {
  return mjcf('motor', { name, joint, gear, ctrllimited: true, ctrlrange: [-1, 1] });
}

/** The unlimited slide/hinge root joints of the planar robots (armature, damping, stiffness 0). */
export function planarRootJoint(
  name: string,
  type: 'slide' | 'hinge',
  axis: readonly number[],
  ref?: number,
): MjcfElement {
  return mjcf('joint', {
    name,
    type,
    axis,
    pos: [0, 0, 0],
    ref,
    limited: false,
    armature: 0,
    damping: 0,
    stiffness: 0,
  });
}
