/**
 * What the player's panels and readouts say about a recorded frame: the episode panel, the vehicle
 * list, the selected vehicle (for a CAV: its rank, whom it follows, the action proposed and the one
 * executed), the legend and the step counter. Pure: replay data in, strings and plain objects out,
 * no DOM; playerPanels.ts and transport.ts write them into the page.
 */
import type { ReplayFooter, ReplayFrame, ReplayHeader } from '../../core/replay/index.js';
import {
  CRASHED_COLOUR_HEX,
  HDV_COLOUR_HEX,
  OBSTACLE_COLOUR_HEX,
  rankColourHex,
  vehicleColourHex,
} from '../scene/palette.js';
import type { FieldRow } from '../ui/dom.js';
import { formatAction, formatLane, formatNumber, formatSpeed } from '../ui/format.js';

/** What the panels read of the replay being played (ReplayPlayer is one). */
export interface PanelSource {
  readonly header: ReplayHeader;
  readonly footer: ReplayFooter;
  /** Recorded frame `index`. */
  frame(index: number): ReplayFrame;
  /** Priority rank of agent `agent` at frame `index` (the terminal frame shows the one before). */
  rankAt(index: number, agent: number): number;
  /** Sum of the agent's rewards over the decisions before frame `index` (NaN until known). */
  returnBefore(index: number, agent: number): number;
}

/** One entry of the vehicle list. */
export interface VehicleEntry {
  /** Swatch colour: the rank's for a CAV, grey for an HDV, red when crashed. */
  readonly colour: string;
  /** "#3 CAV · agent 3 · rank 1" or "#5 HDV". */
  readonly label: string;
  readonly crashed: boolean;
  /** "24.3 m/s", or "crashed". */
  readonly speed: string;
}

/** The selected-vehicle panel: its title and rows. */
export interface SelectedVehiclePanel {
  readonly title: string;
  readonly rows: readonly FieldRow[];
}

/** One line of the legend: a swatch colour and what it means. */
export interface LegendEntry {
  readonly colour: string;
  readonly text: string;
}

/** The legend's last line, under the colour swatches. */
export const LEGEND_LINKS_TEXT = '→ arrows: leader → next follower';

/** Whether vehicle `i` of `frame` is a CAV (an agent's vehicle), not an HDV. */
function isCav(header: ReplayHeader, frame: ReplayFrame, i: number): boolean {
  return i < header.agents && frame.kind[i] !== header.kinds.indexOf('hdv');
}

/**
 * The episode panel's rows that do not change with time: scenario, seed, model, steps and
 * vehicles, agents, supervisor, outcome, returns per agent.
 */
export function episodeSummaryRows(source: PanelSource): FieldRow[] {
  const { header: h, footer } = source;
  const s = footer.summary;
  const first = source.frame(0);
  const hdvKind = h.kinds.indexOf('hdv');
  let hdvs = 0;
  for (let i = 0; i < first.vehicleCount; i++) if (first.kind[i] === hdvKind) hdvs++;
  const model =
    [
      h.model.name,
      ...(h.model.deterministic === undefined ? [] : [h.model.deterministic ? 'greedy' : 'sampled']),
      ...(h.model.seed === undefined ? [] : [`seed ${h.model.seed}`]),
      ...(h.model.update === undefined ? [] : [`update ${h.model.update}`]),
    ].join(', ') + (h.model.run === undefined ? '' : ` (${h.model.run})`); // which run played it
  const crash =
    s.crashedAgents.length === 0
      ? 'no crash'
      : `agent${s.crashedAgents.length > 1 ? 's' : ''} ${s.crashedAgents.join(', ')} crashed${s.crashFrame === null ? '' : ` at step ${s.crashFrame}`}`;
  const returns = s.returns.map((r, j) => `a${j} ${r === null ? '—' : formatNumber(r, 1)}`).join(' · ');
  const density = h.scenario.density === undefined ? '' : ` · density ${h.scenario.density}`;
  return [
    ['scenario', `${h.scenario.name} (${h.env})`],
    ['seed', `${h.scenario.seed}${density}`],
    ['model', model],
    [
      'steps',
      `${s.steps} decisions · ${formatNumber(s.steps * h.stepS, 1)} s · ${first.vehicleCount} vehicles (${first.vehicleCount - hdvs} CAV, ${hdvs} HDV)`,
    ],
    ['agents', `${h.agents} · priority ${h.priorityRule} · ${h.rewardType} rewards`],
    [
      'supervisor',
      h.supervisor
        ? `on · ${s.supervisorChanges} action${s.supervisorChanges === 1 ? '' : 's'} changed`
        : 'off',
    ],
    ['outcome', crash, s.crashedAgents.length > 0 ? 'bad' : undefined],
    ['returns', returns],
  ];
}

/** The episode panel's rows for recorded frame `frame`: time, mean speed, the step's team reward. */
export function episodeNowRows(header: ReplayHeader, frame: ReplayFrame): FieldRow[] {
  const index = frame.index;
  let speedSum = 0;
  for (let i = 0; i < frame.vehicleCount; i++) speedSum += frame.speed[i]!;
  let teamReward = 0;
  for (let j = 0; j < header.agents; j++) teamReward += frame.reward[j]!;
  return [
    ['time', `${formatNumber(index * header.stepS, 1)} s (step ${index})`],
    ['mean speed', formatSpeed(speedSum / Math.max(frame.vehicleCount, 1))],
    [
      'reward now',
      frame.decision ? `${formatNumber(teamReward, 3)} (sum over agents)` : '— (terminal state)',
    ],
  ];
}

