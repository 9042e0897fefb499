/**
 * Hopper and Walker2d in gym are written with `coordinate="global"`: every body, joint and geom
 * position is in the world frame of the initial pose. MuJoCo 3 rejects that (docs/spec/bridges.md §2.4),
 * so our tables keep gym's global numbers and this module writes them in local coordinates: a body's
 * position relative to its parent body, a joint's and a geom's relative to their own body. No body
 * of these models is rotated, so translation is the whole conversion. The models tests check that
 * the compiled initial pose puts bodies, joint anchors and geoms at gym's global positions.
 */

import { type MjcfElement, type MjcfValue, mjcf, sub3 } from './mjcf.js';

/** A point [m]. */
export type Point = readonly [number, number, number];

/** A joint at a world position; a joint without a range is an unlimited root joint. */
export interface GlobalJoint {
  readonly name: string;
  readonly type: 'slide' | 'hinge';
  readonly pos: Point;
  readonly axis: Point;
  /** Limits [deg]; absent for the root joints (which also have no armature, damping, stiffness). */
  readonly range?: readonly [number, number];
  /** Reference position (the joint's qpos in the model pose), e.g. rootz's 1.25 m. */
  readonly ref?: number;
}

/** A capsule between two world points. */
export interface GlobalCapsule {
  readonly name: string;
  readonly from: Point;
  readonly to: Point;
  readonly radius: number;
  /** Sliding friction; the torsional and rolling coefficients come from the defaults (as gym). */
  readonly friction: number;
}

/** A body whose frame origin is at a world position (gym's global body `pos`). */
export interface GlobalBody {
  readonly name: string;
  readonly pos: Point;
  readonly joints: readonly GlobalJoint[];
  readonly geoms: readonly GlobalCapsule[];
  readonly children: readonly GlobalBody[];
}

function localJoint(joint: GlobalJoint, bodyPos: Point): MjcfElement {
  const root: Record<string, MjcfValue> =
    joint.range === undefined ? { limited: false, armature: 0, damping: 0, stiffness: 0 } : {};
  return mjcf('joint', {
    name: joint.name,
    type: joint.type,
    pos: sub3(joint.pos, bodyPos),
    axis: joint.axis,
    range: joint.range,
    ref: joint.ref,
    ...root,
  });
}

function localCapsule(geom: GlobalCapsule, bodyPos: Point): MjcfElement {
  return mjcf('geom', {
    name: geom.name,
    type: 'capsule',
    fromto: [...sub3(geom.from, bodyPos), ...sub3(geom.to, bodyPos)],
    size: [geom.radius],
    friction: [geom.friction],
  });
}

/** The body in local coordinates; `parentPos` is its parent's world position (the world's is 0). */
export function localBody(body: GlobalBody, parentPos: Point = [0, 0, 0]): MjcfElement {
  return mjcf('body', { name: body.name, pos: sub3(body.pos, parentPos) }, [
    ...body.joints.map((joint) => localJoint(joint, body.pos)),
    ...body.geoms.map((geom) => localCapsule(geom, body.pos)),
    ...body.children.map((child) => localBody(child, body.pos)),
  ]);
}

/** A planar leg of gym's Hopper/Walker2d: thigh, leg and foot bodies in world coordinates. */
export interface PlanarLeg {
  /** Name suffix, "" for the right leg and "_left" for Walker2d's left one. */
  readonly suffix: string;
  /** World position of the foot body's origin (x) and the foot capsule's ends (x) [m]. */
  readonly footX: number;
  readonly footFromX: number;
  readonly footToX: number;
  readonly footRadius: number;
  readonly footFriction: number;
}

const Y_AXIS_BACKWARD: Point = [0, -1, 0];

/**
 * One leg as both gym files write it: the thigh from 1.05 m down to 0.6 m (hinge at the hip, −150°
 * to 0°), the leg from 0.6 m down to 0.1 m (hinge at the knee, −150° to 0°), the foot at 0.1 m
 * (hinge at the ankle, ±45°). Hinges turn about −y. The leg body's frame origin sits at 0.35 m,
 * below its joint, exactly as in gym.
 */
export function planarLeg(leg: PlanarLeg): GlobalBody {
  const s = leg.suffix;
  const foot: GlobalBody = {
    name: `foot${s}`,
    pos: [leg.footX, 0, 0],
    joints: [
      { name: `foot${s}_joint`, type: 'hinge', pos: [0, 0, 0.1], axis: Y_AXIS_BACKWARD, range: [-45, 45] },
    ],
    geoms: [
      {
        name: `foot${s}_geom`,
        from: [leg.footFromX, 0, 0.1],
        to: [leg.footToX, 0, 0.1],
        radius: leg.footRadius,
        friction: leg.footFriction,
      },
    ],
    children: [],
  };
  const shin: GlobalBody = {
    name: `leg${s}`,
    pos: [0, 0, 0.35],
    joints: [
      { name: `leg${s}_joint`, type: 'hinge', pos: [0, 0, 0.6], axis: Y_AXIS_BACKWARD, range: [-150, 0] },
    ],
    geoms: [{ name: `leg${s}_geom`, from: [0, 0, 0.6], to: [0, 0, 0.1], radius: 0.04, friction: 0.9 }],
    children: [foot],
  };
  return {
    name: `thigh${s}`,
    pos: [0, 0, 1.05],
    joints: [
      { name: `thigh${s}_joint`, type: 'hinge', pos: [0, 0, 1.05], axis: Y_AXIS_BACKWARD, range: [-150, 0] },
    ],
    geoms: [{ name: `thigh${s}_geom`, from: [0, 0, 1.05], to: [0, 0, 0.6], radius: 0.05, friction: 0.9 }],
    children: [shin],
  };
}

/** The torso at 1.25 m with its three root joints (rootz's reference 1.25 makes qpos[1] the height). */
export function planarTorso(legs: readonly GlobalBody[]): GlobalBody {
  return {
    name: 'torso',
    pos: [0, 0, 1.25],
    joints: [
      { name: 'rootx', type: 'slide', pos: [0, 0, 0], axis: [1, 0, 0] },
      { name: 'rootz', type: 'slide', pos: [0, 0, 0], axis: [0, 0, 1], ref: 1.25 },
      { name: 'rooty', type: 'hinge', pos: [0, 0, 1.25], axis: [0, 1, 0] },
    ],
    geoms: [{ name: 'torso_geom', from: [0, 0, 1.45], to: [0, 0, 1.05], radius: 0.05, friction: 0.9 }],
    children: legs,
  };
}
