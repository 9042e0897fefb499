/**
 * What one frame of a MuJoCo replay means (format version 2), as read back (MujocoReplayFrame) and
 * as the writer takes it (MujocoReplayFrameInput). As in a HORM replay, frame t holds the state
 * after t decisions (t = 0 is the reset state) and, when `decision` is set, the joint action taken
 * in that state with the shared reward it earned; the last frame of a finished episode is the
 * terminal state, with no decision.
 */

/** One frame as read back. The arrays are views into the decoded chunk: copy what you keep. */
export interface MujocoReplayFrame {
  /** Frame number from 0 (the reset state). */
  readonly index: number;
  /** False on the terminal frame, whose actions are NaN and reward 0. */
  readonly decision: boolean;
  readonly bodyCount: number;
  /** Body origins in the world frame [m] (MuJoCo's data.xpos), x, y, z per body. */
  readonly position: Float32Array;
  /** Body orientations in the world frame (data.xquat), w, x, y, z per body. */
  readonly quaternion: Float32Array;
  /** The joint action: agent after agent, header.agents[j].actionDim values each (as sent to the env). */
  readonly actions: Float32Array;
  /** The reward all agents received for this frame's decision (0 without one). */
  readonly reward: number;
}

/** What the writer takes for one frame (a MujocoReplayFrame fits). */
export interface MujocoReplayFrameInput {
  readonly decision: boolean;
  readonly position: ArrayLike<number>;
  readonly quaternion: ArrayLike<number>;
  readonly actions: ArrayLike<number>;
  readonly reward: number;
}
