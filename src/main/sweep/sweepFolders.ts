/**
 * The sweeps under a runs folder, as the app's Training tab lists them (src/main/api/sweepHandlers.ts):
 * every folder holding a sweep-status.json, directly under the runs folder (a sweep file's own
 * `runsDir: runs/l`) or under its sweeps/ folder (the default `runs/sweeps/<name>`), read with the
 * status file's reader (sweepStatus.ts) and turned into rows as `steer sweep status` turns them
 * (statusTable.ts), without the sweep file: the status file lists every run with its total. Reads only.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isRunPath } from '../../shared/api/jobMethods.js';
import { type SweepStatusRow, statusFileRows } from './statusTable.js';
import { readSweepStatus, type SweepStatus, sweepStatusPath } from './sweepStatus.js';

/** The runs folder's subfolder that holds sweeps' runs folders by default (docs/sweeps.md `runsDir`). */
export const SWEEPS_SUBDIR = 'sweeps';
/** Most sweep folders listed. */
export const MAX_LISTED_SWEEPS = 200;

/** A run of a sweep folder: its row, and whether its folder holds a run (config.json). */
export interface SweepFolderRun extends SweepStatusRow {
  /** Its folder relative to the runs folder ("sweeps/x/steer/matrix-penalty0/seed-1"); null for an id that names none. */
  readonly path: string | null;
  readonly hasRun: boolean;
}

/** A sweep folder read: its status and runs, or the one line saying why its status file cannot be read. */
export type SweepFolder =
  | { readonly path: string; readonly status: SweepStatus; readonly runs: readonly SweepFolderRun[] }
  | { readonly path: string; readonly error: string };

/**
 * The folders under `runsRoot` holding a sweep-status.json, as "/"-separated paths relative to it
 * ("l", "sweeps/matrix-penalty"), sorted; symlinked folders are not followed.
 */
export async function findSweepFolders(runsRoot: string): Promise<string[]> {
  const candidates = [
    ...(await subfolders(runsRoot)),
    ...(await subfolders(join(runsRoot, SWEEPS_SUBDIR))).map((name) => `${SWEEPS_SUBDIR}/${name}`),
  ].filter(isRunPath);
  const found: string[] = [];
  for (const path of candidates.sort()) {
    if (found.length >= MAX_LISTED_SWEEPS) break;
    const info = await stat(sweepStatusPath(join(runsRoot, ...path.split('/')))).catch(() => null);
    if (info?.isFile()) found.push(path);
  }
  return found;
}

/**
 * The sweep in folder `path` (relative to `runsRoot`): null when it holds no status file; its
 * status and rows; or, for a damaged status file, the reader's one line (file and field).
 * `checkFolders: false` skips looking for each run's config.json (`hasRun` is then false): a list
 * of sweeps needs only their counts, and a sweep may hold 10,000 runs.
 */
export async function readSweepFolder(
  runsRoot: string,
  path: string,
  { checkFolders = true }: { readonly checkFolders?: boolean } = {},
): Promise<SweepFolder | null> {
  const dir = join(runsRoot, ...path.split('/'));
  let status: SweepStatus | null;
  try {
    status = await readSweepStatus(sweepStatusPath(dir));
  } catch (error) {
    return { path, error: (error as Error).message };
  }
  if (status === null) return null;
  const runPath = (id: string) => (isRunPath(`${path}/${id}`) ? `${path}/${id}` : null);
  const rows = await statusFileRows(status, (id) => {
    const relative = runPath(id);
    return relative === null ? null : join(runsRoot, ...relative.split('/'));
  });
  const runs = await Promise.all(
    rows.map(async (row) => {
      const relative = runPath(row.id);
      const config =
        relative === null || !checkFolders
          ? null
          : await stat(join(runsRoot, ...relative.split('/'), 'config.json')).catch(() => null);
      return { ...row, path: relative, hasRun: config?.isFile() ?? false };
    }),
  );
  return { path, status, runs };
}

/** Names of the real folders (not symlinks) directly in `dir`; none when it cannot be read. */
async function subfolders(dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((e) => e.name);
}
