/**
 * The player's side panels and legend in the page: *Episode*, *Vehicles* (everyone, click to
 * select), *Selected vehicle*, and the colour legend over the view; for a MuJoCo replay the episode,
 * the agents in decision order with their actions (in the selected-vehicle panel's place) and the
 * legend of agent colours, the vehicle list hidden. What they say comes from panelText.ts and
 * mujocoPanelText.ts; this file only writes it, and only what changed, since the player rewrites the
 * panels on most recorded frames (at 8×, up to 4 times a second).
 */
import type { MujocoReplayPlayer } from '../playback/mujocoReplayPlayer.js';
import type { AnyReplayPlayer } from '../playback/openReplayPlayer.js';
import { HDV_COLOUR_HEX } from '../scene/palette.js';
import { byId, type FieldRow, setFields, setText, swatch } from '../ui/dom.js';
import {
  MUJOCO_AGENTS_TITLE,
  MUJOCO_LEGEND_ORDER_TEXT,
  mujocoAgentRows,
  mujocoEpisodeRows,
  mujocoLegendEntries,
  mujocoNowRows,
} from './mujocoPanelText.js';
import {
  episodeNowRows,
  episodeSummaryRows,
  LEGEND_LINKS_TEXT,
  type LegendEntry,
  legendEntries,
  selectedVehiclePanel,
  type VehicleEntry,
  vehicleEntry,
} from './panelText.js';

/** One row of the vehicle list, updated in place. */
interface VehicleRow {
  readonly button: HTMLButtonElement;
  readonly swatch: HTMLSpanElement;
  readonly what: HTMLSpanElement;
  readonly speed: HTMLSpanElement;
}

/** The side panels and the legend bound to the page's elements. */
export class PlayerPanels {
  private readonly doc: Document;
  private readonly episode: HTMLDListElement;
  private readonly vehicles: HTMLUListElement;
  private readonly vehicleTitle: HTMLElement;
  private readonly vehicle: HTMLDListElement;
  private readonly legend: HTMLElement;
  /** The vehicle list's panel (hidden for a MuJoCo replay). */
  private readonly vehiclePanel: HTMLElement;
  /** Called with a vehicle's index when its row in the list is clicked. */
  private readonly onVehicleClick: (index: number) => void;
  private rows: VehicleRow[] = [];
  /** Episode panel rows that do not change with time (built when a replay opens). */
  private episodeStatic: FieldRow[] = [];

  constructor(doc: Document, onVehicleClick: (index: number) => void) {
    this.doc = doc;
    this.episode = byId(doc, 'episode-fields', HTMLDListElement);
    this.vehicles = byId(doc, 'vehicle-list', HTMLUListElement);
    this.vehicleTitle = byId(doc, 'vehicle-title', HTMLElement);
    this.vehicle = byId(doc, 'vehicle-fields', HTMLDListElement);
    this.legend = byId(doc, 'legend', HTMLElement);
    this.vehiclePanel = byId(doc, 'agents-panel', HTMLElement);
    this.onVehicleClick = onVehicleClick;
  }

  /** A replay was opened: its episode rows, a list row per vehicle it can hold, its legend. */
  open(player: AnyReplayPlayer): void {
    const mujoco = player.kind === 'mujoco';
    this.vehiclePanel.hidden = mujoco;
    this.episodeStatic = mujoco ? mujocoEpisodeRows(player) : episodeSummaryRows(player);
    this.buildVehicleRows(player.capacity);
    if (mujoco) this.buildLegend(mujocoLegendEntries(player.header), MUJOCO_LEGEND_ORDER_TEXT);
    else this.buildLegend(legendEntries(player.header.agents), LEGEND_LINKS_TEXT);
  }

  /** The vehicle list marks vehicle `index` as selected (−1: none). */
  markSelected(index: number): void {
    this.rows.forEach((row, i) => {
      row.button.setAttribute('aria-pressed', String(i === index));
    });
  }

  /** Rewrites the panels for `player`'s current recorded frame and vehicle `selected` (−1: none). */
  show(player: AnyReplayPlayer, selected: number): void {
    if (player.kind === 'mujoco') {
      this.showMujoco(player);
      return;
    }
    const frame = player.current;
    const index = frame.index;
    setFields(this.episode, [...this.episodeStatic, ...episodeNowRows(player.header, frame)]);
    this.rows.forEach((row, i) => {
      const present = i < frame.vehicleCount;
      if (row.button.hidden === present) row.button.hidden = !present;
      if (present) showVehicleRow(row, vehicleEntry(player, index, i));
    });
    const panel = selectedVehiclePanel(player, index, selected);
    setText(this.vehicleTitle, panel.title);
    setFields(this.vehicle, panel.rows);
  }

  /** A MuJoCo replay's frame: episode rows and the agents in decision order with their actions. */
  private showMujoco(player: MujocoReplayPlayer): void {
    const frame = player.current;
    setFields(this.episode, [...this.episodeStatic, ...mujocoNowRows(player, frame)]);
    setText(this.vehicleTitle, MUJOCO_AGENTS_TITLE);
    setFields(this.vehicle, mujocoAgentRows(player, frame.index));
  }

  private buildVehicleRows(capacity: number): void {
    const doc = this.doc;
    this.rows = [];
    const items: HTMLLIElement[] = [];
    for (let i = 0; i < capacity; i++) {
      const li = doc.createElement('li');
      const button = doc.createElement('button');
      button.type = 'button';
      button.dataset.vehicle = String(i);
      button.setAttribute('aria-pressed', 'false');
      const mark = swatch(doc, HDV_COLOUR_HEX);
      const what = doc.createElement('span');
      what.className = 'what';
      const speed = doc.createElement('span');
      speed.className = 'speed';
      button.append(mark, what, speed);
      button.addEventListener('click', () => this.onVehicleClick(i));
      li.append(button);
      items.push(li);
      this.rows.push({ button, swatch: mark, what, speed });
    }
    this.vehicles.replaceChildren(...items);
  }

  private buildLegend(entries: readonly LegendEntry[], lastLine: string): void {
    const doc = this.doc;
    const rows: HTMLElement[] = entries.map(({ colour, text }) => {
      const div = doc.createElement('div');
      div.className = 'row';
      const label = doc.createElement('span');
      label.textContent = text;
      div.append(swatch(doc, colour), label);
      return div;
    });
    const links = doc.createElement('div');
    links.className = 'row';
    links.textContent = lastLine;
    rows.push(links);
    this.legend.replaceChildren(...rows);
    this.legend.hidden = false;
  }
}

/** Writes one vehicle list row. */
function showVehicleRow(row: VehicleRow, entry: VehicleEntry): void {
  // Only what changed is written: unchanged text and styles cost no style or layout work.
  if (row.swatch.dataset.colour !== entry.colour) {
    row.swatch.dataset.colour = entry.colour;
    row.swatch.style.background = entry.colour;
  }
  setText(row.what, entry.label);
  const whatClass = entry.crashed ? 'what crashed' : 'what';
  if (row.what.className !== whatClass) row.what.className = whatClass;
  setText(row.speed, entry.speed);
}
