/**
 * The episode summary a replay's footer carries (schemas.ts ReplaySummarySchema), accumulated frame
 * by frame. One builder serves the writer (frames as written) and the stream reader (frames as
 * read back), so a footer made for frames read back is the very footer their writer wrote: the
 * stored values are the written ones (rewards float64, actions and flags validated integers).
 */
import type { ReplayFrameInput } from './frame.js';
import type { ReplaySummary } from './schemas.js';

/** Summary of the frames added so far, in file order. */
export class ReplaySummaryBuilder {
  private readonly returns: Float64Array;
  private readonly crashedAgents: Uint8Array;
  private crashFrame: number | null = null;
  private frames = 0;
  private steps = 0;
  private supervisorChanges = 0;
  private maxVehicles = 0;

  constructor(private readonly agents: number) {
    this.returns = new Float64Array(agents);
    this.crashedAgents = new Uint8Array(agents);
  }

  /** Adds the next frame (frame number = frames added before it). */
  add(frame: ReplayFrameInput): void {
    const decided = frame.decision;
    for (let j = 0; j < this.agents; j++) {
      if (decided) {
        this.returns[j] = this.returns[j]! + frame.reward[j]!;
        if (frame.proposed[j] !== frame.executed[j]) this.supervisorChanges++;
      }
      if (frame.crashed[j] === 1) {
        this.crashedAgents[j] = 1;
        this.crashFrame ??= this.frames;
      }
    }
    if (decided) this.steps++;
    this.maxVehicles = Math.max(this.maxVehicles, frame.vehicleCount);
    this.frames++;
  }

  /** The summary of the frames added so far (a new object). */
  summary(): ReplaySummary {
    const crashedAgents: number[] = [];
    this.crashedAgents.forEach((crashed, j) => {
      if (crashed === 1) crashedAgents.push(j);
    });
    return {
      steps: this.steps,
      returns: Array.from(this.returns, (r) => (Number.isFinite(r) ? r : null)),
      crashedAgents,
      crashFrame: this.crashFrame,
      supervisorChanges: this.supervisorChanges,
      maxVehicles: this.maxVehicles,
    };
  }
}
