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
 * the open file): the toolbar (editorToolbar.ts), the road area and its input (roadViewport.ts,
 * editorCanvas.ts, roadInput.ts), the field panels (scenarioPanels.ts over fieldForm.ts), the
 * vehicle list and form (vehiclePanel.ts), the problem lists (problemsPanel.ts), the footer
 * (editorFooter.ts, its text in editorText.ts), the files (editorFiles.ts) and Run (editorRun.ts).
 * The DOM is built by the parts (index.html holds only the empty #editor-view), without inline styles.
 */

import type { ScenarioIssue } from '../../core/scenario/index.js';
import type { SteerApi } from '../../shared/api/contract.js';
import { el } from '../ui/dom.js';
import { canvasVehicles, EditorCanvas } from './editorCanvas.js';
import { EditorFiles, type OpenFile } from './editorFiles.js';
import { EditorFooter } from './editorFooter.js';
import { type EditorHost, playInPlayer, runSeed } from './editorRun.js';
import { fileText, saveNameOf, summaryText, vehicleOfPath } from './editorText.js';
import { BLANK, EditorToolbar } from './editorToolbar.js';
import { FieldForm, showFieldIssues } from './fieldForm.js';
import { type EditorRoad, editorRoad } from './laneGeometry.js';
import { ProblemsPanel } from './problemsPanel.js';
import { bindRoadInput } from './roadInput.js';
import { RoadViewport } from './roadViewport.js';
import {
  blankDraft,
  deleteVehicle,
  draftToDocument,
  moveVehicle,
  placeVehicle,
  type ScenarioDraft,
  usableRoad,
  type VehicleKind,
  validateDraft,
} from './scenarioDraft.js';
import { buildScenarioPanels, type ScenarioPanels } from './scenarioPanels.js';
import { VehiclePanel } from './vehiclePanel.js';

export type { EditorHost, LiveReplayTarget } from './editorRun.js';

/** The editor bound to its root element. */
export class EditorView {
  private api: SteerApi | null = null;
  private draft: ScenarioDraft = blankDraft();
  private issues: ScenarioIssue[] = [];
  private selected = -1;
  /** The file the draft came from (null: new), and whether it was changed since. */
  private readonly file: OpenFile = { path: null, dirty: false };
  private newKind: VehicleKind = 'cav';
  private road: EditorRoad;
  /** Fit the whole road in view at the next redraw (a scenario was loaded). */
  private refit = true;
  private readonly viewport: RoadViewport;
  private readonly canvas: EditorCanvas;
  private readonly toolbar: EditorToolbar;
  private readonly fields: FieldForm;
  private readonly vehicles: VehiclePanel;
  private readonly problems: ProblemsPanel;
  private readonly panels: ScenarioPanels;
  private readonly footer: EditorFooter;
  private readonly files: EditorFiles;

  constructor(
    private readonly doc: Document,
    readonly root: HTMLElement,
    private readonly host: EditorHost,
  ) {
    this.road = editorRoad(usableRoad(this.draft.road));
    this.viewport = new RoadViewport(doc, {
      pickKind: (kind) => {
        this.newKind = kind;
        this.viewport.showKind(kind);
      },
      fit: () => {
        this.canvas.fit();
        this.canvas.draw();
      },
    });
    this.canvas = new EditorCanvas(this.viewport.canvas);
    this.toolbar = new EditorToolbar(doc, {
      pick: (path) => this.files.pick(path),
      save: (overwrite) => void this.files.save(overwrite),
      importFile: (file) => void this.files.importLocal(file),
      exportFile: () => this.files.exportLocal(),
      run: () => void this.run(),
    });
    this.fields = new FieldForm(doc, (roadChanged) => this.changed(roadChanged));
    this.vehicles = new VehiclePanel(doc, this.fields, {
      select: (index) => this.select(index),
      deleteSelected: () => this.deleteSelected(),
    });
    this.problems = new ProblemsPanel(doc, (path) => this.reveal(path));
    this.footer = new EditorFooter(doc);
    this.files = new EditorFiles(doc, this.file, this.toolbar, this.problems, {
      api: () => this.api,
      draft: () => this.draft,
      issueCount: () => this.issues.length,
      load: (draft, path) => this.load(draft, path),
      refresh: () => this.refresh(),
      setStatus: (text, error) => this.footer.setStatus(text, error),
    });
    this.panels = this.build();
    new ResizeObserver(() => this.canvas.resize()).observe(this.viewport.element);
    this.bindRoad();
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
    await this.files.refreshList();
  }

  /** Opens a scenario file from the list (or a blank scenario for BLANK). */
  async open(path: string): Promise<void> {
    await this.files.open(path);
  }

  // --- building the DOM ---

  /** Puts the parts in the root: toolbar; the road and the side panel; the footer. */
  private build(): ScenarioPanels {
    const doc = this.doc;
    const workspace = el(doc, 'main', 'workspace editor-workspace');
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
    workspace.append(this.viewport.element, side);
    this.root.replaceChildren(this.toolbar.element, workspace, this.footer.element);
    this.doc.addEventListener('keydown', (event) => this.onKey(event));
    return panels;
  }

  private onKey(event: KeyboardEvent): void {
    if (this.root.hidden) return;
    if ((event.ctrlKey || event.metaKey) && event.key === 's') {
      event.preventDefault();
      void this.files.save(!this.toolbar.save.disabled);
    }
  }

  // --- the road: click, drag, delete (roadInput.ts) ---

  private bindRoad(): void {
    bindRoadInput(this.viewport.canvas, this.canvas, {
      draft: () => this.draft,
      road: () => this.road,
      selected: () => this.selected,
      select: (index) => this.select(index),
      place: (lane, positionM) => {
        if (this.draft.trafficMode !== 'vehicles') {
          this.draft.trafficMode = 'vehicles';
          this.footer.setStatus(
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
        this.file.dirty = true;
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

  // --- run ---

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
      this.footer.setStatus(
        `Run: seed: expected an integer in [0, 4294967295], received "${seedText}"`,
        true,
      );
      return;
    }
    const record = this.toolbar.record.checked;
    this.toolbar.run.disabled = true;
    try {
      await playInPlayer(
        this.api,
        this.host,
        { scenario: this.document(), name: () => this.draft.name, model, seed, record },
        (text, error) => this.footer.setStatus(text, error),
      );
    } finally {
      this.showProblems();
    }
  }

  // --- state changes ---

  /** Replaces the draft (a file opened, or a blank one). */
  private load(draft: ScenarioDraft, path: string | null): void {
    this.draft = draft;
    this.file.path = path;
    this.file.dirty = false;
    this.selected = -1;
    this.toolbar.scenarioList.value = path ?? BLANK;
    this.toolbar.saveName.value = saveNameOf(path);
    this.toolbar.seed.value = '';
    this.road = editorRoad(usableRoad(draft.road));
    this.refit = true;
    this.vehicles.markStale();
    this.refresh();
  }

  /** After an edit: revalidate and redraw; `roadChanged` rebuilds the geometry. */
  private changed(roadChanged = false): void {
    this.file.dirty = true;
    if (roadChanged) this.road = editorRoad(usableRoad(this.draft.road, this.road.lengths));
    this.refresh();
  }

  /** Validates the draft and brings every part of the view up to date. */
  private refresh(): void {
    this.issues = validateDraft(this.draft);
    if (this.selected >= this.draft.vehicles.length) this.selected = -1;
    for (const binding of this.fields.bindings) binding.sync();
    const density = this.draft.trafficMode === 'density';
    this.panels.densityRow.hidden = !density;
    this.vehicles.section.hidden = this.draft.trafficMode !== 'vehicles';
    this.viewport.showDensityNote(density);
    showFieldIssues(this.fields.bindings, this.issues);
    this.showProblems();
    this.vehicles.update(this.draft, this.issues, this.selected);
    this.viewport.showKind(this.newKind);
    this.toolbar.syncModels(this.draft);
    this.redraw();
    this.footer.showDraft(
      summaryText(this.draft, this.issues.length),
      this.issues.length > 0,
      fileText(this.file.path, this.file.dirty),
    );
  }

  private redraw(): void {
    this.canvas.update(this.road, canvasVehicles(this.draft, this.issues), this.selected, this.refit);
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
    this.toolbar.showReadiness(this.issues.length, this.file.path, this.api !== null);
  }

  /** Scrolls to and focuses the control of an issue's path (selecting its vehicle first). */
  private reveal(path: string): void {
    const vehicle = vehicleOfPath(path);
    if (vehicle !== null) this.select(vehicle);
    const binding = [...this.fields.bindings, ...this.vehicles.bindings].find((b) => b.path === path);
    binding?.input.focus();
    binding?.input.scrollIntoView({ block: 'nearest' });
  }
}
