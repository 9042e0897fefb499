/**
 * The dashboard's "Jobs and runs" panel: one entry per run folder or job (runRows.ts says what it
 * shows), with its status badge, what it trains (algorithm, scenario or env, seed), a progress
 * bar, a failed job's message and its Stop or Resume button. A click on an entry selects the run.
 */
import { el, panel } from '../ui/dom.js';
import { NO_RUNS_TEXT, type RunRow, runEntry } from './runRows.js';

/** What the list's entries ask of the dashboard. */
export interface RunListActions {
  /** Shows run `runId` (its curves, checkpoints and evaluation). */
  select(runId: string): void;
  /** Stops the job training run `runId`. */
  stop(runId: string): void;
  /** Resumes run `runId` from its checkpoint in a new job. */
  resume(runId: string): void;
}

/** Tooltips of the entries' buttons. */
const ACTION_TITLES = {
  stop: 'Finish the update, save a checkpoint, stop',
  resume: 'Continue from the latest checkpoint',
} as const;

/** The panel and its list. */
export class RunList {
  /** The panel (title and list). */
  readonly element: HTMLElement;
  private readonly list: HTMLUListElement;
  /** What the list shows (see show). */
  private shown = '';

  constructor(
    private readonly doc: Document,
    private readonly actions: RunListActions,
  ) {
    this.list = el(doc, 'ul', 'run-list');
    this.list.id = 'run-list';
    this.element = panel(doc, 'Jobs and runs');
    this.element.classList.add('runs-panel');
    this.element.append(this.list);
  }

  /** Shows `rows`, run `selected` marked as such. */
  show(rows: readonly RunRow[], selected: string | null): void {
    // Rebuilt only when something shown changed: a list replaced under the pointer loses clicks.
    const shown = JSON.stringify([selected, rows]);
    if (shown === this.shown) return;
    this.shown = shown;
    if (rows.length === 0) {
      this.list.replaceChildren(el(this.doc, 'li', 'dim', NO_RUNS_TEXT));
      return;
    }
    this.list.replaceChildren(...rows.map((row) => this.item(row, row.runId === selected)));
  }

  private item(row: RunRow, selected: boolean): HTMLLIElement {
    const { runId } = row;
    const entry = runEntry(row);
    const li = el(this.doc, 'li', 'run');
    li.dataset.run = runId;
    li.dataset.status = entry.status;
    li.dataset.algo = entry.algo;
    li.setAttribute('aria-selected', String(selected));
    const pick = el(this.doc, 'button');
    pick.type = 'button';
    pick.className = 'run-pick';
    pick.title = `Show ${runId}`;
    pick.addEventListener('click', () => this.actions.select(runId));
    const top = el(this.doc, 'span', 'run-top');
    top.append(
      el(this.doc, 'span', 'run-name', runId),
      el(this.doc, 'span', `badge ${entry.status}`, entry.status),
    );
    const what = el(this.doc, 'span', 'run-what', entry.what);
    pick.append(top, what, this.progress(entry.update, entry.total));
    li.append(pick);
    if (entry.error !== null) li.append(el(this.doc, 'p', 'run-error', entry.error));
    if (entry.action !== null) {
      const actions = el(this.doc, 'span', 'run-actions');
      actions.append(this.actionButton(entry.action, runId));
      li.append(actions);
    }
    return li;
  }

  /** A progress bar and its counter "update / total". */
  private progress(update: number, total: number): HTMLElement {
    const row = el(this.doc, 'span', 'run-progress');
    const bar = el(this.doc, 'progress');
    bar.max = Math.max(total, 1);
    bar.value = Math.min(update, total);
    row.append(bar, el(this.doc, 'span', 'counter', `${update} / ${total}`));
    return row;
  }

  private actionButton(action: 'stop' | 'resume', runId: string): HTMLButtonElement {
    const button = el(this.doc, 'button');
    button.type = 'button';
    button.className = 'button small';
    button.dataset.action = action;
    button.textContent = action === 'stop' ? 'Stop' : 'Resume';
    button.title = ACTION_TITLES[action];
    button.addEventListener('click', (event) => {
      event.stopPropagation();
      button.disabled = true;
      if (action === 'stop') this.actions.stop(runId);
      else this.actions.resume(runId);
    });
    return button;
  }
}
