/**
 * What one frame of a replay means, as read back (ReplayFrame) and as the writer takes it
 * (ReplayFrameInput). Frame t holds the state after t decisions (t = 0 is the reset state) and,
 * when `decision` is set, the decision taken in that state (priority rank, proposed and executed
 * action, the policy's value estimate) with the reward it earned. The last frame of a finished
 * episode is the terminal state: no decision. Agent j is vehicle j (agents come first).
 */

/**
 * One decision step as read back. Per-vehicle arrays have `vehicleCount` entries, per-agent arrays
 * `agents` entries. The arrays are views into the decoded chunk: copy what you keep and change.
 */
export interface ReplayFrame {
  /** Frame number from 0 (the reset state). */
  readonly index: number;
  /** False on the terminal frame, whose agent fields are NO_ACTION / NO_RANK / 0 / value or NaN. */
  readonly decision: boolean;
  readonly vehicleCount: number;
  /** Vehicle centre [m], world frame of docs/spec/horm.md §0 (x along the road, +y toward the ramp). */
  readonly x: Float32Array;
  readonly y: Float32Array;
  /** Heading [rad] (0 = +x, not wrapped). */
  readonly heading: Float32Array;
  /** Signed speed [m/s]. */
  readonly speed: Float32Array;
  /** Index into header.kinds. */
  readonly kind: Uint8Array;
  /** Index into header.lanes, or NO_LANE. */
  readonly lane: Uint8Array;
  /** 1 when the vehicle is crashed (docs/spec/horm.md §2.6). */
  readonly crashed: Uint8Array;
  /** Action each agent's policy chose (index into header.actions), or NO_ACTION. */
  readonly proposed: Int8Array;
  /** Action executed after the safety supervisor, or NO_ACTION. */
  readonly executed: Int8Array;
  /** Position of each agent in the decision order (0 = leader), or NO_RANK. */
  readonly rank: Uint8Array;
  /** Reward each agent received for this frame's decision (0 without one). */
  readonly reward: Float64Array;
  /** The policy's value estimate of this state per agent, NaN when not given. */
  readonly value: Float32Array;
}

/** What the writer takes for one frame: ReplayFrame with any array-likes (a ReplayFrame fits). */
export interface ReplayFrameInput {
  readonly decision: boolean;
  readonly vehicleCount: number;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly heading: ArrayLike<number>;
  readonly speed: ArrayLike<number>;
  readonly kind: ArrayLike<number>;
  readonly lane: ArrayLike<number>;
  readonly crashed: ArrayLike<number>;
  readonly proposed: ArrayLike<number>;
  readonly executed: ArrayLike<number>;
  readonly rank: ArrayLike<number>;
  readonly reward: ArrayLike<number>;
  readonly value: ArrayLike<number>;
}
