/**
 * Finding run folders: a folder that holds config.json is a run (src/main/train/runDir.ts); a
 * folder that does not is searched, recursively, for runs (e.g. a `steer table1 --runs-dir`, laid
 * out `<dir>/<algo>/<game>/seed-<n>`).
 */
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RunDirError, runPaths } from '../train/runDir.js';

/** Where a run folder came from: named on the command line, or found under a folder named there. */
export type RunFolderOrigin = 'given' | 'found';

/** One run folder to analyse. */
export interface RunFolder {
  readonly dir: string;
  readonly origin: RunFolderOrigin;
}

/** Folders never searched: a run's checkpoints, hidden folders, dependencies. */
const SKIPPED_NAMES = new Set(['checkpoints', 'node_modules']);

/**
 * `path` itself when it is a run folder, else every run folder under it in natural order
 * (seed-2 before seed-10). Throws RunDirError when `path` is missing, not a folder, or holds no run.
 */
export async function findRunFolders(path: string): Promise<RunFolder[]> {
  if (!existsSync(path)) throw new RunDirError(`${path}: no such folder`);
  if (!(await stat(path)).isDirectory()) {
    throw new RunDirError(`${path}: not a folder; expected a run folder or a folder of runs`);
  }
  if (existsSync(runPaths(path).config)) return [{ dir: path, origin: 'given' }];
  const found = await runsUnder(path);
  if (found.length === 0) {
    throw new RunDirError(`${path}: no run folders (folders holding config.json) in it or below it`);
  }
  return found.map((dir) => ({ dir, origin: 'found' }));
}

/** Run folders under `dir` (not `dir` itself), depth first, children in natural order. */
async function runsUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const children = entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !SKIPPED_NAMES.has(entry.name))
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const out: string[] = [];
  for (const name of children) {
    const child = join(dir, name);
    if (existsSync(runPaths(child).config)) out.push(child);
    else out.push(...(await runsUnder(child)));
  }
  return out;
}
