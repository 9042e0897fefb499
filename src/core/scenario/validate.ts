/**
 * Reading a scenario file's text into a resolved `Scenario`, or into a list of issues that say
 * where (a JSON path such as `traffic.vehicles[3].positionM`), what was expected and what was found
 *. Never throws: bad JSON, an unknown version and schema violations all come
 * back as issues, so the CLI and the UI print them as one line each.
 */
import type { z } from 'zod';
import { formatFieldPath } from '../fieldPath.js';
import { describeValue } from './fields.js';
import { findJsonSyntaxError, lineColumn } from './jsonSyntax.js';
import { migrateScenario } from './migrate.js';
import { type Scenario, ScenarioV1 } from './schema.js';

/** Largest scenario file any part of the app reads [bytes]; real ones are a few kB. */
export const MAX_SCENARIO_FILE_BYTES = 1024 * 1024;

/** The path shown for a problem with the file as a whole (bad JSON, not an object). */
export const ROOT_PATH = '(root)';

/** One problem with a scenario file. */
export interface ScenarioIssue {
  /**
   * Where: a JSON path (`road.mergeM`, `traffic.vehicles[0].lane`) or `(root)`; empty only for a
   * problem with the file itself (not found, unreadable), which the validator never reports.
   */
  readonly path: string;
  /** What was expected and what was found. */
  readonly message: string;
}

/** The outcome of reading one scenario file. */
export type ParseScenarioResult =
  | { readonly ok: true; readonly file: string; readonly scenario: Scenario; readonly fromVersion: number }
  | { readonly ok: false; readonly file: string; readonly issues: readonly ScenarioIssue[] };

/** A field path as JavaScript would write it: `traffic.vehicles[3].positionM`; `(root)` if empty. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return formatFieldPath(path) || ROOT_PATH;
}

/** One issue per problem: zod's unknown-keys issue lists several keys; split it, one per key. */
function fromZodIssue(issue: z.core.$ZodIssue): ScenarioIssue[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: formatIssuePath([...issue.path, key]),
      message: `unknown field ${JSON.stringify(key)}; ${issue.message}`,
    }));
  }
  return [{ path: formatIssuePath(issue.path), message: issue.message }];
}

/** The issues without repeats (an integer past the safe range fails two checks with one message). */
function distinct(issues: readonly ScenarioIssue[]): ScenarioIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\n${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The issue for a text JSON.parse refused. */
function jsonIssue(text: string, error: unknown): ScenarioIssue {
  const located = findJsonSyntaxError(text);
  if (located !== null) {
    return {
      path: ROOT_PATH,
      message: `invalid JSON at line ${located.line}, column ${located.column}: ${located.reason}`,
    };
  }
  // The scanner found nothing JSON.parse objected to: fall back on the engine's own words.
  const reason = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(reason);
  if (position === null) return { path: ROOT_PATH, message: `invalid JSON: ${reason}` };
  const { line, column } = lineColumn(text, Number(position[1]));
  return {
    path: ROOT_PATH,
    message: `invalid JSON at line ${line}, column ${column}: ${reason.replace(/ in JSON at position \d+.*$/, '')}`,
  };
}

/** The steps of `parseScenario`, which may throw only on a bug (caught there). */
function parseUnchecked(text: string, file: string): ParseScenarioResult {
  const fail = (issues: ScenarioIssue[]): ParseScenarioResult => ({ ok: false, file, issues });
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text; // a UTF-8 byte-order mark
  if (body.trim() === '') {
    return fail([
      { path: ROOT_PATH, message: 'expected a JSON object (a scenario), received an empty file' },
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return fail([jsonIssue(body, error)]);
  }
  return validateUnchecked(json, file);
}

/** Migration and schema check of a parsed document, which may throw only on a bug. */
function validateUnchecked(json: unknown, file: string): ParseScenarioResult {
  const fail = (issues: ScenarioIssue[]): ParseScenarioResult => ({ ok: false, file, issues });
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return fail([
      { path: ROOT_PATH, message: `expected a JSON object (a scenario), received ${describeValue(json)}` },
    ]);
  }
  const migrated = migrateScenario(json as Record<string, unknown>);
  if (!migrated.ok) return fail([{ path: 'version', message: migrated.message }]);
  const parsed = ScenarioV1.safeParse(migrated.document);
  if (!parsed.success) return fail(distinct(parsed.error.issues.flatMap(fromZodIssue)));
  return { ok: true, file, scenario: parsed.data, fromVersion: migrated.fromVersion };
}

/**
 * Parses and validates the text of a scenario file. `fileLabel` names the file in the result (for
 * `formatIssues`). Never throws.
 */
export function parseScenario(text: string, fileLabel: string): ParseScenarioResult {
  return neverThrowing(() => parseUnchecked(text, fileLabel), fileLabel);
}

/**
 * Validates a scenario document already parsed from JSON (the editor's object): the same checks and
 * issues as `parseScenario` on its text, without a round trip through a string. Never throws.
 */
export function validateScenarioDocument(document: unknown, fileLabel: string): ParseScenarioResult {
  return neverThrowing(() => validateUnchecked(document, fileLabel), fileLabel);
}

/** `check()`, with a bug in the validator (or an input deep enough to exhaust the stack) as one issue. */
function neverThrowing(check: () => ParseScenarioResult, file: string): ParseScenarioResult {
  try {
    return check();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, file, issues: [{ path: ROOT_PATH, message: `could not validate: ${reason}` }] };
  }
}

/** One line per issue: `file: path: message` (`file: message` for an issue with an empty path). */
export function formatIssues(file: string, issues: readonly ScenarioIssue[]): string[] {
  return issues.map((issue) =>
    issue.path === '' ? `${file}: ${issue.message}` : `${file}: ${issue.path}: ${issue.message}`,
  );
}
