/**
 * The scenario editor (docs/app.md "Scenario editor"): a top-down view of the road where a click
 * on a lane places a vehicle, a drag moves it along or between lanes and Delete removes it; a side
 * panel with every field of the scenario file, the vehicle list and the selected vehicle; live
 * validation with the core validator (the messages `steer scenario validate` prints, shown beside
 * the fields they concern and listed under Problems); open and save through the API
 * (`scenarios.*`), and Run, which plays one episode with a model (`sim.start`, live) and shows it
 * in the player as it is simulated.
 *
 * This file composes the parts and owns the editor's state (the draft, its issues, the selection,
 * the open file): the toolbar (editorToolbar.ts), the road and its input (editorCanvas.ts,
 * roadInput.ts), the field panels (scenarioPanels.ts over fieldForm.ts), the vehicle list and
 * form (vehiclePanel.ts), the problem lists (problemsPanel.ts) and Run (editorRun.ts).
 * The DOM is built here and there (index.html holds only the empty #editor-view), without inline styles.
 */

import type { ScenarioIssue } from '../../core/scenario/index.js';
import type { SteerApi } from '../../shared/api/contract.js';
import { HDV_COLOUR_HEX, rankColourHex } from '../scene/palette.js';
import { swatch } from '../ui/dom.js';
import { type CanvasVehicle, EditorCanvas } from './editorCanvas.js';
import { button, el } from './editorDom.js';
import { type EditorHost, playInPlayer, runSeed } from './editorRun.js';
import { BLANK, EditorToolbar } from './editorToolbar.js';
import { FieldForm, fieldText, showFieldIssues } from './fieldForm.js';
import { type EditorRoad, editorRoad } from './laneGeometry.js';
import { ProblemsPanel } from './problemsPanel.js';
import { bindRoadInput } from './roadInput.js';
import {
  agentNumbers,
  blankDraft,
  deleteVehicle,
  draftFromDocument,
  draftToDocument,
  issuesUnder,
  moveVehicle,
  placeVehicle,
  type ScenarioDraft,
  usableRoad,
  type VehicleKind,
  validateDraft,
} from './scenarioDraft.js';
import { downloadScenario, exportFileName, importScenarioFile } from './scenarioFile.js';
import { buildScenarioPanels } from './scenarioPanels.js';
import { VehiclePanel } from './vehiclePanel.js';

