/**
 * The dashboard's bottom row: the selected run's Checkpoints, and Evaluate (episodes, "Evaluate and
 * record", the result's metrics and the recorded replays, each opening in the player). What they
 * say is in evaluationText.ts; the dashboard makes the calls.
 */
import { MAX_EVALUATE_EPISODES } from '../../shared/api/jobMethods.js';
import { el, panel, setFields } from '../ui/dom.js';
import { formRow } from './dashboardDom.js';
import {
  type CheckpointInfo,
  checkpointLine,
  DEFAULT_EVALUATE_EPISODES,
  type Evaluation,
  episodesToPlay,
  evaluationRows,
  evaluationSummary,
  NO_CHECKPOINTS_TEXT,
  NO_REPLAYS_TEXT,
  replayButtonText,
} from './evaluationText.js';

/** What the panels ask of the dashboard. */
export interface EvaluationActions {
  /** "Evaluate and record" was clicked. */
  evaluate(): void;
  /** Opens a recorded replay (an API path) in the player. */
  openReplay(path: string): void;
}

/** The Checkpoints and Evaluate panels. */
export class EvaluationPanel {
  /** Both panels, side by side. */
  readonly element: HTMLElement;
  private readonly checkpoints: HTMLUListElement;
  private readonly episodes: HTMLInputElement;
  private readonly evaluate: HTMLButtonElement;
  private readonly message: HTMLElement;
  private readonly fields: HTMLDListElement;
  private readonly replays: HTMLUListElement;

  constructor(
    private readonly doc: Document,
    private readonly actions: EvaluationActions,
  ) {
    this.checkpoints = el(doc, 'ul', 'checkpoint-list');
    this.checkpoints.id = 'checkpoint-list';
    const checkpointPanel = panel(doc, 'Checkpoints');
    checkpointPanel.append(this.checkpoints);

    this.episodes = el(doc, 'input');
    this.episodes.type = 'number';
    this.episodes.min = '1';
    this.episodes.max = String(MAX_EVALUATE_EPISODES);
    this.episodes.value = String(DEFAULT_EVALUATE_EPISODES);
    this.evaluate = el(doc, 'button', 'button', 'Evaluate and record');
    this.evaluate.type = 'button';
    this.evaluate.id = 'evaluate';
    this.evaluate.disabled = true;
    this.evaluate.title = "Play the latest checkpoint greedily; scenario runs record each episode's replay";
    this.evaluate.addEventListener('click', () => actions.evaluate());
    const row = el(doc, 'div', 'eval-row');
    row.append(formRow(doc, 'Episodes', this.episodes, 'evaluate-episodes'), this.evaluate);
    this.message = el(doc, 'p', 'form-message');
    this.message.id = 'evaluate-message';
    this.message.setAttribute('role', 'status');
    this.fields = el(doc, 'dl');
    this.fields.id = 'evaluate-fields';
    this.replays = el(doc, 'ul', 'replay-links');
    this.replays.id = 'evaluate-replays';
    const evaluatePanel = panel(doc, 'Evaluate');
    evaluatePanel.append(row, this.message, this.fields, this.replays);

    this.element = el(doc, 'div', 'dash-bottom');
    this.element.append(checkpointPanel, evaluatePanel);
  }

  /** Empties both panels (another run was selected). */
  clear(): void {
    this.checkpoints.replaceChildren();
    this.message.textContent = '';
    this.fields.replaceChildren();
    this.replays.replaceChildren();
  }

  /** Lists a run's checkpoints; Evaluate is enabled when there is one. */
  showCheckpoints(checkpoints: readonly CheckpointInfo[]): void {
    this.checkpoints.replaceChildren(
      ...(checkpoints.length === 0
        ? [el(this.doc, 'li', 'dim', NO_CHECKPOINTS_TEXT)]
        : checkpoints.map((c) => el(this.doc, 'li', '', checkpointLine(c)))),
    );
    this.evaluate.disabled = checkpoints.length === 0;
  }

  /**
   * The episodes to ask for, or null when the field holds no allowed count (the message under the
   * button then says the range).
   */
  episodeCount(): number | null {
    const asked = episodesToPlay(this.episodes.value);
    if ('episodes' in asked) return asked.episodes;
    this.showError(asked.error);
    return null;
  }

  /** An evaluation was asked: Evaluate waits, the last result is cleared. */
  evaluating(): void {
    this.evaluate.disabled = true;
    this.message.classList.remove('error');
    this.message.textContent = 'evaluating in a worker…';
    this.fields.replaceChildren();
    this.replays.replaceChildren();
  }

  /** The evaluation was answered (either way): Evaluate can be pressed again. */
  evaluateEnded(): void {
    this.evaluate.disabled = false;
  }

  /** Shows an evaluation: summary, metrics, and a button per recorded replay. */
  showEvaluation(result: Evaluation): void {
    this.message.textContent = evaluationSummary(result);
    setFields(this.fields, evaluationRows(result.metrics));
    if (result.replays.length === 0) {
      this.replays.replaceChildren(el(this.doc, 'li', 'dim', NO_REPLAYS_TEXT));
      return;
    }
    this.replays.replaceChildren(...result.replays.map((path) => this.replayItem(path)));
  }

  /** Shows why the evaluation failed (or was not asked). */
  showError(text: string): void {
    this.message.textContent = text;
    this.message.classList.add('error');
  }

  private replayItem(path: string): HTMLLIElement {
    const li = el(this.doc, 'li');
    const button = el(this.doc, 'button', 'button', replayButtonText(path));
    button.type = 'button';
    button.dataset.replay = path;
    button.title = `Open ${path} in the player`;
    button.addEventListener('click', () => this.actions.openReplay(path));
    li.append(button);
    return li;
  }
}
