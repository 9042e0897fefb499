/**
 * Scenario files from disk, through the core's scenario gate (src/core/envs/horm/scenarioGate.ts):
 * the one place that reads a scenario file's text and says in a few words why it could not
 * (missing, a folder, unreadable, over MAX_SCENARIO_FILE_BYTES). Commands, run folders, training
 * jobs and the editor's library all read scenario files here.
 */
import { readFile, stat } from 'node:fs/promises';
import { openScenario, type ScenarioGateResult } from '../../core/envs/horm/index.js';
import { MAX_SCENARIO_FILE_BYTES } from '../../core/scenario/index.js';

/** A scenario file's text, or why it could not be read. */
export type ScenarioText =
  | { readonly ok: true; readonly text: string; readonly modifiedAt: Date; readonly bytes: number }
  | { readonly ok: false; readonly problem: string };

/** Why a file could not be read, in a few words (as `steer scenario validate` says it). */
function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EISDIR') return 'is a directory, expected a scenario JSON file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return `cannot read the file: ${error instanceof Error ? error.message : String(error)}`;
}

/** Reads the text of the scenario file at `path`. Never throws. */
export async function readScenarioText(path: string): Promise<ScenarioText> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) return { ok: false, problem: readFailure({ code: 'EISDIR' }) };
    if (info.size > MAX_SCENARIO_FILE_BYTES) {
      return {
        ok: false,
        problem: `expected a scenario file of at most ${MAX_SCENARIO_FILE_BYTES / 1024 / 1024} MB, received ${(info.size / 1024 / 1024).toFixed(1)} MB`,
      };
    }
    return { ok: true, text: await readFile(path, 'utf8'), modifiedAt: info.mtime, bytes: info.size };
  } catch (error) {
    return { ok: false, problem: readFailure(error) };
  }
}

/**
 * Reads the scenario file at `path` and passes it through the gate; `file` names it in the issues.
 * A file that cannot be read is refused with one issue about the file itself (empty path, so it
 * prints as `file: problem`). Never throws.
 */
export async function openScenarioFile(path: string, file: string): Promise<ScenarioGateResult> {
  const read = await readScenarioText(path);
  if (!read.ok) return { ok: false, file, issues: [{ path: '', message: read.problem }] };
  return openScenario(read.text, file);
}