export type { EditorHost, LiveReplayTarget } from './editorRun.js';

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
  /** Fit the whole road in view at the next redraw (a scenario was loaded). */
  private refit = true;
  private readonly canvas: EditorCanvas;
  private readonly toolbar: EditorToolbar;
  private readonly fields: FieldForm;
  private readonly vehicles: VehiclePanel;
  private readonly problems: ProblemsPanel;
  private readonly el: {
    status: HTMLElement;
    viewport: HTMLElement;
    densityRow: HTMLElement;
    densityNote: HTMLElement;
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
    this.toolbar = new EditorToolbar(doc, {
      pick: (path) => {
        if (this.dirty && !window.confirm('Discard the changes to the open scenario?')) {
          this.toolbar.scenarioList.value = this.path ?? BLANK;
          return;
        }
        void this.open(path);
      },
      save: (overwrite) => void this.save(overwrite),
      importFile: (file) => void this.importLocal(file),
      exportFile: () => this.exportLocal(),
      run: () => void this.run(),
    });
    this.fields = new FieldForm(doc, (roadChanged) => this.changed(roadChanged));
    this.vehicles = new VehiclePanel(doc, this.fields, {
      select: (index) => this.select(index),
      deleteSelected: () => this.deleteSelected(),
    });
    this.problems = new ProblemsPanel(doc, (path) => this.reveal(path));
    this.el = this.build(canvasElement);
    new ResizeObserver(() => this.canvas.resize()).observe(this.el.viewport);
    this.bindRoad(canvasElement);
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
    const listing = await this.api.call('scenarios.list', {});
    this.toolbar.listScenarios(listing, this.path);
  }

  /** Opens a scenario file from the list (or a blank scenario for BLANK). */
  async open(path: string): Promise<void> {
    if (path === BLANK) {
      this.load(blankDraft(), null);
      this.problems.showBanner(null);
      this.setStatus('new blank scenario: click a lane to add vehicles');
      return;
    }
    if (this.api === null) return;
    this.setStatus(`opening ${path}…`);
    try {
      const file = await this.api.call('scenarios.open', { path });
      if (file.issues.length === 0 && file.document !== null) {
        this.load(draftFromDocument(file.document), path);
        this.problems.showBanner(null);
        this.setStatus(
          `${path}${file.source === 'bundled' ? ' (bundled, read-only: Save as… to keep changes)' : ''}`,
        );
        return;
      }
      this.problems.showBanner(file);
      if (file.document !== null) {
        // Load what the file has, so the problems can be fixed here; Save writes a fixed copy.
        this.load(draftFromDocument(file.document), path);
        this.setStatus(
          `${path}: ${file.issues.length} problem${file.issues.length === 1 ? '' : 's'} in the file`,
          true,
        );
      } else {
        this.toolbar.scenarioList.value = this.path ?? BLANK;
        this.setStatus(`${path} cannot be loaded: it is not a JSON object`, true);
      }
    } catch (error) {
      this.toolbar.scenarioList.value = this.path ?? BLANK;
      this.setStatus(`cannot open ${path}: ${(error as Error).message}`, true);
    }
  }

  // --- building the DOM ---

  private build(canvasElement: HTMLCanvasElement) {
    const doc = this.doc;
    // Workspace: the road, and the side panel.
    const workspace = el(doc, 'main', 'workspace editor-workspace');
    const viewport = el(doc, 'div', 'editor-viewport');
    const palette = el(doc, 'div', 'overlay editor-palette');
    const kindButtons = (['cav', 'hdv'] as const).map((kind) => {
      const b = button(
        doc,
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
    const fit = button(doc, 'Fit', 'Whole road in view');
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
    const panels = buildScenarioPanels(doc, this.fields, () => this.draft, this.vehicles.section);
    side.append(
      this.problems.banner,
      this.problems.section,
      panels.scenario,
      panels.traffic,
      panels.road,
      panels.reward,
    );
    workspace.append(viewport, side);

    const footer = el(doc, 'footer', 'transport editor-footer');
    const file = el(doc, 'span', 'counter');
    file.id = 'editor-file';
    const status = el(doc, 'span', 'status');
    status.id = 'editor-status';
    status.setAttribute('role', 'status');
    const summary = el(doc, 'span', 'counter');
    summary.id = 'editor-summary';
    footer.append(file, status, summary);
    this.root.replaceChildren(this.toolbar.element, workspace, footer);
    this.doc.addEventListener('keydown', (event) => this.onKey(event));

    return {
      status,
      viewport,
      densityRow: panels.densityRow,
      densityNote,
      kindButtons,
      summary,
      file,
    };
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

  // --- the road: click, drag, delete (roadInput.ts) ---

  private bindRoad(canvasElement: HTMLCanvasElement): void {
    bindRoadInput(canvasElement, this.canvas, {
      draft: () => this.draft,
      road: () => this.road,
      selected: () => this.selected,
      select: (index) => this.select(index),
      place: (lane, positionM) => {
        if (this.draft.trafficMode !== 'vehicles') {
          this.draft.trafficMode = 'vehicles';
          this.setStatus(
            'traffic switched to an explicit vehicle list (the density is kept for switching back)',
          );
        }
        const index = placeVehicle(this.draft, lane, positionM, this.newKind);
        this.selected = index;
        this.vehicles.markStale();
        return index;
      },
      dragTo: (index, lane, positionM) => {
        moveVehicle(this.draft, index, lane, positionM);
        this.dirty = true;
        // While dragging: validate and redraw; the panels follow at the end of the drag.
        this.issues = validateDraft(this.draft);
        this.redraw();
      },
      dragged: () => this.refresh(),
      nudge: (stepM) => this.nudge(stepM),
      deleteSelected: () => this.deleteSelected(),
      changed: () => this.changed(),
    });
  }

  /** Moves the selected vehicle along its lane by `stepM` [m]. */
  private nudge(stepM: number): void {
    const v = this.draft.vehicles[this.selected]!;
    moveVehicle(
      this.draft,
      this.selected,
      v.lane,
      (typeof v.positionM === 'number' ? v.positionM : 0) + stepM,
    );
    this.changed();
  }

  private deleteSelected(): void {
    if (this.selected < 0) return;
    deleteVehicle(this.draft, this.selected);
    this.selected = -1;
    this.vehicles.markStale();
    this.changed();
  }

  private onKey(event: KeyboardEvent): void {
    if (this.root.hidden) return;
    if ((event.ctrlKey || event.metaKey) && event.key === 's') {
      event.preventDefault();
      void this.save(!this.toolbar.save.disabled);
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
      const name = this.toolbar.saveName.value.trim().replace(/\.json$/, '');
      if (name === '') {
        this.setStatus('Save as: type a file name first', true);
        this.toolbar.saveName.focus();
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
      this.problems.showBanner(null);
      this.refresh();
      this.setStatus(`saved ${saved.path}${saved.replaced ? ' (replaced)' : ''}`);
    } catch (error) {
      this.setStatus(`not saved: ${(error as Error).message}`, true);
    }
  }

  /** Lists the models: baselines, then the trained runs (with their agent count). */
  private async refreshModels(): Promise<void> {
    if (this.api === null) return;
    const models = await this.api.call('sim.models', {});
    this.toolbar.listModels(models, this.draft);
    this.showProblems();
  }

  private async run(): Promise<void> {
    if (this.api === null) return;
    const model = this.toolbar.selectedModel();
    const seedText = this.toolbar.seed.value.trim();
    const seed = runSeed(seedText);
    if (seed === null) {
      this.setStatus(`Run: seed: expected an integer in [0, 4294967295], received "${seedText}"`, true);
      return;
    }
    const record = this.toolbar.record.checked;
    this.toolbar.run.disabled = true;
    try {
      await playInPlayer(
        this.api,
        this.host,
        { scenario: this.document(), name: () => this.draft.name, model, seed, record },
        (text, error) => this.setStatus(text, error),
      );
    } finally {
      this.showProblems();
    }
  }

  // --- local files: Import and Export (scenarioFile.ts) ---

  /** Loads a picked local file; one that does not validate shows its problems as a listed file does. */
  private async importLocal(file: File): Promise<void> {
    if (this.dirty && !window.confirm('Discard the changes to the open scenario?')) return;
    const imported = await importScenarioFile(file);
    const name = imported.fileName;
    const count = imported.issues.length;
    this.problems.showBanner(
      count === 0 ? null : { path: name, issues: [...imported.issues], document: imported.document },
    );
    if (imported.document === null) {
      this.setStatus(`${name} cannot be loaded: ${imported.issues[0]?.message ?? 'not a JSON object'}`, true);
      return;
    }
    this.load(draftFromDocument(imported.document), null);
    this.toolbar.saveName.value = exportFileName(name).replace(/\.json$/, '');
    this.setStatus(
      count === 0
        ? `imported ${name} (not in the project yet: Save as… keeps it)`
        : `${name}: ${count} problem${count === 1 ? '' : 's'} in the file (imported)`,
      count > 0,
    );
  }

  /** Downloads the scenario as the editor holds it, named after the save name or the open file. */
  private exportLocal(): void {
    const base = this.toolbar.saveName.value.trim() || this.path?.split('/').pop() || this.draft.name;
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
    this.toolbar.scenarioList.value = path ?? BLANK;
    const name = path
      ?.split('/')
      .pop()
      ?.replace(/\.json$/, '');
    this.toolbar.saveName.value = name !== undefined && path?.startsWith('runs/') ? name : '';
    this.toolbar.seed.value = '';
    this.road = editorRoad(usableRoad(draft.road));
    this.refit = true;
    this.vehicles.markStale();
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
    for (const binding of this.fields.bindings) binding.sync();
    this.el.densityRow.hidden = this.draft.trafficMode !== 'density';
    this.vehicles.section.hidden = this.draft.trafficMode !== 'vehicles';
    this.el.densityNote.hidden = this.draft.trafficMode !== 'density';
    showFieldIssues(this.fields.bindings, this.issues);
    this.showProblems();
    this.vehicles.update(this.draft, this.issues, this.selected);
    this.syncKindButtons();
    this.toolbar.syncModels(this.draft);
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
    this.vehicles.showSelection(this.draft, this.issues, this.selected);
    this.redraw();
  }

  // --- problems ---

  /** Lists the issues and enables Save, Save as and Run as they allow. */
  private showProblems(): void {
    this.problems.show(this.issues);
    this.toolbar.showReadiness(this.issues.length, this.path, this.api !== null);
  }

  /** Scrolls to and focuses the control of an issue's path (selecting its vehicle first). */
  private reveal(path: string): void {
    const vehicle = /^traffic\.vehicles\[(\d+)\]/.exec(path);
    if (vehicle !== null) this.select(Number(vehicle[1]));
    const binding = [...this.fields.bindings, ...this.vehicles.bindings].find((b) => b.path === path);
    binding?.input.focus();
    binding?.input.scrollIntoView({ block: 'nearest' });
  }
}
