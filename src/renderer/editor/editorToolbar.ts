/**
 * The editor's toolbar: the scenario list, Save / Save as, Import… / Export (local files), then the
 * Run controls (model, seed, record, ▶ Run). It holds the controls and their state (which trained
 * runs fit the draft, whether the user picked a model); the editor does what they ask.
 */

import type { ApiRequest, ApiResponse } from '../../shared/api/contract.js';
import { el } from '../ui/dom.js';
import { button, label } from './editorDom.js';
import { draftCavCount, RUN_TITLE, runReadiness } from './runReadiness.js';
import type { ScenarioDraft } from './scenarioDraft.js';

/** Value of the scenario select for a new, blank scenario. */
export const BLANK = '';

/** A model choice of `sim.run`. */
export type SimModel = ApiRequest<'sim.run'>['model'];

/** What the toolbar's controls ask of the editor. */
export interface ToolbarActions {
  /** A scenario was picked in the list (BLANK: a new one). */
  pick(path: string): void;
  /** Save (`overwrite`: over the open file) or Save as (under the typed name). */
  save(overwrite: boolean): void;
  /** A local file was picked with Import…. */
  importFile(file: File): void;
  /** Export was clicked. */
  exportFile(): void;
  /** ▶ Run was clicked. */
  run(): void;
}

/** The toolbar and its controls. */
export class EditorToolbar {
  readonly element: HTMLElement;
  readonly scenarioList: HTMLSelectElement;
  readonly save: HTMLButtonElement;
  readonly saveName: HTMLInputElement;
  readonly saveAs: HTMLButtonElement;
  readonly model: HTMLSelectElement;
  readonly seed: HTMLInputElement;
  readonly record: HTMLInputElement;
  readonly run: HTMLButtonElement;
  /** The trained runs sim.run can play, and whether the user picked a model (then it is kept). */
  private runs: ApiResponse<'sim.models'>['runs'] = [];
  private modelChosen = false;
  /** The draft's CAVs (draftCavCount) and what else Run waits for, as last shown. */
  private cavs = -1;
  private readiness = { issueCount: 0, connected: false };

  constructor(
    private readonly doc: Document,
    actions: ToolbarActions,
  ) {
    const files = fileControls(doc, actions);
    const run = runControls(doc, actions, () => {
      this.modelChosen = true;
      this.showRunReadiness();
    });
    this.element = el(doc, 'header', 'toolbar editor-toolbar');
    this.element.append(
      label(doc, 'Scenario', files.scenarioList),
      files.scenarioList,
      files.save,
      files.saveName,
      files.saveAs,
      files.importButton,
      files.importFile,
      files.exportButton,
      el(doc, 'span', 'separator'),
      label(doc, 'Model', run.model),
      run.model,
      label(doc, 'Seed', run.seed),
      run.seed,
      run.recordLabel,
      run.run,
    );
    this.scenarioList = files.scenarioList;
    this.save = files.save;
    this.saveName = files.saveName;
    this.saveAs = files.saveAs;
    this.model = run.model;
    this.seed = run.seed;
    this.record = run.record;
    this.run = run.run;
  }

  /** Lists the scenarios (bundled, then the user's) after a blank one; selects `path`. */
  listScenarios(listing: ApiResponse<'scenarios.list'>, path: string | null): void {
    const { scenarios, userDir } = listing;
    const list = this.scenarioList;
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
    list.value = path ?? BLANK;
  }

  /** Lists the models: baselines, then the trained runs (with their agent count); then syncs them to `draft`. */
  listModels(models: ApiResponse<'sim.models'>, draft: ScenarioDraft): void {
    const { baselines, runs } = models;
    this.runs = runs;
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
    scripted.label = 'Baselines (docs/spec/horm.md App. B)';
    for (const policy of baselines) {
      scripted.append(new Option(`baseline: ${policy}`, JSON.stringify({ kind: 'baseline', policy })));
    }
    this.model.replaceChildren(...(runs.length > 0 ? [trained] : []), scripted);
    this.syncModels(draft);
  }

  /**
   * Marks the trained runs that cannot play the draft (another number of CAVs) and, until the
   * user picks a model, selects the first run that can, else (when the selected one cannot) the
   * merge baseline.
   */
  syncModels(d: ScenarioDraft): void {
    const cavs = draftCavCount(d);
    this.cavs = cavs;
    const options = Array.from(this.model.options);
    this.runs.forEach((run, i) => {
      const option = options[i];
      if (option === undefined) return;
      const fits = run.agents === cavs;
      option.textContent = `${run.path} · ${run.agents} CAVs${fits ? '' : ` (this scenario has ${cavs < 0 ? '?' : cavs})`}`;
      option.dataset.fits = String(fits);
    });
    if (!this.modelChosen) {
      const fitting = options.find((o) => o.dataset.fits === 'true');
      const selected = this.model.selectedOptions[0];
      if (fitting !== undefined) this.model.value = fitting.value;
      else if (selected?.dataset.fits === 'false') {
        this.model.value = JSON.stringify({ kind: 'baseline', policy: 'merge' });
      }
    }
    this.showRunReadiness();
  }

