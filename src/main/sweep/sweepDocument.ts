/**
 * A sweep file's text → the value it holds, or the located syntax error: JSON (`.json`, read by
 * JSON.parse and located by the scenario files' scanner) or YAML (`.yaml`, `.yml`, read by js-yaml
 * with its core schema: no dates or other YAML-only types, so a value means what it would in JSON).
 * Errors read as the scenario files' do: `(root)`, then `invalid YAML at line 3, column 5: …`.
 */
import { CORE_SCHEMA, load, YAMLException } from 'js-yaml';
import { findJsonSyntaxError, ROOT_PATH } from '../../core/scenario/index.js';
import type { SweepIssue } from './sweepIssues.js';

/** The two formats of a sweep file. */
export type SweepFormat = 'json' | 'yaml';

/** File name endings → format. */
const EXTENSIONS: Readonly<Record<string, SweepFormat>> = {
  '.json': 'json',
  '.yaml': 'yaml',
  '.yml': 'yaml',
};

/** The format of `file` by its name's ending, or null when it is none of .json, .yaml, .yml. */
export function sweepFormatOf(file: string): SweepFormat | null {
  const dot = file.lastIndexOf('.');
  return dot < 0 ? null : (EXTENSIONS[file.slice(dot).toLowerCase()] ?? null);
}

/** The endings a sweep file may have, for messages. */
export const SWEEP_FILE_ENDINGS = Object.keys(EXTENSIONS);

/** What a text holds, or why it could not be read. */
export type SweepDocument =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly issue: SweepIssue };

/** Reads `text` as `format`. Never throws. */
export function readSweepDocument(text: string, format: SweepFormat): SweepDocument {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text; // a UTF-8 byte-order mark
  if (body.trim() === '') {
    return { ok: false, issue: rootIssue('expected a sweep (an object of fields), received an empty file') };
  }
  return format === 'json' ? readJson(body) : readYaml(body);
}

function rootIssue(message: string): SweepIssue {
  return { path: ROOT_PATH, message };
}

function readJson(text: string): SweepDocument {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const located = findJsonSyntaxError(text);
    const message =
      located === null
        ? `invalid JSON: ${(error as Error).message}`
        : `invalid JSON at line ${located.line}, column ${located.column}: ${located.reason}`;
    return { ok: false, issue: rootIssue(message) };
  }
}

function readYaml(text: string): SweepDocument {
  try {
    return { ok: true, value: load(text, { schema: CORE_SCHEMA }) };
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const { line, column } = error.mark;
    return {
      ok: false,
      issue: rootIssue(`invalid YAML at line ${line + 1}, column ${column + 1}: ${error.reason}`),
    };
  }
}
