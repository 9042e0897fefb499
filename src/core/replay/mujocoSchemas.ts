/**
 * The JSON parts of a MuJoCo replay (format version 2, docs/replays.md "MuJoCo replays"): the
 * header, with everything a player needs to draw the robot without MuJoCo (each geom's shape and
 * pose in its body, each agent's joints and the bodies they move, the decision order), and the
 * footer's episode summary. Strict like the HORM schemas, and checked across fields: a geom's body,
 * an agent's bodies and the priority order must name bodies and agents that exist.
 */
import { z } from 'zod';
import { MAX_AGENTS, MAX_CHUNK_FRAMES } from './layout.js';
import { ReplayModelSchema } from './schemas.js';

const label = (max: number) => z.string().min(1).max(max);
/** Most bodies a MuJoCo replay holds (a u16 in the block header). */
export const MAX_BODIES = 0xffff;
/** Most geoms a MuJoCo replay header lists. */
export const MAX_GEOMS = 10_000;
/** Most action values per agent. */
export const MAX_ACTION_DIM = 64;

/** Geom shapes the player draws (MuJoCo's mjtGeom names; height fields and meshes are not recorded). */
export const MUJOCO_GEOM_TYPES = ['plane', 'sphere', 'capsule', 'ellipsoid', 'cylinder', 'box'] as const;
/** A geom shape. */
export type MujocoGeomType = (typeof MUJOCO_GEOM_TYPES)[number];

const vector3 = z.tuple([z.number(), z.number(), z.number()]);
/** A unit quaternion (w, x, y, z), MuJoCo's order. */
const quaternion = z
  .tuple([z.number(), z.number(), z.number(), z.number()])
  .refine((q) => Math.abs(Math.hypot(...q) - 1) < 1e-3, 'expected a unit quaternion (w, x, y, z)');

/** One body of the model (MuJoCo's body order: 0 is the world). */
export const MujocoBodySchema = z.strictObject({
  /** The body's name in the model ("" when it has none). */
  name: z.string().max(200),
  /** Parent body id (−1 for the world body). */
  parent: z.int().min(-1),
});

/** One geom, as the compiled model holds it (model.geom_type, geom_size, geom_bodyid, geom_pos, geom_quat). */
export const MujocoGeomSchema = z.strictObject({
  type: z.enum(MUJOCO_GEOM_TYPES),
  /**
   * MuJoCo's size [m]: sphere (r, –, –), capsule and cylinder (r, half length along z, –), box (half
   * sizes), ellipsoid (radii), plane (half sizes x, y; 0 = infinite, grid spacing).
   */
  size: vector3,
  /** Body the geom is fixed to. */
  body: z.int().nonnegative(),
  /** Position in its body's frame [m]. */
  pos: vector3,
  /** Orientation in its body's frame. */
  quat: quaternion,
});

/**
 * One agent: its joints in the partition (what it observes as its own, docs/envs/mujoco.md
 * "Partitions"), the joints its action entries drive and the bodies those move. With the
 * reference's actuator mapping the two lists can differ (docs/spec/bridges.md §1.9).
 */
export const MujocoAgentSchema = z.strictObject({
  /** The partition's joint names of the agent. */
  joints: z.array(label(200)).min(1).max(MAX_ACTION_DIM),
  /** The joints its action entries drive, in action order (its actuators' joints). */
  drives: z.array(label(200)).min(1).max(MAX_ACTION_DIM),
  /** Body of each driven joint (model.jnt_bodyid), in the same order: these take the agent's colour. */
  bodies: z.array(z.int().nonnegative()).min(1).max(MAX_ACTION_DIM),
  /** Action values the agent sends per step (one per driven joint). */
  actionDim: z.int().min(1).max(MAX_ACTION_DIM),
});

