/**
 * The editor's footer: the open file (and whether it was modified), the status line (what the last
 * action did, red for a problem) and the draft's summary (traffic, valid or its problem count).
 * Their text is in editorText.ts.
 */
import { el } from '../ui/dom.js';

/** The footer and its three lines. */
export class EditorFooter {
  /** The footer. */
  readonly element: HTMLElement;
  private readonly file: HTMLElement;
  private readonly status: HTMLElement;
  private readonly summary: HTMLElement;

  constructor(doc: Document) {
    this.element = el(doc, 'footer', 'transport editor-footer');
    this.file = el(doc, 'span', 'counter');
    this.file.id = 'editor-file';
    this.status = el(doc, 'span', 'status');
    this.status.id = 'editor-status';
    this.status.setAttribute('role', 'status');
    this.summary = el(doc, 'span', 'counter');
    this.summary.id = 'editor-summary';
    this.element.append(this.file, this.status, this.summary);
  }

  /** Shows what the last action did (`error`: as a problem). */
  setStatus(text: string, error = false): void {
    this.status.textContent = text;
    this.status.classList.toggle('error', error);
  }

  /** Shows the draft's summary (`problems`: marked as such) and the file line. */
  showDraft(summary: string, problems: boolean, file: string): void {
    this.summary.textContent = summary;
    this.summary.classList.toggle('error', problems);
    this.file.textContent = file;
  }
}
