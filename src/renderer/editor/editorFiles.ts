/**
 * The editor's files: the scenario list, Open (a listed file or a blank scenario), Save over the
 * open file, Save as under runs/scenarios/, and the local files of Import… and Export
 * (scenarioFile.ts). A file that does not validate opens with its problems in the banner and, when
 * it is a JSON object, loads so they can be fixed. The status lines are in editorText.ts.
 */
import type { SteerApi } from '../../shared/api/contract.js';
import { userMessage } from '../ui/userMessage.js';
import type { SetStatus } from './editorRun.js';
import {
  exportedStatus,
  fileProblemsStatus,
  importedStatus,
  isUserFile,
  openedStatus,
  saveAsPath,
} from './editorText.js';
import { BLANK, type EditorToolbar } from './editorToolbar.js';
import type { ProblemsPanel } from './problemsPanel.js';
import { blankDraft, draftFromDocument, draftToDocument, type ScenarioDraft } from './scenarioDraft.js';
import { downloadScenario, exportFileName, importScenarioFile, NOT_AN_OBJECT_TEXT } from './scenarioFile.js';

/** The file the draft came from (null: a new one), and whether the draft changed since. */
export interface OpenFile {
  path: string | null;
  dirty: boolean;
}

/** What the file actions need of the editor. */
export interface FileEditing {
  api(): SteerApi | null;
  draft(): ScenarioDraft;
  /** Problems the draft has now. */
  issueCount(): number;
  /** Replaces the draft (a file opened or imported, or a blank one), read from `path` (null: none). */
  load(draft: ScenarioDraft, path: string | null): void;
  /** Brings every part of the view up to date. */
  refresh(): void;
  setStatus: SetStatus;
}

/** Asked before the draft's changes are thrown away. */
const DISCARD_QUESTION = 'Discard the changes to the open scenario?';

/** Open, Save, Save as, Import and Export. */
export class EditorFiles {
  constructor(
    private readonly doc: Document,
    /** The open file: the editor's, updated here when a file is saved. */
    private readonly file: OpenFile,
    private readonly toolbar: EditorToolbar,
    private readonly problems: ProblemsPanel,
    private readonly editing: FileEditing,
  ) {}

  /** Re-reads the scenario list (keeps the selection). */
  async refreshList(): Promise<void> {
    const api = this.editing.api();
    if (api === null) return;
    const listing = await api.call('scenarios.list', {});
    this.toolbar.listScenarios(listing, this.file.path);
  }

  /** A scenario was picked in the list: opens it unless the user keeps the changes. */
  pick(path: string): void {
    if (this.file.dirty && !window.confirm(DISCARD_QUESTION)) {
      this.toolbar.scenarioList.value = this.file.path ?? BLANK;
      return;
    }
    void this.open(path);
  }

  /** Opens a scenario file from the list (or a blank scenario for BLANK). */
  async open(path: string): Promise<void> {
    const { editing } = this;
    if (path === BLANK) {
      editing.load(blankDraft(), null);
      this.problems.showBanner(null);
      editing.setStatus('new blank scenario: click a lane to add vehicles');
      return;
    }
    const api = editing.api();
    if (api === null) return;
    editing.setStatus(`opening ${path}…`);
    try {
      const file = await api.call('scenarios.open', { path });
      if (file.issues.length === 0 && file.document !== null) {
        editing.load(draftFromDocument(file.document), path);
        this.problems.showBanner(null);
        editing.setStatus(openedStatus(path, file.source));
        return;
      }
      this.problems.showBanner(file);
      if (file.document !== null) {
        // Load what the file has, so the problems can be fixed here; Save writes a fixed copy.
        editing.load(draftFromDocument(file.document), path);
        editing.setStatus(fileProblemsStatus(path, file.issues.length), true);
      } else {
        this.toolbar.scenarioList.value = this.file.path ?? BLANK;
        editing.setStatus(`${path} cannot be loaded: ${NOT_AN_OBJECT_TEXT}`, true);
      }
    } catch (error) {
      this.toolbar.scenarioList.value = this.file.path ?? BLANK;
      editing.setStatus(`cannot open ${path}: ${userMessage(error)}`, true);
    }
  }

  /** Save (`overwrite`: over the open file, the user's only) or Save as (under the typed name). */
  async save(overwrite: boolean): Promise<void> {
    const { editing } = this;
    const api = editing.api();
    if (api === null) return;
    let path: string;
    if (overwrite) {
      if (!isUserFile(this.file.path)) return;
      path = this.file.path;
    } else {
      const target = saveAsPath(this.toolbar.saveName.value);
      if (target === null) {
        editing.setStatus('Save as: type a file name first', true);
        this.toolbar.saveName.focus();
        return;
      }
      path = target;
    }
    editing.setStatus(`saving ${path}…`);
    try {
      const scenario = draftToDocument(editing.draft());
      const saved = await api.call('scenarios.save', { path, scenario, overwrite });
      this.file.path = saved.path;
      this.file.dirty = false;
      await this.refreshList();
      this.problems.showBanner(null);
      editing.refresh();
      editing.setStatus(`saved ${saved.path}${saved.replaced ? ' (replaced)' : ''}`);
    } catch (error) {
      editing.setStatus(`not saved: ${userMessage(error)}`, true);
    }
  }

  /** Loads a picked local file; one that does not validate shows its problems as a listed file does. */
  async importLocal(picked: File): Promise<void> {
    if (this.file.dirty && !window.confirm(DISCARD_QUESTION)) return;
    const imported = await importScenarioFile(picked);
    const name = imported.fileName;
    const count = imported.issues.length;
    this.problems.showBanner(
      count === 0
        ? null
        : {
            path: name,
            issues: [...imported.issues],
            document: imported.document,
            notLoaded: imported.notLoaded,
          },
    );
    if (imported.document === null) {
      this.editing.setStatus(`${name} cannot be loaded: ${imported.notLoaded ?? NOT_AN_OBJECT_TEXT}`, true);
      return;
    }
    this.editing.load(draftFromDocument(imported.document), null);
    this.toolbar.saveName.value = exportFileName(name).replace(/\.json$/, '');
    this.editing.setStatus(importedStatus(name, count), count > 0);
  }

  /** Downloads the scenario as the editor holds it, named after the save name or the open file. */
  exportLocal(): void {
    const draft = this.editing.draft();
    const base = this.toolbar.saveName.value.trim() || this.file.path?.split('/').pop() || draft.name;
    const fileName = exportFileName(base);
    downloadScenario(this.doc, draftToDocument(draft), fileName);
    const count = this.editing.issueCount();
    this.editing.setStatus(exportedStatus(fileName, count), count > 0);
  }
}
