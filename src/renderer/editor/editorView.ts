/**
 * The scenario editor (docs/app.md "Scenario editor"): a top-down view of the road where a click
 * on a lane places a vehicle, a drag moves it along or between lanes and Delete removes it; a side
 * panel with every field of the scenario file, the vehicle list and the selected vehicle; live
 * validation with the core validator (the messages `steer scenario validate` prints, shown beside
 * the fields they concern and listed under Problems); open and save through the API
 * (`scenarios.*`), and Run, which plays one episode with a model (`sim.start`, live) and shows it
 * in the player as it is simulated.
 *
 * The DOM is built here (index.html holds only the empty #editor-view), without inline styles.
 */

import {
  DENSITY_MIN_BEFORE_MERGE_M,
  SCENARIO_LANES,
  type ScenarioIssue,
  type ScenarioLane,
} from '../../core/scenario/index.js';
import type { ApiRequest, ApiResponse, SteerApi } from '../../main/api/contract.js';
import { HDV_COLOUR_HEX, rankColourHex } from '../scene/palette.js';
import { swatch } from '../ui/dom.js';
import { type CanvasVehicle, EditorCanvas } from './editorCanvas.js';
import { type EditorRoad, editorRoad, pickLane } from './laneGeometry.js';
import { playLive } from './liveRun.js';
import {
  agentNumbers,
  blankDraft,
  deleteVehicle,
  draftFromDocument,
  draftToDocument,
  type FieldNumber,
  issuesUnder,
  moveVehicle,
  parseFieldNumber,
  placeVehicle,
  type ScenarioDraft,
  setVehicleKind,
  usableRoad,
  type VehicleKind,
  validateDraft,
} from './scenarioDraft.js';
import { downloadScenario, exportFileName, importScenarioFile } from './scenarioFile.js';

/** What the editor asks of the rest of the app. */
export interface EditorHost {
  /** Shows a played episode in the player; `label` names it, `recorded` when it was written to disk. */
  showReplay(bytes: Uint8Array, label: string, recorded: boolean): Promise<void>;
  /** Switches to the player for an episode being simulated (Run) and shows it as it arrives. */
  showLiveReplay(label: string): LiveReplayTarget;
}

/** Where a live Run's episode is shown (the player). */
export interface LiveReplayTarget {
  /** The frames so far, as a complete replay. */
  show(snapshot: Uint8Array): void;
  /** The finished file; `label` names it, `recorded` when it was written to disk. */
  finish(bytes: Uint8Array, label: string, recorded: boolean): Promise<void>;
  /** The run failed after it started (the editor shows `message` under Run). */
  fail(message: string): void;
}

/** A model choice of `sim.run`. */
type SimModel = ApiRequest<'sim.run'>['model'];

/** Lane names for the lane select. */
const LANE_TEXT: Readonly<Record<ScenarioLane, string>> = {
  'a-b-0': 'a-b-0 · main road, before the merge zone',
  'b-c-0': 'b-c-0 · main road, beside the merge lane',
  'c-d-0': 'c-d-0 · main road, after the merge zone',
  'j-k-0': 'j-k-0 · ramp, straight part',
  'k-b-0': 'k-b-0 · ramp, converging (sine)',
  'b-c-1': 'b-c-1 · merge (acceleration) lane',
};

/**
 * The reference-quirks select's value for the file's `referenceQuirks` (spec/horm.md §10):
 * "false" (absent or false), "true", or the JSON of an object naming some (kept as it is).
 */
function quirksChoice(value: unknown): string {
  if (value === undefined || value === false) return 'false';
  return value === true ? 'true' : JSON.stringify(value);
}

/** Sets `referenceQuirks` from the select: none leaves the field out (its default). */
function setQuirksChoice(draft: ScenarioDraft, choice: string): void {
  if (choice === 'false') delete draft.extra.referenceQuirks;
  else draft.extra.referenceQuirks = JSON.parse(choice) as unknown;
}

/** Value of the scenario select for a new, blank scenario. */
const BLANK = '';

/** An input bound to a field of the draft: redrawn from the draft, shows the issues at its path. */
interface FieldBinding {
  readonly path: string;
  readonly input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  readonly issue: HTMLElement;
  /** Writes the draft's value into the input (unless the user is typing in it). */
  sync(): void;
}

/** `el('div', 'panel', 'text')`. */
function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  className = '',
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  if (className !== '') node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A number field's text. */
function fieldText(value: FieldNumber | null): string {
  return value === null ? '' : String(value);
}

/** The editor bound to its root element. */
export class EditorView {
  private api: SteerApi | null = null;
  private draft: ScenarioDraft = blankDraft();
  private issues: ScenarioIssue[] = [];
  private selected = -1;
  /** The file the draft came from (null: new), and whether it was changed since. */
  private path: string | null = null;
  private dirty = false;
  private newKind: VehicleKind = 'cav';
  private road: EditorRoad;
  private bindings: FieldBinding[] = [];
  private vehicleBindings: FieldBinding[] = [];
  /** The vehicle the form was built for, and whether it must be rebuilt (the list changed). */
  private formFor = -1;
  private formStale = true;
  /** The trained runs sim.run can play, and whether the user picked a model (then it is kept). */
  private runs: ApiResponse<'sim.models'>['runs'] = [];
  private modelChosen = false;
  /** Fit the whole road in view at the next redraw (a scenario was loaded). */
  private refit = true;
  private drag: { index: number; moved: boolean } | { pan: number } | null = null;
  private readonly canvas: EditorCanvas;
  private readonly el: {
    scenarioList: HTMLSelectElement;
    save: HTMLButtonElement;
    saveName: HTMLInputElement;
    saveAs: HTMLButtonElement;
    model: HTMLSelectElement;
    seed: HTMLInputElement;
    record: HTMLInputElement;
    run: HTMLButtonElement;
    status: HTMLElement;
    viewport: HTMLElement;
    banner: HTMLElement;
    problems: HTMLElement;
    problemsTitle: HTMLElement;
    vehicleList: HTMLElement;
    vehicleForm: HTMLElement;
    vehicleTitle: HTMLElement;
    densityRow: HTMLElement;
    densityNote: HTMLElement;
    vehiclesSection: HTMLElement;
    kindButtons: HTMLButtonElement[];
    summary: HTMLElement;
    file: HTMLElement;
  };

