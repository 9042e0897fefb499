/**
 * What the player's panels and legend say about a MuJoCo replay (format version 2): the episode
 * (env, task, seed, model, steps, return), the agents in decision order, leader first, each with
 * its colour, joints and the action values it sent at the current frame, and the legend. Pure:
 * replay data in, strings out, no DOM; playerPanels.ts writes them into the page.
 */
import type { MujocoReplayFooter, MujocoReplayFrame, MujocoReplayHeader } from '../../core/replay/index.js';
import { ROBOT_FRAME_COLOUR_HEX, rankColourHex } from '../scene/palette.js';
import type { FieldRow } from '../ui/dom.js';
import { formatNumber } from '../ui/format.js';
import type { LegendEntry } from './panelText.js';

/** What the panels read of the MuJoCo replay being played (MujocoReplayPlayer is one). */
export interface MujocoPanelSource {
  readonly header: MujocoReplayHeader;
  readonly footer: MujocoReplayFooter;
  /** First action value of each agent in a frame's actions. */
  readonly actionOffsets: readonly number[];
  /** Recorded frame `index`. */
  frame(index: number): MujocoReplayFrame;
  /** Sum of the shared reward over the steps before frame `index` (NaN until known). */
  returnBefore(index: number): number;
}

/** The title of the agents panel (the HORM player's "Selected vehicle" panel). */
export const MUJOCO_AGENTS_TITLE = 'Agents, leader first';
/** The legend's last line. */
export const MUJOCO_LEGEND_ORDER_TEXT = 'top to bottom: leader → followers (decision order)';

/**
 * "agent 1 (bshin)", "agent 0 (bfoot, drives bthigh)": its partition's joints, and the joints its
 * actions drive when those differ (the reference's actuator mapping, docs/spec/bridges.md §1.9).
 */
export function agentName(header: MujocoReplayHeader, agent: number): string {
  const { joints, drives } = header.agents[agent]!;
  const same = joints.length === drives.length && joints.every((joint, k) => joint === drives[k]);
  return `agent ${agent} (${joints.join(', ')}${same ? '' : `, drives ${drives.join(', ')}`})`;
}

/** The episode panel's rows that do not change with time. */
export function mujocoEpisodeRows(source: MujocoPanelSource): FieldRow[] {
  const { header: h, footer } = source;
  const s = footer.summary;
  const m = h.model;
  const model =
    [
      m.name,
      ...(m.deterministic === undefined ? [] : [m.deterministic ? 'greedy' : 'sampled']),
      ...(m.update === undefined ? [] : [`update ${m.update}`]),
    ].join(', ') + (m.run === undefined ? '' : ` (${m.run})`);
  const depth = h.task.agentObsk === null ? 'full observation' : `k = ${h.task.agentObsk}`;
  const distance = s.distanceM === null ? '' : ` · ${formatNumber(s.distanceM, 2)} m along x`;
  return [
    ['env', h.env],
    ['task', `${h.task.scenario} · partition ${h.task.agentConf} · ${depth}`],
    ['seed', String(h.seed)],
    ['model', model],
    ['steps', `${s.steps} of at most ${h.episodeLimit} · ${formatNumber(s.steps * h.dtS, 1)} s`],
    ['robot', `${h.bodies.length} bodies · ${h.geoms.length} geoms · ${h.agents.length} agents`],
    ['return', `${s.return === null ? '—' : formatNumber(s.return, 1)} (shared)${distance}`],
  ];
}

/** The episode panel's rows for recorded frame `frame`: time, the step's reward, the return so far. */
export function mujocoNowRows(source: MujocoPanelSource, frame: MujocoReplayFrame): FieldRow[] {
  const index = frame.index;
  return [
    ['time', `${formatNumber(index * source.header.dtS, 2)} s (step ${index})`],
    ['reward now', frame.decision ? formatNumber(frame.reward, 3) : '— (terminal state)'],
    ['return so far', formatNumber(source.returnBefore(index), 1)],
  ];
}

/**
 * The agents panel at frame `index`: one row per agent in decision order ("1. agent 0 (bfoot)"),
 * with the action values it sent in that frame (the terminal frame: the step before's).
 */
export function mujocoAgentRows(source: MujocoPanelSource, index: number): FieldRow[] {
  const { header } = source;
  const frame = source.frame(index);
  const shown = frame.decision || index === 0 ? frame : source.frame(index - 1);
  return header.priority.map((agent, rank) => {
    const at = source.actionOffsets[agent]!;
    const values = shown.decision
      ? Array.from(shown.actions.subarray(at, at + header.agents[agent]!.actionDim), (v) =>
          formatNumber(v, 2),
        )
      : [];
    const label = `${rank + 1}. ${agentName(header, agent)}`;
    return [label, values.length === 0 ? '—' : values.join(' · ')] as FieldRow;
  });
}

/** The legend: each agent's colour in decision order, then the bodies no agent moves. */
export function mujocoLegendEntries(header: MujocoReplayHeader): LegendEntry[] {
  const entries = header.priority.map((agent, rank) => ({
    colour: rankColourHex(rank),
    text: `${rank === 0 ? 'leader' : `follower ${rank}`}: ${agentName(header, agent)}`,
  }));
  const moved = new Set(header.agents.flatMap((agent) => agent.bodies));
  const drawn = new Set(header.geoms.filter((geom) => geom.type !== 'plane').map((geom) => geom.body));
  const others = header.bodies
    .map((body, b) => (b > 0 && !moved.has(b) && drawn.has(b) ? body.name || `body ${b}` : null))
    .filter((name) => name !== null);
  if (others.length > 0)
    entries.push({ colour: ROBOT_FRAME_COLOUR_HEX, text: `no agent: ${others.join(', ')}` });
  return entries;
}
