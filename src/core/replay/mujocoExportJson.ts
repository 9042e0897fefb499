/**
 * A decoded MuJoCo replay as plain JSON (`steer replay export`): per frame each body's pose by name
 * and each agent's action values with the joints they drive; null for "none" (the terminal frame's
 * actions and reward).
 */
import type { MujocoReplayFrame } from './mujocoFrame.js';
import type { DecodedMujocoReplay } from './mujocoReader.js';
import { actionOffsets, type MujocoReplayHeader, type MujocoReplaySummary } from './mujocoSchemas.js';

/** One body's pose in a frame. */
export interface MujocoBodyJson {
  readonly name: string;
  /** Origin in the world frame [m]. */
  readonly position: [number, number, number];
  /** Orientation (w, x, y, z). */
  readonly quaternion: [number, number, number, number];
}

/** One frame. */
export interface MujocoFrameJson {
  readonly index: number;
  /** Time since reset [s] (index · header.dtS). */
  readonly timeS: number;
  readonly decision: boolean;
  /** The shared reward of the frame's decision, null without one. */
  readonly reward: number | null;
  readonly bodies: MujocoBodyJson[];
  /** Per agent (env order), its action values, null without a decision. */
  readonly actions: (number[] | null)[];
}

/** A whole MuJoCo replay. */
export interface MujocoReplayJson {
  readonly formatVersion: number;
  readonly header: MujocoReplayHeader;
  readonly summary: MujocoReplaySummary;
  readonly frames: MujocoFrameJson[];
}

/** One frame as JSON. */
export function mujocoFrameToJson(frame: MujocoReplayFrame, header: MujocoReplayHeader): MujocoFrameJson {
  const p = frame.position;
  const q = frame.quaternion;
  const bodies = header.bodies.map((body, b) => ({
    name: body.name,
    position: [p[3 * b]!, p[3 * b + 1]!, p[3 * b + 2]!] as [number, number, number],
    quaternion: [q[4 * b]!, q[4 * b + 1]!, q[4 * b + 2]!, q[4 * b + 3]!] as [number, number, number, number],
  }));
  const offsets = actionOffsets(header);
  const actions = header.agents.map((agent, j) =>
    frame.decision ? Array.from(frame.actions.subarray(offsets[j]!, offsets[j]! + agent.actionDim)) : null,
  );
  return {
    index: frame.index,
    timeS: frame.index * header.dtS,
    decision: frame.decision,
    reward: frame.decision && Number.isFinite(frame.reward) ? frame.reward : null,
    bodies,
    actions,
  };
}

/** A decoded MuJoCo replay as JSON. */
export function mujocoReplayToJson(replay: DecodedMujocoReplay): MujocoReplayJson {
  return {
    formatVersion: replay.formatVersion,
    header: replay.header,
    summary: replay.footer.summary,
    frames: replay.frames.map((frame) => mujocoFrameToJson(frame, replay.header)),
  };
}