/** The vehicle list's entry for vehicle `i` at recorded frame `index` (present there). */
export function vehicleEntry(source: PanelSource, index: number, i: number): VehicleEntry {
  const frame = source.frame(index);
  const crashed = frame.crashed[i] === 1;
  const cav = isCav(source.header, frame, i);
  const rank = cav ? source.rankAt(index, i) : -1;
  return {
    colour: vehicleColourHex(cav, crashed, rank),
    label: cav ? `#${i} CAV · agent ${i} · rank ${rank < 255 ? rank : '—'}` : `#${i} HDV`,
    crashed,
    speed: crashed ? 'crashed' : `${formatNumber(frame.speed[i]!, 1)} m/s`,
  };
}

/**
 * The selected-vehicle panel for vehicle `selected` at recorded frame `index` (−1 or a vehicle
 * absent there: the hint to pick one). Every vehicle: speed, position, lane, state; a CAV also its
 * rank and whom it follows, the action its policy proposed and the one executed after the safety
 * supervisor, the value estimate, the step's reward and its return so far.
 */
export function selectedVehiclePanel(
  source: PanelSource,
  index: number,
  selected: number,
): SelectedVehiclePanel {
  const h = source.header;
  const frame = source.frame(index);
  if (selected < 0 || selected >= frame.vehicleCount) {
    return { title: 'Selected vehicle', rows: [['—', 'click a vehicle or pick one above']] };
  }
  const cav = isCav(h, frame, selected);
  const crashed = frame.crashed[selected] === 1;
  const rows: FieldRow[] = [
    ['speed', formatSpeed(frame.speed[selected]!)],
    ['position', `x ${formatNumber(frame.x[selected]!, 1)} m · y ${formatNumber(frame.y[selected]!, 1)} m`],
    ['lane', formatLane(h, frame.lane[selected]!)],
    ['state', crashed ? 'crashed' : 'driving', crashed ? 'bad' : undefined],
  ];
  if (cav) rows.push(...decisionRows(source, index, selected));
  return {
    title: cav ? `Vehicle #${selected} · CAV, agent ${selected}` : `Vehicle #${selected} · HDV`,
    rows,
  };
}

/** A CAV's rows: rank (and leader), proposed and executed action, value, reward, return so far. */
function decisionRows(source: PanelSource, index: number, agent: number): FieldRow[] {
  const h = source.header;
  const frame = source.frame(index);
  const rank = source.rankAt(index, agent);
  let leader = -1;
  for (let j = 0; j < h.agents; j++) if (source.rankAt(index, j) === rank - 1) leader = j;
  const proposed = frame.proposed[agent]!;
  const executed = frame.executed[agent]!;
  const value = frame.value[agent]!;
  return [
    [
      'rank',
      rank >= 255
        ? '—'
        : rank === 0
          ? `0 of ${h.agents} (leader)`
          : `${rank} of ${h.agents} (follows agent ${leader})`,
    ],
    ['proposed', frame.decision ? formatAction(h, proposed) : '— (terminal state)'],
    [
      'executed',
      frame.decision
        ? `${formatAction(h, executed)}${executed !== proposed ? ' (changed by the safety supervisor)' : ''}`
        : '—',
      frame.decision && executed !== proposed ? 'note' : undefined,
    ],
    [
      'value',
      !Number.isNaN(value)
        ? formatNumber(value, 3)
        : frame.decision
          ? '— (not recorded by this policy)'
          : '— (terminal state)', // the episode's last frame: no decision, nothing to estimate
    ],
    ['reward', frame.decision ? formatNumber(frame.reward[agent]!, 3) : '—'],
    ['return so far', formatNumber(source.returnBefore(index, agent), 3)],
  ];
}

/**
 * The legend's swatches for a replay of `agents` agents: one per rank, then HDV, crashed and the
 * obstacle at the end of the merge lane.
 */
export function legendEntries(agents: number): LegendEntry[] {
  const entries: LegendEntry[] = [];
  for (let p = 0; p < agents; p++) {
    entries.push({ colour: rankColourHex(p), text: p === 0 ? 'CAV, rank 0 (leader)' : `CAV, rank ${p}` });
  }
  entries.push(
    { colour: HDV_COLOUR_HEX, text: 'HDV (human-driven)' },
    { colour: CRASHED_COLOUR_HEX, text: 'crashed' },
    { colour: OBSTACLE_COLOUR_HEX, text: 'obstacle (end of the merge lane)' },
  );
  return entries;
}

/** The transport's step counter ("step 40 / 100") and clock ("8.0 s") at recorded frame `index`. */
export function transportReadout(
  index: number,
  lastFrame: number,
  stepS: number,
): { readonly counter: string; readonly clock: string } {
  return { counter: `step ${index} / ${lastFrame}`, clock: `${formatNumber(index * stepS, 1)} s` };
}
