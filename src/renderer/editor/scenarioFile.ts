/**
 * Scenario files on the user's own disk, for the editor (docs/app.md "Scenario editor"): **Import**
 * reads a local .json file through a file input (its bytes never touch the host) and checks it
 * with the core validator, so its problems read exactly as `steer scenario validate` prints them,
 * file name and JSON path first; **Export** downloads the editor's scenario as a .json file through
 * a Blob URL and an `<a download>`, which the page's Content-Security-Policy allows (no connection,
 * no inline script).
 */
import {
  formatIssues,
  jsonObjectOf,
  parseScenario,
  ROOT_PATH,
  type ScenarioIssue,
} from '../../core/scenario/index.js';

/** Largest file Import reads [bytes]: the host's limit for scenario files (scenarioLibrary.ts). */
export const MAX_IMPORT_BYTES = 1024 * 1024;

/** Why a file that is not a JSON object cannot be loaded. */
export const NOT_AN_OBJECT_TEXT = 'the file is not a JSON object';

/** A local scenario file, read and checked. */
export interface ImportedScenario {
  /** The file's name as the user picked it (no folder: the browser does not tell). */
  readonly fileName: string;
  /** The file's JSON object, also when it does not validate (to fix it here); null when it is not one. */
  readonly document: Record<string, unknown> | null;
  /** Why `document` is null ("the file is too large: …", "the file is not a JSON object"), else null. */
  readonly notLoaded: string | null;
  /** The validator's problems: JSON path and message. Empty when the file validates. */
  readonly issues: readonly ScenarioIssue[];
  /** One line per problem, `<file>: <path>: <message>`, as `steer scenario validate` prints them. */
  readonly lines: readonly string[];
}

/** Checks the text of a scenario file named `fileName`. Never throws. */
export function readScenarioText(fileName: string, text: string): ImportedScenario {
  const parsed = parseScenario(text, fileName);
  const issues = parsed.ok ? [] : [...parsed.issues];
  const document = jsonObjectOf(text);
  const notLoaded = document === null ? NOT_AN_OBJECT_TEXT : null;
  return { fileName, document, notLoaded, issues, lines: formatIssues(fileName, issues) };
}

/** Reads and checks a picked file; one larger than MAX_IMPORT_BYTES is a problem, not read. */
export async function importScenarioFile(file: File): Promise<ImportedScenario> {
  if (file.size > MAX_IMPORT_BYTES) {
    const issues = [
      {
        path: ROOT_PATH,
        message: `too large: expected a scenario file of at most ${MAX_IMPORT_BYTES} bytes (1 MiB), the file has ${file.size}`,
      },
    ];
    const notLoaded = `the file is too large (${file.size} bytes; at most ${MAX_IMPORT_BYTES} bytes, 1 MiB)`;
    return { fileName: file.name, document: null, notLoaded, issues, lines: formatIssues(file.name, issues) };
  }
  return readScenarioText(file.name, await file.text());
}

/**
 * The download's file name: `base` reduced to letters, digits, `.`, `_` and `-` (as Save as
 * names), `scenario` when nothing is left, ending in `.json`.
 */
export function exportFileName(base: string): string {
  const stem = base
    .trim()
    .replace(/\.json$/i, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '');
  return `${stem === '' ? 'scenario' : stem}.json`;
}

/** The file's text: 2-space JSON and a final newline, as the host's Save writes it. */
export function scenarioJson(document: Record<string, unknown>): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Offers `document` as a download named `fileName` (an <a download> on a Blob URL). */
export function downloadScenario(doc: Document, document: Record<string, unknown>, fileName: string): void {
  const url = URL.createObjectURL(new Blob([scenarioJson(document)], { type: 'application/json' }));
  const link = doc.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  doc.body.append(link);
  link.click();
  link.remove();
  // The download has its bytes once click() returns in Chromium; free the URL a moment later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
