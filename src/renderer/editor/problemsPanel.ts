/**
 * The editor's problem lists: the banner with a file's own problems (as the validator reports them
 * when it is opened or imported) and the live Problems panel, whose entries reveal their field.
 */

import type { ScenarioIssue } from '../../core/scenario/index.js';
import type { ApiResponse } from '../../shared/api/contract.js';
import { el } from '../ui/dom.js';
import { NOT_AN_OBJECT_TEXT } from './scenarioFile.js';

/** A file whose problems the banner lists. */
export type BannerFile = Pick<ApiResponse<'scenarios.open'>, 'path' | 'issues' | 'document'> & {
  /** Why the file was not loaded when `document` is null; default: it is not a JSON object. */
  readonly notLoaded?: string | null;
};

/** The banner and the Problems panel. */
export class ProblemsPanel {
  /** The banner of a file that does not validate (hidden otherwise). */
  readonly banner: HTMLElement;
  /** The Problems panel. */
  readonly section: HTMLElement;
  private readonly title: HTMLElement;
  private readonly list: HTMLElement;

  constructor(
    private readonly doc: Document,
    /** Shows the control of an issue's path. */
    private readonly reveal: (path: string) => void,
  ) {
    this.banner = el(doc, 'section', 'panel banner');
    this.banner.id = 'editor-file-issues';
    this.banner.hidden = true;
    this.section = el(doc, 'section', 'panel');
    this.title = el(doc, 'h2', '', 'Problems');
    this.list = el(doc, 'ul', 'problems');
    this.list.id = 'editor-problems';
    this.section.append(this.title, this.list);
  }

  /** Lists the draft's issues (or says it validates). */
  show(issues: readonly ScenarioIssue[]): void {
    const count = issues.length;
    this.title.textContent = count === 0 ? 'Problems' : `Problems (${count})`;
    if (count === 0) {
      const ok = el(this.doc, 'li', 'ok', 'None: the scenario validates (ready to save and run).');
      this.list.replaceChildren(ok);
    } else {
      this.list.replaceChildren(
        ...issues.map((issue) => {
          const li = el(this.doc, 'li', 'bad');
          const path = el(this.doc, 'code', '', issue.path);
          li.append(path, this.doc.createTextNode(`: ${issue.message}`));
          li.title = 'Show the field';
          li.addEventListener('click', () => this.reveal(issue.path));
          return li;
        }),
      );
    }
  }

  /** The banner that lists a file's own problems, as the validator reports them; null hides it. */
  showBanner(file: BannerFile | null): void {
    const { banner } = this;
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
        ? `Not loaded: ${file.notLoaded ?? NOT_AN_OBJECT_TEXT}. Fix it in a text editor, or start from another scenario.`
        : 'Loaded what the file has; the problems below are live. Save as writes a fixed copy.',
    );
    banner.replaceChildren(title, list, note);
    banner.hidden = false;
  }
}
