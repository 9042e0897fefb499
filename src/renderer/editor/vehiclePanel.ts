/**
 * The editor's vehicle list and the form of the selected vehicle (kind, lane, position, speed,
 * priority, Delete), in the Traffic panel; the list marks vehicles with problems.
 */

import { SCENARIO_LANES, type ScenarioIssue, type ScenarioLane } from '../../core/scenario/index.js';
import { HDV_COLOUR_HEX, rankColourHex } from '../scene/palette.js';
import { el, swatch } from '../ui/dom.js';
import { button } from './editorDom.js';
import { type FieldBinding, type FieldForm, fieldText, showFieldIssues } from './fieldForm.js';
import {
  agentNumbers,
  issuesUnder,
  moveVehicle,
  type ScenarioDraft,
  setVehicleKind,
  type VehicleKind,
} from './scenarioDraft.js';

/** Lane names for the lane select. */
const LANE_TEXT: Readonly<Record<ScenarioLane, string>> = {
  'a-b-0': 'a-b-0 · main road, before the merge zone',
  'b-c-0': 'b-c-0 · main road, beside the merge lane',
  'c-d-0': 'c-d-0 · main road, after the merge zone',
  'j-k-0': 'j-k-0 · ramp, straight part',
  'k-b-0': 'k-b-0 · ramp, converging (sine)',
  'b-c-1': 'b-c-1 · merge (acceleration) lane',
};

/** What the vehicle panel asks of the editor. */
export interface VehiclePanelActions {
  /** Selects vehicle `index` (-1: none). */
  select(index: number): void;
  /** Deletes the selected vehicle. */
  deleteSelected(): void;
}

/** The vehicle list and the selected vehicle's form. */
export class VehiclePanel {
  /** The list, the title and the form, as the Traffic panel shows them. */
  readonly section: HTMLElement;
  /** The bindings of the selected vehicle's form. */
  bindings: FieldBinding[] = [];
  private readonly list: HTMLElement;
  private readonly title: HTMLElement;
  private readonly form: HTMLElement;
  /** The vehicle the form was built for, and whether it must be rebuilt (the list changed). */
  private formFor = -1;
  private formStale = true;

  constructor(
    private readonly doc: Document,
    private readonly fields: FieldForm,
    private readonly actions: VehiclePanelActions,
  ) {
    this.section = el(doc, 'div', 'vehicles-section');
    this.list = el(doc, 'ul', 'vehicle-list editor-vehicles');
    this.list.id = 'editor-vehicle-list';
    this.title = el(doc, 'h3', '', 'Selected vehicle');
    this.form = el(doc, 'div', 'vehicle-form');
    this.form.id = 'editor-vehicle-form';
    this.section.append(this.list, this.title, this.form);
  }

  /** The form must be rebuilt at the next update (vehicles were added, removed or replaced). */
  markStale(): void {
    this.formStale = true;
  }

  /** Rebuilds the list; rebuilds the form when stale or for another vehicle, else syncs it. */
  update(draft: ScenarioDraft, issues: readonly ScenarioIssue[], selected: number): void {
    this.buildList(draft, issues, selected);
    if (this.formStale || this.formFor !== selected) this.buildForm(draft, issues, selected);
    else {
      for (const binding of this.bindings) binding.sync();
      showFieldIssues(this.bindings, issues);
    }
  }

  /** Rebuilds the list and the form (the selection changed). */
  showSelection(draft: ScenarioDraft, issues: readonly ScenarioIssue[], selected: number): void {
    this.buildList(draft, issues, selected);
    this.buildForm(draft, issues, selected);
  }

  /** Rebuilds the list only. */
  buildList(draft: ScenarioDraft, issues: readonly ScenarioIssue[], selected: number): void {
    const doc = this.doc;
    const agents = agentNumbers(draft.vehicles);
    const items = draft.vehicles.map((v, i) => {
      const li = el(doc, 'li');
      const button = el(doc, 'button');
      button.type = 'button';
      button.dataset.vehicle = String(i);
      button.setAttribute('aria-pressed', String(i === selected));
      const cav = v.kind === 'cav';
      const what = el(
        doc,
        'span',
        'what',
        `#${i} ${cav ? `CAV · agent ${agents[i]}` : 'HDV'} · ${v.lane} @ ${fieldText(v.positionM)} m${cav && v.priority !== null ? ` · priority ${fieldText(v.priority)}` : ''}`,
      );
      const speed = el(doc, 'span', 'speed', `${fieldText(v.speedMps)} m/s`);
      const bad = issuesUnder(issues, `traffic.vehicles[${i}]`).length > 0;
      if (bad) what.classList.add('crashed');
      button.append(swatch(doc, cav ? rankColourHex(agents[i]!) : HDV_COLOUR_HEX), what, speed);
      button.addEventListener('click', () => this.actions.select(i === selected ? -1 : i));
      li.append(button);
      return li;
    });
    if (items.length === 0) {
      items.push(el(doc, 'li', 'dim empty', 'No vehicles yet: click a lane on the road to add one.'));
    }
    this.list.replaceChildren(...items);
    const listIssues = issues.filter((issue) => issue.path === 'traffic.vehicles');
    if (listIssues.length > 0) {
      for (const issue of listIssues) this.list.append(el(doc, 'li', 'field-issue', issue.message));
    }
  }

  private buildForm(draft: ScenarioDraft, issues: readonly ScenarioIssue[], i: number): void {
    const doc = this.doc;
    const v = draft.vehicles[i];
    this.bindings = [];
    this.formFor = i;
    this.formStale = false;
    if (v === undefined) {
      this.title.textContent = 'Selected vehicle';
      this.form.replaceChildren(el(doc, 'p', 'dim', 'Click a vehicle on the road or in the list.'));
      return;
    }
    this.title.textContent = `Selected vehicle #${i}`;
    const at = `traffic.vehicles[${i}]`;
    const list = this.bindings;
    const fields = this.fields;
    const kind = fields.selectField(
      'kind',
      `${at}.kind`,
      [
        ['cav', 'CAV (agent)'],
        ['hdv', 'HDV (human driver, IDM/MOBIL)'],
      ],
      () => v.kind,
      (value) => setVehicleKind(draft, i, value as VehicleKind),
      list,
    );
    const lane = fields.selectField(
      'lane',
      `${at}.lane`,
      SCENARIO_LANES.map((id) => [id, LANE_TEXT[id]] as const),
      () => v.lane,
      (value) =>
        moveVehicle(draft, i, value as ScenarioLane, typeof v.positionM === 'number' ? v.positionM : 0),
      list,
    );
    const position = fields.numberField(
      'position',
      `${at}.positionM`,
      'm',
      () => v.positionM,
      (value) => (v.positionM = value),
      list,
    );
    const speed = fields.numberField(
      'speed',
      `${at}.speedMps`,
      'm/s',
      () => v.speedMps,
      (value) => (v.speedMps = value),
      list,
    );
    const priority = fields.numberField(
      'priority',
      `${at}.priority`,
      '',
      () => v.priority,
      (value) => (v.priority = value === '' ? null : value),
      list,
    );
    priority.title =
      'CAVs only: all or none, distinct; agents are numbered by increasing priority. Empty: none';
    const remove = button(doc, 'Delete vehicle', 'Remove it (Delete key on the road)');
    remove.id = 'editor-delete-vehicle';
    remove.classList.add('danger');
    remove.addEventListener('click', () => this.actions.deleteSelected());
    this.form.replaceChildren(kind, lane, position, speed, priority, remove);
    showFieldIssues(list, issues);
  }
}
