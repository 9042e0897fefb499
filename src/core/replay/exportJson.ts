/**
 * A decoded replay as plain JSON (`steer replay export --json`, and for tools that want no binary
 * reader): names instead of bytes for kinds, lanes and actions; null for "none" and for numbers
 * JSON cannot hold (NaN values, infinite rewards).
 */
import type { ReplayFrame } from './frame.js';
import { NO_ACTION, NO_LANE, NO_RANK } from './layout.js';
import type { ReplayHeader, ReplaySummary } from './schemas.js';
import type { DecodedReplay } from './streamReader.js';

/** One vehicle of a frame. */
export interface ReplayVehicleJson {
  /** Centre [m]. */
  readonly x: number;
  readonly y: number;
  /** Heading [rad]. */
  readonly heading: number;
  /** Speed [m/s]. */
  readonly speed: number;
  /** header.kinds name, e.g. "cav". */
  readonly kind: string;
  /** Lane id "from-to-index", or null. */
  readonly lane: string | null;
  readonly crashed: boolean;
}

/** One agent's decision in a frame (all null on the terminal frame, except maybe value). */
export interface ReplayAgentJson {
  /** Action names (header.actions). */
  readonly proposed: string | null;
  readonly executed: string | null;
  /** Position in the decision order, 0 = leader. */
  readonly rank: number | null;
  readonly reward: number | null;
  readonly value: number | null;
}

/** One frame. */
export interface ReplayFrameJson {
  readonly index: number;
  /** Time since reset [s] (index · header.stepS). */
  readonly timeS: number;
  readonly decision: boolean;
  readonly vehicles: ReplayVehicleJson[];
  /** Agent j is vehicle j. */
  readonly agents: ReplayAgentJson[];
}

/** A whole replay. */
export interface ReplayJson {
  readonly formatVersion: number;
  readonly header: ReplayHeader;
  readonly summary: ReplaySummary;
  readonly frames: ReplayFrameJson[];
}

const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);

/** One frame as JSON. */
export function frameToJson(frame: ReplayFrame, header: ReplayHeader): ReplayFrameJson {
  const vehicles: ReplayVehicleJson[] = [];
  for (let i = 0; i < frame.vehicleCount; i++) {
    const lane = frame.lane[i]!;
    vehicles.push({
      x: frame.x[i]!,
      y: frame.y[i]!,
      heading: frame.heading[i]!,
      speed: frame.speed[i]!,
      kind: header.kinds[frame.kind[i]!] ?? `kind ${frame.kind[i]}`,
      lane: lane === NO_LANE ? null : (header.lanes[lane] ?? `lane ${lane}`),
      crashed: frame.crashed[i] === 1,
    });
  }
  const action = (a: number) => (a === NO_ACTION ? null : (header.actions[a] ?? `action ${a}`));
  const agents: ReplayAgentJson[] = [];
  for (let j = 0; j < header.agents; j++) {
    agents.push({
      proposed: action(frame.proposed[j]!),
      executed: action(frame.executed[j]!),
      rank: frame.rank[j] === NO_RANK ? null : frame.rank[j]!,
      reward: frame.decision ? finiteOrNull(frame.reward[j]!) : null,
      value: finiteOrNull(frame.value[j]!),
    });
  }
  return {
    index: frame.index,
    timeS: frame.index * header.stepS,
    decision: frame.decision,
    vehicles,
    agents,
  };
}

/** A decoded replay as JSON. */
export function replayToJson(replay: DecodedReplay): ReplayJson {
  return {
    formatVersion: replay.formatVersion,
    header: replay.header,
    summary: replay.footer.summary,
    frames: replay.frames.map((frame) => frameToJson(frame, replay.header)),
  };
}