  /** The model picked for Run. */
  selectedModel(): SimModel {
    return JSON.parse(this.model.value) as SimModel;
  }

  /** Enables Run as runReadiness allows, its tooltip saying why not (a model of another CAV count). */
  private showRunReadiness(): void {
    const model = this.model.value === '' ? null : this.selectedModel();
    const { disabled, title } = runReadiness({ ...this.readiness, model, runs: this.runs, cavs: this.cavs });
    this.run.disabled = disabled;
    this.run.title = title;
  }

  /**
   * Enables Save, Save as and Run as the draft allows: no problems (`issueCount`), Save only over
   * a file of the user's (`path` under runs/), Run only with an API and a model that fits
   * (runReadiness.ts).
   */
  showReadiness(issueCount: number, path: string | null, connected: boolean): void {
    const { save, saveAs } = this;
    const count = issueCount;
    const why = count === 0 ? '' : ` (fix the ${count} problem${count === 1 ? '' : 's'} first)`;
    save.disabled = count > 0 || path === null || !path.startsWith('runs/');
    save.title = `Save over ${path ?? 'the open file'}${path?.startsWith('runs/') ? '' : ' (your scenarios only: use Save as)'}${why}`;
    saveAs.disabled = count > 0;
    saveAs.title = `Save under runs/scenarios/<name>.json${why}`;
    this.readiness = { issueCount: count, connected };
    this.showRunReadiness();
  }
}

// --- building the controls ---

/**
 * The file controls: the scenario list, Save, the save name and Save as, and Import… (a hidden
 * file input stands behind it) and Export for local files (scenarioFile.ts).
 */
function fileControls(doc: Document, actions: ToolbarActions) {
  const scenarioList = el(doc, 'select');
  scenarioList.id = 'editor-scenario-list';
  scenarioList.title = 'Open a scenario';
  scenarioList.append(new Option('New blank scenario', BLANK));
  scenarioList.disabled = true;
  scenarioList.addEventListener('change', () => actions.pick(scenarioList.value));
  const save = button(doc, 'Save', 'Save over the open file (your scenarios only)');
  save.id = 'editor-save';
  save.addEventListener('click', () => actions.save(true));
  const saveName = el(doc, 'input', 'name-input');
  saveName.id = 'editor-save-name';
  saveName.type = 'text';
  saveName.placeholder = 'file name';
  saveName.spellcheck = false;
  saveName.title = 'File name under runs/scenarios/ (letters, digits, ".", "_", "-")';
  saveName.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') actions.save(false);
  });
  const saveAs = button(doc, 'Save as', 'Save under runs/scenarios/<name>.json');
  saveAs.id = 'editor-save-as';
  saveAs.addEventListener('click', () => actions.save(false));
  const importFile = el(doc, 'input');
  importFile.id = 'editor-import-file';
  importFile.type = 'file';
  importFile.accept = '.json,application/json';
  importFile.hidden = true;
  importFile.addEventListener('change', () => {
    const picked = importFile.files?.[0];
    importFile.value = ''; // picking the same file again fires change again
    if (picked !== undefined) actions.importFile(picked);
  });
  const importButton = button(doc, 'Import…', 'Open a scenario .json file from this computer');
  importButton.id = 'editor-import';
  importButton.addEventListener('click', () => importFile.click());
  const exportButton = button(doc, 'Export', 'Download the scenario as a .json file');
  exportButton.id = 'editor-export';
  exportButton.addEventListener('click', () => actions.exportFile());
  return { scenarioList, save, saveName, saveAs, importFile, importButton, exportButton };
}

/** The Run controls: model, seed, record and ▶ Run; `modelPicked` is called when the user picks a model. */
function runControls(doc: Document, actions: ToolbarActions, modelPicked: () => void) {
  const model = el(doc, 'select');
  model.id = 'editor-model';
  model.title = 'What drives the CAVs';
  model.addEventListener('change', modelPicked);
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
  recordLabel.title = 'Also write the replay to runs/replays/editor/ (it then appears in the player’s list)';
  const run = button(doc, '▶ Run', RUN_TITLE);
  run.id = 'editor-run';
  run.classList.add('primary');
  run.addEventListener('click', () => actions.run());
  return { model, seed, recordLabel, record, run };
}