/** The MuJoCo header: everything fixed for the episode, written before the first frame. */
export const MujocoReplayHeaderSchema = z
  .strictObject({
    /** Always "mujoco": tells a reader of the header alone which kind of replay it is. */
    kind: z.literal('mujoco'),
    /** Env registry name, e.g. "mujoco:HalfCheetah-6x1". */
    env: label(200),
    /** The task and partition (docs/envs/mujoco.md). */
    task: z.strictObject({
      /** gym's task, e.g. "HalfCheetah-v2". */
      scenario: label(200),
      /** Partition label, e.g. "6x1". */
      agentConf: label(40),
      /** Observation depth k, or null for full observability. */
      agentObsk: z.int().nonnegative().nullable(),
    }),
    /** Seed of the episode (`env.reset(seed)`). */
    seed: z.int(),
    /** What chose the actions. */
    model: ReplayModelSchema,
    /** Duration of one env step [s] (timestep × frame skip). */
    dtS: z.number().positive().max(3600),
    /** Steps after which the episode ends at the latest. */
    episodeLimit: z.int().positive(),
    bodies: z.array(MujocoBodySchema).min(1).max(MAX_BODIES),
    geoms: z.array(MujocoGeomSchema).max(MAX_GEOMS),
    /** The agents in env order (agent j's actions are the j-th block of a frame's actions). */
    agents: z.array(MujocoAgentSchema).min(1).max(MAX_AGENTS),
    /** Agents in decision order, leader first (each agent once). */
    priority: z.array(z.int().nonnegative()).min(1).max(MAX_AGENTS),
    /** When the recording was made (ISO 8601), supplied by the caller: the core reads no clock. */
    createdAt: z.iso.datetime({ offset: true }),
    /** Program that wrote the file, e.g. "steer-studio 0.1.0". */
    generator: z.string().max(200).optional(),
  })
  .superRefine((header, ctx) => {
    const bodies = header.bodies.length;
    const agents = header.agents.length;
    header.bodies.forEach((body, i) => {
      if (body.parent >= i || (i > 0 && body.parent < 0) || (i === 0 && body.parent !== -1)) {
        const expected = i === 0 ? '-1 (the world)' : `a body id in 0..${i - 1}`;
        ctx.addIssue({
          code: 'custom',
          path: ['bodies', i, 'parent'],
          message: `expected ${expected}, received ${body.parent}`,
        });
      }
    });
    header.geoms.forEach((geom, i) => {
      if (geom.body >= bodies) {
        ctx.addIssue({
          code: 'custom',
          path: ['geoms', i, 'body'],
          message: `expected a body id in 0..${bodies - 1}, received ${geom.body}`,
        });
      }
    });
    header.agents.forEach((agent, j) => {
      if (agent.drives.length !== agent.actionDim) {
        ctx.addIssue({
          code: 'custom',
          path: ['agents', j, 'drives'],
          message: `expected one driven joint per action value (${agent.actionDim}), received ${agent.drives.length}`,
        });
      }
      if (agent.bodies.length !== agent.drives.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['agents', j, 'bodies'],
          message: `expected one body per driven joint (${agent.drives.length}), received ${agent.bodies.length}`,
        });
      }
      agent.bodies.forEach((body, k) => {
        if (body >= bodies) {
          ctx.addIssue({
            code: 'custom',
            path: ['agents', j, 'bodies', k],
            message: `expected a body id in 0..${bodies - 1}, received ${body}`,
          });
        }
      });
    });
    const sorted = [...header.priority].sort((a, b) => a - b);
    if (sorted.length !== agents || sorted.some((agent, p) => agent !== p)) {
      ctx.addIssue({
        code: 'custom',
        path: ['priority'],
        message: `expected each agent 0..${agents - 1} once, received [${header.priority.join(', ')}]`,
      });
    }
  });

/** A MuJoCo replay header. */
export type MujocoReplayHeader = z.output<typeof MujocoReplayHeaderSchema>;

/** Episode totals of a MuJoCo replay, computed by the writer from the frames. */
export const MujocoReplaySummarySchema = z.strictObject({
  /** Decision frames (env steps taken). */
  steps: z.int().nonnegative(),
  /** Sum of the shared reward over the steps (null if not finite). */
  return: z.number().nullable(),
  /**
   * How far body 1 (the model's first body after the world: the torso) moved along x from frame 0
   * to the last frame [m] (null without such a body or when not finite).
   */
  distanceM: z.number().nullable(),
});

/** Episode totals of a MuJoCo replay. */
export type MujocoReplaySummary = z.output<typeof MujocoReplaySummarySchema>;

/** The footer of a MuJoCo replay: chunk index and summary, written after the last frame. */
export const MujocoReplayFooterSchema = z.strictObject({
  frames: z.int().nonnegative(),
  chunks: z.array(
    z.tuple([z.int().nonnegative(), z.int().nonnegative(), z.int().min(1).max(MAX_CHUNK_FRAMES)]),
  ),
  summary: MujocoReplaySummarySchema,
});

/** A MuJoCo replay footer. */
export type MujocoReplayFooter = z.output<typeof MujocoReplayFooterSchema>;

/** Action values per frame: the agents' action dimensions added up. */
export function totalActionDim(header: MujocoReplayHeader): number {
  return header.agents.reduce((n, agent) => n + agent.actionDim, 0);
}

/** First action value of each agent within a frame's actions. */
export function actionOffsets(header: MujocoReplayHeader): number[] {
  const offsets: number[] = [];
  let at = 0;
  for (const agent of header.agents) {
    offsets.push(at);
    at += agent.actionDim;
  }
  return offsets;
}
