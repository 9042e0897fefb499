/**
 * What the scenario editor says about its draft and its file: the footer's summary and file line,
 * the status lines of opening, importing and exporting, the name Save as starts with and the path
 * it writes, and which vehicle an issue's path names. Plain TypeScript, no DOM: unit-tested on its
 * own (test/unit/renderer/editor/editorText.test.ts).
 */
import { USER_SCENARIO_DIR } from '../../shared/api/scenarioMethods.js';
import { fieldText } from './fieldForm.js';
import type { ScenarioDraft } from './scenarioDraft.js';

/** "1 problem", "3 problems". */
export function problemCount(count: number): string {
  return `${count} problem${count === 1 ? '' : 's'}`;
}

/** The draft's traffic: "density 2 (random spawns)" or "3 vehicles: 2 CAVs (agents), 1 HDV". */
export function trafficSummary(draft: ScenarioDraft): string {
  if (draft.trafficMode === 'density') return `density ${fieldText(draft.density)} (random spawns)`;
  const count = draft.vehicles.length;
  const cavs = draft.vehicles.filter((v) => v.kind === 'cav').length;
  return `${count} vehicle${count === 1 ? '' : 's'}: ${cavs} CAV${cavs === 1 ? '' : 's'} (agents), ${count - cavs} HDV`;
}

/** The footer's summary: the traffic, then "valid" or the problem count. */
export function summaryText(draft: ScenarioDraft, issueCount: number): string {
  return `${trafficSummary(draft)} · ${issueCount === 0 ? 'valid' : problemCount(issueCount)}`;
}

/** The footer's file line: the open file (or that it is new), and whether it was modified. */
export function fileText(path: string | null, dirty: boolean): string {
  return `${path ?? 'new scenario (not saved)'}${dirty ? ' · modified' : ''}`;
}

/** Whether `path` is one of the user's files (Save may write over it). */
export function isUserFile(path: string | null): path is string {
  return path?.startsWith('runs/') === true;
}

/** The status line of a file that opened without problems; a bundled one is read-only. */
export function openedStatus(path: string, source: 'bundled' | 'user'): string {
  return `${path}${source === 'bundled' ? ' (bundled, read-only: Save as… to keep changes)' : ''}`;
}

/** The status line of a file (`name`, imported or not) that loaded with `count` problems. */
export function fileProblemsStatus(name: string, count: number, imported = false): string {
  return `${name}: ${problemCount(count)} in the file${imported ? ' (imported)' : ''}`;
}

/** The status line after importing local file `name`, which had `count` problems. */
export function importedStatus(name: string, count: number): string {
  return count === 0
    ? `imported ${name} (not in the project yet: Save as… keeps it)`
    : fileProblemsStatus(name, count, true);
}

/** The status line after exporting `fileName` with `count` problems. */
export function exportedStatus(fileName: string, count: number): string {
  return count === 0 ? `exported ${fileName}` : `exported ${fileName} with ${problemCount(count)}`;
}

/** The name Save as starts with for an opened file: its name when it is the user's, else empty. */
export function saveNameOf(path: string | null): string {
  const name = path
    ?.split('/')
    .pop()
    ?.replace(/\.json$/, '');
  return name !== undefined && isUserFile(path) ? name : '';
}

/** The file Save as writes for the typed name (".json" optional), or null when none is typed. */
export function saveAsPath(typedName: string): string | null {
  const name = typedName.trim().replace(/\.json$/, '');
  return name === '' ? null : `${USER_SCENARIO_DIR}/${name}.json`;
}

/** The vehicle an issue's path is about ("traffic.vehicles[3].speedMps" → 3), or null. */
export function vehicleOfPath(path: string): number | null {
  const vehicle = /^traffic\.vehicles\[(\d+)\]/.exec(path);
  return vehicle === null ? null : Number(vehicle[1]);
}