  constructor(
    private readonly doc: Document,
    readonly root: HTMLElement,
    private readonly host: EditorHost,
  ) {
    this.road = editorRoad(usableRoad(this.draft.road));
    const canvasElement = el(doc, 'canvas', 'editor-canvas');
    canvasElement.id = 'editor-canvas';
    canvasElement.tabIndex = 0;
    canvasElement.setAttribute(
      'aria-label',
      'Top-down view of the road: click a lane to add a vehicle, drag to move it, Delete to remove it',
    );
    this.canvas = new EditorCanvas(canvasElement);
    this.el = this.build(canvasElement);
    new ResizeObserver(() => this.canvas.resize()).observe(this.el.viewport);
    this.bindCanvas(canvasElement);
    this.refresh();
  }

  /** Uses `api` for files and runs; lists scenarios and models. */
  async connect(api: SteerApi): Promise<void> {
    this.api = api;
    await Promise.all([this.refreshScenarioList(), this.refreshModels()]);
  }

  /** The draft as a scenario document (what Save writes), for tests and the console. */
  document(): Record<string, unknown> {
    return draftToDocument(this.draft);
  }

  /** The current validation issues. */
  currentIssues(): readonly ScenarioIssue[] {
    return this.issues;
  }

  /** Where vehicle `index` is on screen (client coordinates), or null: for tests that drag it. */
  vehicleScreenPoint(index: number): { x: number; y: number } | null {
    const p = this.canvas.vehicleScreenPoint(index);
    if (p === null) return null;
    const rect = this.canvas.canvas.getBoundingClientRect();
    return { x: rect.left + p.x, y: rect.top + p.y };
  }

  /** Where a world point (x along the road, y across it) [m] is on screen (client coordinates). */
  worldScreenPoint(x: number, y: number): { x: number; y: number } {
    const p = this.canvas.toScreen(x, y);
    const rect = this.canvas.canvas.getBoundingClientRect();
    return { x: rect.left + p.x, y: rect.top + p.y };
  }

  /** Re-reads the scenario list (keeps the selection). */
  async refreshScenarioList(): Promise<void> {
    if (this.api === null) return;
    const { scenarios, userDir } = await this.api.call('scenarios.list', {});
    const list = this.el.scenarioList;
    const blank = new Option('New blank scenario', BLANK);
    const groups: HTMLOptGroupElement[] = [];
    for (const [source, label] of [
      ['bundled', 'Bundled (scenarios/, read-only)'],
      ['user', `Yours (${userDir}/)`],
    ] as const) {
      const group = el(this.doc, 'optgroup');
      group.label = label;
      for (const entry of scenarios.filter((s) => s.source === source)) {
        const file = entry.path.split('/').pop()!;
        const text =
          entry.name === null
            ? `${file} · ${entry.issueCount} problem${entry.issueCount === 1 ? '' : 's'}`
            : `${entry.name} · ${file}`;
        group.append(new Option(text, entry.path));
      }
      if (group.children.length > 0) groups.push(group);
    }
    list.replaceChildren(blank, ...groups);
    list.disabled = false;
    list.value = this.path ?? BLANK;
  }

  /** Opens a scenario file from the list (or a blank scenario for BLANK). */
  async open(path: string): Promise<void> {
    if (path === BLANK) {
      this.load(blankDraft(), null);
      this.showBanner(null);
      this.setStatus('new blank scenario: click a lane to add vehicles');
      return;
    }
    if (this.api === null) return;
    this.setStatus(`opening ${path}…`);
    try {
      const file = await this.api.call('scenarios.open', { path });
      if (file.issues.length === 0 && file.document !== null) {
        this.load(draftFromDocument(file.document), path);
        this.showBanner(null);
        this.setStatus(
          `${path}${file.source === 'bundled' ? ' (bundled, read-only: Save as… to keep changes)' : ''}`,
        );
        return;
      }
      this.showBanner(file);
      if (file.document !== null) {
        // Load what the file has, so the problems can be fixed here; Save writes a fixed copy.
        this.load(draftFromDocument(file.document), path);
        this.setStatus(
          `${path}: ${file.issues.length} problem${file.issues.length === 1 ? '' : 's'} in the file`,
          true,
        );
      } else {
        this.el.scenarioList.value = this.path ?? BLANK;
        this.setStatus(`${path} cannot be loaded: it is not a JSON object`, true);
      }
    } catch (error) {
      this.el.scenarioList.value = this.path ?? BLANK;
      this.setStatus(`cannot open ${path}: ${(error as Error).message}`, true);
    }
  }

  // --- building the DOM ---

