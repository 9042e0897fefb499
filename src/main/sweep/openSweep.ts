/**
 * A sweep file from disk: read (at most MAX_SWEEP_FILE_BYTES), checked (sweepFile.ts), its scenarios
 * opened (sweepTargets.ts) and expanded into runs (expandSweep.ts). Every problem is a
 * SweepFileError whose lines name the file and the field, as `steer scenario validate` prints a
 * scenario's.
 */
import { readFile, stat } from 'node:fs/promises';
import { expandSweep } from './expandSweep.js';
import { SWEEP_FILE_ENDINGS, sweepFormatOf } from './sweepDocument.js';
import { parseSweep, type SweepFile } from './sweepFile.js';
import { SweepFileError } from './sweepIssues.js';
import type { SweepRun } from './sweepRun.js';
import { openSweepTargets, type PathResolver, type RunTarget, scenarioKey } from './sweepTargets.js';

/** Largest sweep file read [bytes]; real ones are a few hundred bytes. */
export const MAX_SWEEP_FILE_BYTES = 1024 * 1024;

/** A sweep ready to run. */
export interface OpenedSweep {
  /** The sweep file as the user named it. */
  readonly file: string;
  readonly sweep: SweepFile;
  /** Its runs, in the order they start. */
  readonly runs: readonly SweepRun[];
  /** What each env and scenario trains on (see `targetOf`). */
  readonly targets: ReadonlyMap<string, RunTarget>;
}

/** Why a file could not be read, in a few words. */
function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return `cannot read the file: ${error instanceof Error ? error.message : String(error)}`;
}

/** Reads and checks the sweep file at `path`; `file` names it in messages. Throws SweepFileError. */
export async function readSweepFile(path: string, file: string): Promise<SweepFile> {
  const fail = (message: string) => new SweepFileError(file, [{ path: '', message }]);
  const format = sweepFormatOf(file);
  if (format === null) {
    throw fail(`expected a sweep file ending in ${SWEEP_FILE_ENDINGS.join(', ')} (JSON or YAML)`);
  }
  let text: string;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw fail('is a directory, expected a sweep file');
    if (info.size > MAX_SWEEP_FILE_BYTES) {
      throw fail(
        `expected a sweep file of at most ${MAX_SWEEP_FILE_BYTES / 1024 / 1024} MB, received ${(info.size / 1024 / 1024).toFixed(1)} MB`,
      );
    }
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof SweepFileError) throw error;
    throw fail(readFailure(error));
  }
  const parsed = parseSweep(text, format);
  if (!parsed.ok) throw new SweepFileError(file, parsed.issues);
  return parsed.sweep;
}

/** Reads, checks, opens and expands the sweep file at `path`. Throws SweepFileError. */
export async function openSweep(path: string, file: string, resolvePath: PathResolver): Promise<OpenedSweep> {
  const sweep = await readSweepFile(path, file);
  const targets = await openSweepTargets(sweep, file, resolvePath);
  return { file, sweep, runs: expandSweep(sweep), targets };
}

/** The target of `run` among `targets`. */
export function targetOf(run: SweepRun, targets: ReadonlyMap<string, RunTarget>): RunTarget {
  const key = run.scenario === null ? run.env! : scenarioKey(run.scenario);
  const target = targets.get(key);
  if (target === undefined) throw new Error(`sweep run ${run.id}: no target for ${JSON.stringify(key)}`);
  return target;
}
