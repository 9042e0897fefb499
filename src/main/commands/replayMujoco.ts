/**
 * `steer replay info` of a MuJoCo replay (format version 2, docs/replays.md "MuJoCo replays"): the
 * env and task, the model, the steps, the robot (bodies, geoms), the agents in decision order with
 * their joints, and the shared return.
 */
import type { MujocoReplayHeader, MujocoReplaySummary } from '../../core/replay/index.js';
import { formatFields, formatNumber } from '../cli/format.js';
import type { MujocoReplayFileContents } from '../io/replayFile.js';

/** What `steer replay info --json` prints for a MuJoCo replay (one line). */
export interface MujocoReplayInfoReport {
  file: string;
  kind: 'mujoco';
  fileBytes: number;
  formatVersion: number;
  header: MujocoReplayHeader;
  summary: MujocoReplaySummary;
  frames: number;
  durationS: number;
}

/** The `replay info` report of a MuJoCo replay. */
export function mujocoReplayInfoReport(
  file: string,
  replay: MujocoReplayFileContents,
): MujocoReplayInfoReport {
  const { header, footer } = replay;
  return {
    file,
    kind: 'mujoco',
    fileBytes: replay.fileBytes,
    formatVersion: replay.formatVersion,
    header,
    summary: footer.summary,
    frames: footer.frames,
    durationS: footer.summary.steps * header.dtS,
  };
}

/** "steer, run runs/x, update 3, greedy". */
function modelText(m: MujocoReplayHeader['model']): string {
  return [
    m.name,
    ...(m.run === undefined ? [] : [`run ${m.run}`]),
    ...(m.checkpoint === undefined ? [] : [`checkpoint ${m.checkpoint}`]),
    ...(m.update === undefined ? [] : [`update ${m.update}`]),
    ...(m.deterministic === undefined ? [] : [m.deterministic ? 'greedy' : 'sampled']),
    ...(m.seed === undefined ? [] : [`seed ${m.seed}`]),
  ].join(', ');
}

/** "0 (bfoot, drives bthigh)": an agent's partition joints, and what it drives when that differs. */
function agentText(h: MujocoReplayHeader, agent: number): string {
  const { joints, drives } = h.agents[agent]!;
  const same = joints.length === drives.length && joints.every((joint, k) => joint === drives[k]);
  return `${agent} (${joints.join(', ')}${same ? '' : `, drives ${drives.join(', ')}`})`;
}

/** The `replay info` table of a MuJoCo replay; `size`: the file's size as the HORM table says it. */
export function mujocoReplayInfoText(report: MujocoReplayInfoReport, size: string): string {
  const { header: h, summary: s } = report;
  const depth = h.task.agentObsk === null ? 'full observation' : `k ${h.task.agentObsk}`;
  const agents = h.priority.map((agent) => agentText(h, agent)).join(' → ');
  const distance =
    s.distanceM === null
      ? ''
      : `; ${h.bodies[1]?.name || 'body 1'} moved ${formatNumber(s.distanceM)} m along x`;
  return formatFields([
    ['file', `${report.file}: ${size} on disk, format version ${report.formatVersion}`],
    ['env', `${h.env} (${h.task.scenario}, partition ${h.task.agentConf}, ${depth}), seed ${h.seed}`],
    ['model', modelText(h.model)],
    ['created', `${h.createdAt}${h.generator === undefined ? '' : ` by ${h.generator}`}`],
    [
      'steps',
      `${s.steps} steps, ${report.frames} frames, ${formatNumber(report.durationS)} s (${formatNumber(h.dtS)} s per step, at most ${h.episodeLimit})`,
    ],
    ['robot', `${h.bodies.length} bodies, ${h.geoms.length} geoms`],
    ['agents', `${h.agents.length}, leader first: ${agents}`],
    ['return', `${formatNumber(s.return)} (shared by every agent)${distance}`],
  ]);
}