  private build(canvasElement: HTMLCanvasElement) {
    const doc = this.doc;
    // Toolbar: file, then run.
    const toolbar = el(doc, 'header', 'toolbar editor-toolbar');
    const scenarioList = el(doc, 'select');
    scenarioList.id = 'editor-scenario-list';
    scenarioList.title = 'Open a scenario';
    scenarioList.append(new Option('New blank scenario', BLANK));
    scenarioList.disabled = true;
    const save = this.button('Save', 'Save over the open file (your scenarios only)');
    save.id = 'editor-save';
    const saveName = el(doc, 'input', 'name-input');
    saveName.id = 'editor-save-name';
    saveName.type = 'text';
    saveName.placeholder = 'file name';
    saveName.spellcheck = false;
    saveName.title = 'File name under runs/scenarios/ (letters, digits, ".", "_", "-")';
    const saveAs = this.button('Save as', 'Save under runs/scenarios/<name>.json');
    saveAs.id = 'editor-save-as';
    // Local files (scenarioFile.ts): Import reads one through a hidden file input, Export downloads.
    const importFile = el(doc, 'input');
    importFile.id = 'editor-import-file';
    importFile.type = 'file';
    importFile.accept = '.json,application/json';
    importFile.hidden = true;
    importFile.addEventListener('change', () => {
      const picked = importFile.files?.[0];
      importFile.value = ''; // picking the same file again fires change again
      if (picked !== undefined) void this.importLocal(picked);
    });
    const importButton = this.button('Import…', 'Open a scenario .json file from this computer');
    importButton.id = 'editor-import';
    importButton.addEventListener('click', () => importFile.click());
    const exportButton = this.button('Export', 'Download the scenario as a .json file');
    exportButton.id = 'editor-export';
    exportButton.addEventListener('click', () => this.exportLocal());
    const model = el(doc, 'select');
    model.id = 'editor-model';
    model.title = 'What drives the CAVs';
    const seed = el(doc, 'input', 'seed-input');
    seed.id = 'editor-run-seed';
    seed.type = 'text';
    seed.inputMode = 'numeric';
    seed.placeholder = 'scenario seed';
    seed.title = "Env seed of the episode; empty: the scenario's seed";
    const recordLabel = el(doc, 'label', 'check');
    const record = el(doc, 'input');
    record.id = 'editor-record';
    record.type = 'checkbox';
    recordLabel.append(record, doc.createTextNode('record'));
    recordLabel.title =
      'Also write the replay to runs/replays/editor/ (it then appears in the player’s list)';
    const run = this.button('▶ Run', 'Simulate one episode and watch it in the player');
    run.id = 'editor-run';
    run.classList.add('primary');
    const status = el(doc, 'span', 'status');
    status.id = 'editor-status';
    status.setAttribute('role', 'status');
    toolbar.append(
      this.label('Scenario', scenarioList),
      scenarioList,
      save,
      saveName,
      saveAs,
      importButton,
      importFile,
      exportButton,
      el(doc, 'span', 'separator'),
      this.label('Model', model),
      model,
      this.label('Seed', seed),
      seed,
      recordLabel,
      run,
    );

    // Workspace: the road, and the side panel.
    const workspace = el(doc, 'main', 'workspace editor-workspace');
    const viewport = el(doc, 'div', 'editor-viewport');
    const palette = el(doc, 'div', 'overlay editor-palette');
    const kindButtons = (['cav', 'hdv'] as const).map((kind) => {
      const b = this.button(
        kind === 'cav' ? 'CAV' : 'HDV',
        `Clicks on a lane add ${kind === 'cav' ? 'a CAV (an agent)' : 'an HDV (human driver)'}`,
      );
      b.dataset.kind = kind;
      b.prepend(swatch(doc, kind === 'cav' ? rankColourHex(0) : HDV_COLOUR_HEX));
      b.addEventListener('click', () => {
        this.newKind = kind;
        this.syncKindButtons();
      });
      return b;
    });
    const fit = this.button('Fit', 'Whole road in view');
    fit.addEventListener('click', () => {
      this.canvas.fit();
      this.canvas.draw();
    });
    palette.append(el(doc, 'span', 'dim', 'Add'), ...kindButtons, fit);
    const hint = el(
      doc,
      'div',
      'overlay editor-hint',
      'Click a lane to add · drag to move along or between lanes · ←/→ nudge 1 m (Shift: 10 m) · Delete removes the selected vehicle · wheel zooms along the road, drag the ground to pan · lateral scale exaggerated',
    );
    const densityNote = el(
      doc,
      'div',
      'overlay editor-density-note',
      'Density traffic: the reference spawns CAVs and HDVs at random each episode (from the seed), so there are no vehicles to place. Click a lane to switch to an explicit list.',
    );
    densityNote.hidden = true;
    viewport.append(canvasElement, palette, densityNote, hint);

    const side = el(doc, 'aside', 'side editor-side');
    const banner = el(doc, 'section', 'panel banner');
    banner.id = 'editor-file-issues';
    banner.hidden = true;
    const problemsPanel = el(doc, 'section', 'panel');
    const problemsTitle = el(doc, 'h2', '', 'Problems');
    const problems = el(doc, 'ul', 'problems');
    problems.id = 'editor-problems';
    problemsPanel.append(problemsTitle, problems);

    const scenarioPanel = this.panel('Scenario');
    scenarioPanel.append(
      this.textField(
        'name',
        'name',
        () => this.draft.name,
        (v) => (this.draft.name = v),
      ),
      this.textField(
        'description',
        'description',
        () => this.draft.description,
        (v) => (this.draft.description = v),
        true,
      ),
      this.numberField(
        'seed',
        'seed',
        '',
        () => this.draft.seed,
        (v) => (this.draft.seed = v),
      ),
      this.numberField(
        'duration',
        'durationS',
        's',
        () => this.draft.durationS,
        (v) => (this.draft.durationS = v),
      ),
      this.selectField(
        'physics',
        'physics',
        [
          ['reference', 'reference (kinematic bicycle, spec)'],
          ['dynamic', 'dynamic (planck forces)'],
        ],
        () => this.draft.physics,
        (v) => (this.draft.physics = v),
      ),
      this.selectField(
        'priority rule',
        'priority',
        [
          ['index', 'index (agent number)'],
          ['main-road-first', 'main road first'],
          ['closest-to-merge-first', 'closest to merge first'],
        ],
        () => this.draft.priority,
        (v) => (this.draft.priority = v),
      ),
      this.checkField(
        'supervisor',
        'supervisor',
        'safety supervisor on CAV actions',
        () => this.draft.supervisor,
        (v) => (this.draft.supervisor = v),
      ),
      this.selectField(
        'reference quirks',
        'referenceQuirks',
        [
          ['false', 'none (correct behaviour)'],
          ['true', 'all (the reference as published)'],
        ],
        () => quirksChoice(this.draft.extra.referenceQuirks),
        (v) => setQuirksChoice(this.draft, v),
      ),
    );

    const roadPanel = this.panel('Road');
    roadPanel.append(
      ...(
        [
          ['before merge', 'beforeMergeM'],
          ['converging', 'convergingM'],
          ['merge zone', 'mergeM'],
          ['after merge', 'afterMergeM'],
        ] as const
      ).map(([label, key]) =>
        this.numberField(
          label,
          `road.${key}`,
          'm',
          () => this.draft.road[key],
          (v) => (this.draft.road[key] = v),
        ),
      ),
    );

    const trafficPanel = this.panel('Traffic');
    trafficPanel.id = 'editor-traffic';
    const mode = this.selectField(
      'traffic',
      'traffic',
      [
        ['vehicles', 'explicit vehicle list'],
        ['density', 'density (random spawns)'],
      ],
      () => this.draft.trafficMode,
      (v) => (this.draft.trafficMode = v as 'density' | 'vehicles'),
    );
    const densityRow = this.selectField(
      'density',
      'traffic.density',
      [
        ['1', `1 · 2 CAVs, 1–3 HDVs`],
        ['2', `2 · 3 CAVs, 2–4 HDVs`],
        ['3', `3 · 4 CAVs, 3–5 HDVs`],
      ],
      () => String(this.draft.density),
      (v) => (this.draft.density = Number(v)),
    );
    densityRow.title = `Reference spawning (spec/horm.md §5.1); needs before merge ≥ ${DENSITY_MIN_BEFORE_MERGE_M} m`;
    const vehiclesSection = el(doc, 'div', 'vehicles-section');
    const vehicleList = el(doc, 'ul', 'vehicle-list editor-vehicles');
    vehicleList.id = 'editor-vehicle-list';
    const vehicleTitle = el(doc, 'h3', '', 'Selected vehicle');
    const vehicleForm = el(doc, 'div', 'vehicle-form');
    vehicleForm.id = 'editor-vehicle-form';
    vehiclesSection.append(vehicleList, vehicleTitle, vehicleForm);
    trafficPanel.append(mode, densityRow, vehiclesSection);

    const rewardPanel = this.panel('Reward weights');
    rewardPanel.append(
      ...(
        [
          ['collision', 'collision'],
          ['high speed', 'highSpeed'],
          ['merging lane', 'mergingLaneCost'],
          ['headway', 'headwayCost'],
        ] as const
      ).map(([label, key]) =>
        this.numberField(
          label,
          `rewardWeights.${key}`,
          '',
          () => this.draft.rewardWeights[key],
          (v) => (this.draft.rewardWeights[key] = v),
        ),
      ),
    );
    side.append(banner, problemsPanel, scenarioPanel, trafficPanel, roadPanel, rewardPanel);
    workspace.append(viewport, side);

    const footer = el(doc, 'footer', 'transport editor-footer');
    const file = el(doc, 'span', 'counter');
    file.id = 'editor-file';
    const summary = el(doc, 'span', 'counter');
    summary.id = 'editor-summary';
    footer.append(file, status, summary);
    this.root.replaceChildren(toolbar, workspace, footer);

    // Events of the toolbar.
    scenarioList.addEventListener('change', () => {
      if (this.dirty && !window.confirm('Discard the changes to the open scenario?')) {
        scenarioList.value = this.path ?? BLANK;
        return;
      }
      void this.open(scenarioList.value);
    });
    save.addEventListener('click', () => void this.save(true));
    saveAs.addEventListener('click', () => void this.save(false));
    saveName.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') void this.save(false);
    });
    run.addEventListener('click', () => void this.run());
    model.addEventListener('change', () => {
      this.modelChosen = true;
    });
    this.doc.addEventListener('keydown', (event) => this.onKey(event));

    return {
      scenarioList,
      save,
      saveName,
      saveAs,
      model,
      seed,
      record,
      run,
      status,
      viewport,
      banner,
      problems,
      problemsTitle,
      vehicleList,
      vehicleForm,
      vehicleTitle,
      densityRow,
      densityNote,
      vehiclesSection,
      kindButtons,
      summary,
      file,
    };
  }

  private button(text: string, title: string): HTMLButtonElement {
    const b = el(this.doc, 'button', 'button', text);
    b.type = 'button';
    b.title = title;
    return b;
  }

  private label(text: string, control: HTMLElement): HTMLLabelElement {
    const label = el(this.doc, 'label', 'field', text);
    if (control.id !== '') label.htmlFor = control.id;
    return label;
  }

  private panel(title: string): HTMLElement {
    const section = el(this.doc, 'section', 'panel');
    section.append(el(this.doc, 'h2', '', title));
    return section;
  }

  /** A labelled row: label, control, unit, and the issue line under it. */
  private row(
    label: string,
    path: string,
    input: FieldBinding['input'],
    unit: string,
    sync: () => void,
    list = this.bindings,
  ): HTMLElement {
    const row = el(this.doc, 'div', 'form-row');
    row.dataset.path = path;
    const id = `editor-field-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;
    input.id = id;
    const name = el(this.doc, 'label', 'form-label', label);
    name.htmlFor = id;
    const issue = el(this.doc, 'div', 'field-issue');
    issue.hidden = true;
    row.append(name, input, el(this.doc, 'span', 'unit', unit), issue);
    list.push({ path, input, issue, sync });
    sync();
    return row;
  }

  private textField(
    label: string,
    path: string,
    get: () => string,
    set: (value: string) => void,
    multiline = false,
  ): HTMLElement {
    const input = multiline ? el(this.doc, 'textarea') : el(this.doc, 'input');
    if (input instanceof HTMLInputElement) input.type = 'text';
    else input.rows = 2;
    input.spellcheck = false;
    input.addEventListener('input', () => {
      set(input.value);
      this.changed();
    });
    return this.row(label, path, input, '', () => {
      if (this.doc.activeElement !== input) input.value = get();
    });
  }

  private numberField(
    label: string,
    path: string,
    unit: string,
    get: () => FieldNumber | null,
    set: (value: FieldNumber) => void,
    list?: FieldBinding[],
  ): HTMLElement {
    const input = el(this.doc, 'input', 'number');
    input.type = 'text';
    input.inputMode = 'decimal';
    input.spellcheck = false;
    input.addEventListener('input', () => {
      set(parseFieldNumber(input.value));
      this.changed(path.startsWith('road.'));
    });
    return this.row(
      label,
      path,
      input,
      unit,
      () => {
        if (this.doc.activeElement !== input) input.value = fieldText(get());
      },
      list,
    );
  }

  private selectField(
    label: string,
    path: string,
    options: readonly (readonly [string, string])[],
    get: () => string,
    set: (value: string) => void,
    list?: FieldBinding[],
  ): HTMLElement {
    const select = el(this.doc, 'select');
    for (const [value, text] of options) select.append(new Option(text, value));
    select.addEventListener('change', () => {
      set(select.value);
      this.changed();
    });
    return this.row(
      label,
      path,
      select,
      '',
      () => {
        const value = get();
        if (!Array.from(select.options).some((o) => o.value === value))
          select.append(new Option(value, value));
        select.value = value;
      },
      list,
    );
  }

  private checkField(
    label: string,
    path: string,
    text: string,
    get: () => boolean,
    set: (value: boolean) => void,
  ): HTMLElement {
    const input = el(this.doc, 'input');
    input.type = 'checkbox';
    input.addEventListener('change', () => {
      set(input.checked);
      this.changed();
    });
    const row = this.row(label, path, input, '', () => {
      input.checked = get();
    });
    const wrap = el(this.doc, 'label', 'check');
    input.replaceWith(wrap);
    wrap.append(input, this.doc.createTextNode(text));
    return row;
  }

  // --- local files: Import and Export (scenarioFile.ts) ---

  /** Loads a picked local file; one that does not validate shows its problems as a listed file does. */
  private async importLocal(file: File): Promise<void> {
    if (this.dirty && !window.confirm('Discard the changes to the open scenario?')) return;
    const imported = await importScenarioFile(file);
    const name = imported.fileName;
    const count = imported.issues.length;
    this.showBanner(
      count === 0 ? null : { path: name, issues: [...imported.issues], document: imported.document },
    );
    if (imported.document === null) {
      this.setStatus(`${name} cannot be loaded: ${imported.issues[0]?.message ?? 'not a JSON object'}`, true);
      return;
    }
    this.load(draftFromDocument(imported.document), null);
    this.el.saveName.value = exportFileName(name).replace(/\.json$/, '');
    this.setStatus(
      count === 0
        ? `imported ${name} (not in the project yet: Save as… keeps it)`
        : `${name}: ${count} problem${count === 1 ? '' : 's'} in the file (imported)`,
      count > 0,
    );
  }

  /** Downloads the scenario as the editor holds it, named after the save name or the open file. */
  private exportLocal(): void {
    const base = this.el.saveName.value.trim() || this.path?.split('/').pop() || this.draft.name;
    const fileName = exportFileName(base);
    downloadScenario(this.doc, draftToDocument(this.draft), fileName);
    const count = this.issues.length;
    this.setStatus(
      count === 0
        ? `exported ${fileName}`
        : `exported ${fileName} with ${count} problem${count === 1 ? '' : 's'}`,
      count > 0,
    );
  }

  // --- state changes ---

  /** Replaces the draft (a file opened, or a blank one). */
  private load(draft: ScenarioDraft, path: string | null): void {
    this.draft = draft;
    this.path = path;
    this.dirty = false;
    this.selected = -1;
    this.el.scenarioList.value = path ?? BLANK;
    const name = path
      ?.split('/')
      .pop()
      ?.replace(/\.json$/, '');
    this.el.saveName.value = name !== undefined && path?.startsWith('runs/') ? name : '';
    this.el.seed.value = '';
    this.road = editorRoad(usableRoad(draft.road));
    this.refit = true;
    this.formStale = true;
    this.refresh();
  }

  /** After an edit: revalidate and redraw; `roadChanged` rebuilds the geometry. */
  private changed(roadChanged = false): void {
    this.dirty = true;
    if (roadChanged) this.road = editorRoad(usableRoad(this.draft.road));
    this.refresh();
  }

  /** Validates the draft and brings every part of the view up to date. */
  private refresh(): void {
    this.issues = validateDraft(this.draft);
    if (this.selected >= this.draft.vehicles.length) this.selected = -1;
    for (const binding of this.bindings) binding.sync();
    this.el.densityRow.hidden = this.draft.trafficMode !== 'density';
    this.el.vehiclesSection.hidden = this.draft.trafficMode !== 'vehicles';
    this.el.densityNote.hidden = this.draft.trafficMode !== 'density';
    this.showFieldIssues(this.bindings);
    this.showProblems();
    this.buildVehicleList();
    if (this.formStale || this.formFor !== this.selected) this.buildVehicleForm();
    else {
      for (const binding of this.vehicleBindings) binding.sync();
      this.showFieldIssues(this.vehicleBindings);
    }
    this.syncKindButtons();
    this.syncModels();
    this.redraw();
    this.showSummary();
  }

  private redraw(): void {
    const agents = agentNumbers(this.draft.vehicles);
    const vehicles: CanvasVehicle[] =
      this.draft.trafficMode === 'vehicles'
        ? this.draft.vehicles.flatMap((v, i) =>
            typeof v.positionM === 'number'
              ? [
                  {
                    lane: v.lane,
                    positionM: v.positionM,
                    cav: v.kind === 'cav',
                    agent: agents[i]!,
                    bad: issuesUnder(this.issues, `traffic.vehicles[${i}]`).length > 0,
                  },
                ]
              : [],
          )
        : [];
    this.canvas.update(this.road, vehicles, this.selected, this.refit);
    this.refit = false;
  }

  private select(index: number): void {
    this.selected = index;
    this.buildVehicleList();
    this.buildVehicleForm();
    this.redraw();
  }

  // --- panels ---

  private showFieldIssues(bindings: readonly FieldBinding[]): void {
    for (const binding of bindings) {
      const mine = this.issues.filter((issue) => issue.path === binding.path);
      binding.issue.hidden = mine.length === 0;
      binding.issue.textContent = mine.map((issue) => issue.message).join('\n');
      binding.input.classList.toggle('invalid', mine.length > 0);
      binding.input.setAttribute('aria-invalid', String(mine.length > 0));
    }
  }

  private showProblems(): void {
    const { problems, problemsTitle, save, saveAs, run } = this.el;
    const count = this.issues.length;
    problemsTitle.textContent = count === 0 ? 'Problems' : `Problems (${count})`;
    if (count === 0) {
      const ok = el(this.doc, 'li', 'ok', 'None: the scenario validates (ready to save and run).');
      problems.replaceChildren(ok);
    } else {
      problems.replaceChildren(
        ...this.issues.map((issue) => {
          const li = el(this.doc, 'li', 'bad');
          const path = el(this.doc, 'code', '', issue.path);
          li.append(path, this.doc.createTextNode(`: ${issue.message}`));
          li.title = 'Show the field';
          li.addEventListener('click', () => this.reveal(issue.path));
          return li;
        }),
      );
    }
    const why = count === 0 ? '' : ` (fix the ${count} problem${count === 1 ? '' : 's'} first)`;
    save.disabled = count > 0 || this.path === null || !this.path.startsWith('runs/');
    save.title = `Save over ${this.path ?? 'the open file'}${this.path?.startsWith('runs/') ? '' : ' (your scenarios only: use Save as)'}${why}`;
    saveAs.disabled = count > 0;
    saveAs.title = `Save under runs/scenarios/<name>.json${why}`;
    run.disabled = count > 0 || this.api === null;
    run.title = `Simulate one episode and watch it in the player${why}`;
  }

  /** Scrolls to and focuses the control of an issue's path (selecting its vehicle first). */
  private reveal(path: string): void {
    const vehicle = /^traffic\.vehicles\[(\d+)\]/.exec(path);
    if (vehicle !== null) this.select(Number(vehicle[1]));
    const binding = [...this.bindings, ...this.vehicleBindings].find((b) => b.path === path);
    binding?.input.focus();
    binding?.input.scrollIntoView({ block: 'nearest' });
  }

  /** The banner that lists a file's own problems, as the validator reports them. */
  private showBanner(file: Pick<ApiResponse<'scenarios.open'>, 'path' | 'issues' | 'document'> | null): void {
    const { banner } = this.el;
    if (file === null) {
      banner.hidden = true;
      banner.replaceChildren();
      return;
    }
    const title = el(
      this.doc,
      'h2',
      '',
      `${file.path} does not validate (${file.issues.length} problem${file.issues.length === 1 ? '' : 's'})`,
    );
    const list = el(this.doc, 'ul', 'problems');
    for (const issue of file.issues) {
      const li = el(this.doc, 'li', 'bad');
      li.append(el(this.doc, 'code', '', issue.path), this.doc.createTextNode(`: ${issue.message}`));
      list.append(li);
    }
    const note = el(
      this.doc,
      'p',
      'note',
      file.document === null
        ? 'Not loaded: the file is not a JSON object. Fix it in a text editor, or start from another scenario.'
        : 'Loaded what the file has; the problems below are live. Save as writes a fixed copy.',
    );
    banner.replaceChildren(title, list, note);
    banner.hidden = false;
  }

  private buildVehicleList(): void {
    const doc = this.doc;
    const agents = agentNumbers(this.draft.vehicles);
    const items = this.draft.vehicles.map((v, i) => {
      const li = el(doc, 'li');
      const button = el(doc, 'button');
      button.type = 'button';
      button.dataset.vehicle = String(i);
      button.setAttribute('aria-pressed', String(i === this.selected));
      const cav = v.kind === 'cav';
      const what = el(
        doc,
        'span',
        'what',
        `#${i} ${cav ? `CAV · agent ${agents[i]}` : 'HDV'} · ${v.lane} @ ${fieldText(v.positionM)} m${cav && v.priority !== null ? ` · priority ${fieldText(v.priority)}` : ''}`,
      );
      const speed = el(doc, 'span', 'speed', `${fieldText(v.speedMps)} m/s`);
      const bad = issuesUnder(this.issues, `traffic.vehicles[${i}]`).length > 0;
      if (bad) what.classList.add('crashed');
      button.append(swatch(doc, cav ? rankColourHex(agents[i]!) : HDV_COLOUR_HEX), what, speed);
      button.addEventListener('click', () => this.select(i === this.selected ? -1 : i));
      li.append(button);
      return li;
    });
    if (items.length === 0) {
      items.push(el(doc, 'li', 'dim empty', 'No vehicles yet: click a lane on the road to add one.'));
    }
    this.el.vehicleList.replaceChildren(...items);
    const listIssues = this.issues.filter((issue) => issue.path === 'traffic.vehicles');
    if (listIssues.length > 0) {
      for (const issue of listIssues) this.el.vehicleList.append(el(doc, 'li', 'field-issue', issue.message));
    }
  }

  private buildVehicleForm(): void {
    const doc = this.doc;
    const i = this.selected;
    const v = this.draft.vehicles[i];
    this.vehicleBindings = [];
    this.formFor = i;
    this.formStale = false;
    if (v === undefined) {
      this.el.vehicleTitle.textContent = 'Selected vehicle';
      this.el.vehicleForm.replaceChildren(el(doc, 'p', 'dim', 'Click a vehicle on the road or in the list.'));
      return;
    }
    this.el.vehicleTitle.textContent = `Selected vehicle #${i}`;
    const at = `traffic.vehicles[${i}]`;
    const list = this.vehicleBindings;
    const kind = this.selectField(
      'kind',
      `${at}.kind`,
      [
        ['cav', 'CAV (agent)'],
        ['hdv', 'HDV (human driver, IDM/MOBIL)'],
      ],
      () => v.kind,
      (value) => setVehicleKind(this.draft, i, value as VehicleKind),
      list,
    );
    const lane = this.selectField(
      'lane',
      `${at}.lane`,
      SCENARIO_LANES.map((id) => [id, LANE_TEXT[id]] as const),
      () => v.lane,
      (value) =>
        moveVehicle(this.draft, i, value as ScenarioLane, typeof v.positionM === 'number' ? v.positionM : 0),
      list,
    );
    const position = this.numberField(
      'position',
      `${at}.positionM`,
      'm',
      () => v.positionM,
      (value) => (v.positionM = value),
      list,
    );
    const speed = this.numberField(
      'speed',
      `${at}.speedMps`,
      'm/s',
      () => v.speedMps,
      (value) => (v.speedMps = value),
      list,
    );
    const priority = this.numberField(
      'priority',
      `${at}.priority`,
      '',
      () => v.priority,
      (value) => (v.priority = value === '' ? null : value),
      list,
    );
    priority.title =
      'CAVs only: all or none, distinct; agents are numbered by increasing priority. Empty: none';
    const remove = this.button('Delete vehicle', 'Remove it (Delete key on the road)');
    remove.id = 'editor-delete-vehicle';
    remove.classList.add('danger');
    remove.addEventListener('click', () => this.deleteSelected());
    this.el.vehicleForm.replaceChildren(kind, lane, position, speed, priority, remove);
    this.showFieldIssues(list);
  }

  private syncKindButtons(): void {
    for (const b of this.el.kindButtons)
      b.setAttribute('aria-pressed', String(b.dataset.kind === this.newKind));
  }

  private showSummary(): void {
    const d = this.draft;
    const cavs = d.vehicles.filter((v) => v.kind === 'cav').length;
    const traffic =
      d.trafficMode === 'density'
        ? `density ${fieldText(d.density)} (random spawns)`
        : `${d.vehicles.length} vehicle${d.vehicles.length === 1 ? '' : 's'}: ${cavs} CAV${cavs === 1 ? '' : 's'} (agents), ${d.vehicles.length - cavs} HDV`;
    const count = this.issues.length;
    this.el.summary.textContent = `${traffic} · ${count === 0 ? 'valid' : `${count} problem${count === 1 ? '' : 's'}`}`;
    this.el.summary.classList.toggle('error', count > 0);
    this.el.file.textContent = `${this.path ?? 'new scenario (not saved)'}${this.dirty ? ' · modified' : ''}`;
  }

  private setStatus(text: string, error = false): void {
    this.el.status.textContent = text;
    this.el.status.classList.toggle('error', error);
  }

  // --- the road: click, drag, delete ---

  private bindCanvas(canvas: HTMLCanvasElement): void {
    const local = (event: PointerEvent | WheelEvent) => {
      const rect = canvas.getBoundingClientRect();
      return { x: event.clientX - rect.left, y: event.clientY - rect.top };
    };
    canvas.addEventListener('pointerdown', (event) => {
      if (event.button !== 0) return;
      canvas.focus();
      const p = local(event);
      const hit = this.draft.trafficMode === 'vehicles' ? this.canvas.vehicleAt(p.x, p.y) : -1;
      if (hit >= 0) {
        this.select(hit);
        this.drag = { index: hit, moved: false };
        canvas.setPointerCapture(event.pointerId);
        return;
      }
      const world = this.canvas.toWorld(p.x, p.y);
      const spot = pickLane(this.road, world.x, world.y);
      if (spot === null) {
        this.drag = { pan: p.x };
        canvas.setPointerCapture(event.pointerId);
        return;
      }
      if (this.draft.trafficMode !== 'vehicles') {
        this.draft.trafficMode = 'vehicles';
        this.setStatus(
          'traffic switched to an explicit vehicle list (the density is kept for switching back)',
        );
      }
      const index = placeVehicle(this.draft, spot.lane, spot.positionM, this.newKind);
      this.selected = index;
      this.formStale = true;
      this.drag = { index, moved: false };
      canvas.setPointerCapture(event.pointerId);
      this.changed();
    });
    canvas.addEventListener('pointermove', (event) => {
      const drag = this.drag;
      if (drag === null) return;
      const p = local(event);
      if ('pan' in drag) {
        this.canvas.pan(p.x - drag.pan);
        drag.pan = p.x;
        return;
      }
      const world = this.canvas.toWorld(p.x, p.y);
      const spot = pickLane(this.road, world.x, world.y, Number.POSITIVE_INFINITY)!;
      moveVehicle(this.draft, drag.index, spot.lane, spot.positionM);
      drag.moved = true;
      this.dirty = true;
      // While dragging: validate and redraw; the panels follow at the end of the drag.
      this.issues = validateDraft(this.draft);
      this.redraw();
    });
    const end = () => {
      if (this.drag !== null && !('pan' in this.drag) && this.drag.moved) this.refresh();
      this.drag = null;
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
    canvas.addEventListener(
      'wheel',
      (event) => {
        event.preventDefault();
        this.canvas.zoom(Math.exp(-event.deltaY * 0.002), local(event).x);
      },
      { passive: false },
    );
    canvas.addEventListener('keydown', (event) => {
      if ((event.key === 'Delete' || event.key === 'Backspace') && this.selected >= 0) {
        event.preventDefault();
        this.deleteSelected();
      } else if (event.key === 'Escape') {
        this.select(-1);
      } else if ((event.key === 'ArrowLeft' || event.key === 'ArrowRight') && this.selected >= 0) {
        // Nudge along the lane: 1 m, 10 m with Shift.
        event.preventDefault();
        const v = this.draft.vehicles[this.selected]!;
        const step = (event.shiftKey ? 10 : 1) * (event.key === 'ArrowLeft' ? -1 : 1);
        moveVehicle(
          this.draft,
          this.selected,
          v.lane,
          (typeof v.positionM === 'number' ? v.positionM : 0) + step,
        );
        this.changed();
      }
    });
  }

  private deleteSelected(): void {
    if (this.selected < 0) return;
    deleteVehicle(this.draft, this.selected);
    this.selected = -1;
    this.formStale = true;
    this.changed();
  }

  private onKey(event: KeyboardEvent): void {
    if (this.root.hidden) return;
    if ((event.ctrlKey || event.metaKey) && event.key === 's') {
      event.preventDefault();
      void this.save(!this.el.save.disabled);
    }
  }

  // --- save and run ---

  private async save(overwrite: boolean): Promise<void> {
    if (this.api === null) return;
    let path: string;
    if (overwrite) {
      if (this.path === null || !this.path.startsWith('runs/')) return;
      path = this.path;
    } else {
      const name = this.el.saveName.value.trim().replace(/\.json$/, '');
      if (name === '') {
        this.setStatus('Save as: type a file name first', true);
        this.el.saveName.focus();
        return;
      }
      path = `runs/scenarios/${name}.json`;
    }
    this.setStatus(`saving ${path}…`);
    try {
      const saved = await this.api.call('scenarios.save', { path, scenario: this.document(), overwrite });
      this.path = saved.path;
      this.dirty = false;
      await this.refreshScenarioList();
      this.showBanner(null);
      this.refresh();
      this.setStatus(`saved ${saved.path}${saved.replaced ? ' (replaced)' : ''}`);
    } catch (error) {
      this.setStatus(`not saved: ${(error as Error).message}`, true);
    }
  }

  /** Lists the models: baselines, then the trained runs (with their agent count). */
  private async refreshModels(): Promise<void> {
    if (this.api === null) return;
    const { baselines, runs } = await this.api.call('sim.models', {});
    this.runs = runs;
    const select = this.el.model;
    const trained = el(this.doc, 'optgroup');
    trained.label = 'Trained (STEER, greedy)';
    for (const run of runs) {
      const option = new Option(
        `${run.path} · ${run.agents} CAVs`,
        JSON.stringify({ kind: 'run', path: run.path }),
      );
      option.title = `trained on ${run.scenario} (${run.env}); plays scenarios with exactly ${run.agents} CAVs`;
      trained.append(option);
    }
    const scripted = el(this.doc, 'optgroup');
    scripted.label = 'Baselines (spec/horm.md App. B)';
    for (const policy of baselines) {
      scripted.append(new Option(`baseline: ${policy}`, JSON.stringify({ kind: 'baseline', policy })));
    }
    select.replaceChildren(...(runs.length > 0 ? [trained] : []), scripted);
    this.syncModels();
    this.showProblems();
  }

  /**
   * Marks the trained runs that cannot play the draft (another number of CAVs) and, until the
   * user picks a model, selects the first run that can, else (when the selected one cannot) the
   * merge baseline.
   */
  private syncModels(): void {
    const d = this.draft;
    const cavs =
      d.trafficMode === 'density'
        ? typeof d.density === 'number'
          ? d.density + 1
          : -1
        : d.vehicles.filter((v) => v.kind === 'cav').length;
    const options = Array.from(this.el.model.options);
    this.runs.forEach((run, i) => {
      const option = options[i];
      if (option === undefined) return;
      const fits = run.agents === cavs;
      option.textContent = `${run.path} · ${run.agents} CAVs${fits ? '' : ` (this scenario has ${cavs < 0 ? '?' : cavs})`}`;
      option.dataset.fits = String(fits);
    });
    if (this.modelChosen) return;
    const fitting = options.find((o) => o.dataset.fits === 'true');
    const selected = this.el.model.selectedOptions[0];
    if (fitting !== undefined) this.el.model.value = fitting.value;
    else if (selected?.dataset.fits === 'false') {
      this.el.model.value = JSON.stringify({ kind: 'baseline', policy: 'merge' });
    }
  }

  private async run(): Promise<void> {
    if (this.api === null) return;
    const model = JSON.parse(this.el.model.value) as SimModel;
    const seedText = this.el.seed.value.trim();
    const seed = seedText === '' ? undefined : Number(seedText);
    if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed <= 2 ** 32 - 1)) {
      this.setStatus(`Run: seed: expected an integer in [0, 4294967295], received "${seedText}"`, true);
      return;
    }
    const record = this.el.record.checked;
    const { run } = this.el;
    run.disabled = true;
    this.setStatus('simulating…');
    const who = model.kind === 'baseline' ? model.policy : model.path;
    try {
      // Live: the player shows the episode as the host simulates it (liveRun.ts).
      const request = { scenario: this.document(), model, record, ...(seed === undefined ? {} : { seed }) };
      let target: LiveReplayTarget | null = null;
      try {
        const { result, bytes } = await playLive(this.api, request, {
          started: () => {
            target = this.host.showLiveReplay(`${this.draft.name} · ${who} · simulating`);
          },
          show: (snapshot) => target?.show(snapshot),
        });
        this.setStatus(
          `played ${result.steps} steps with ${who}, seed ${result.seed}${result.crashed ? ', a CAV crashed' : ''}${result.path === null ? '' : ` · recorded ${result.path}`}`,
        );
        const label = result.path ?? `${this.draft.name} · ${who} · seed ${result.seed} (not recorded)`;
        await (target as LiveReplayTarget | null)?.finish(bytes, label, result.path !== null);
      } catch (error) {
        (target as LiveReplayTarget | null)?.fail((error as Error).message);
        throw error;
      }
    } catch (error) {
      this.setStatus(`Run: ${(error as Error).message}`, true);
    } finally {
      this.showProblems();
    }
  }
}
