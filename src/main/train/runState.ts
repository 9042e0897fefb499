/**
 * What a batch (`steer compare`, `steer sweep`) finds in a run folder before it trains: nothing yet (a new run), a run stopped
 * before its last update (resumed from its checkpoint), a finished run (skipped), or a run of
 * something else (another algorithm, env, seed, budget or any other training-config field than this
 * command plans: src/main/train/runMatch.ts), which is refused rather than mixed in. Reads
 * config.json (validated) and the checkpoint's manifest only; the checkpoint itself is verified by
 * the child that resumes or evaluates it.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CHECKPOINT_MANIFEST_FILE } from '../io/checkpointFormat.js';
import { readRunConfig, runPaths } from './runDir.js';
import { firstRunDifference, OTHER_RUNS_DIR, otherRunMessage, type PlannedRun } from './runMatch.js';

/** The state of a run folder. */
export type RunState =
  | { readonly kind: 'new' }
  | { readonly kind: 'partial'; readonly update: number }
  | { readonly kind: 'finished'; readonly update: number; readonly checkpoint: string }
  | { readonly kind: 'other'; readonly reason: string };

/** The saved checkpoint's update and an identity (creation time and checksum), or null if none. */
export async function checkpointIdentity(
  runDir: string,
): Promise<{ update: number; checkpoint: string } | null> {
  const file = join(runPaths(runDir).checkpoint, CHECKPOINT_MANIFEST_FILE);
  if (!existsSync(file)) return null;
  try {
    const manifest = JSON.parse(await readFile(file, 'utf8')) as {
      createdAt?: unknown;
      manifestSha256?: unknown;
      meta?: { update?: unknown };
    };
    const update = manifest.meta?.update;
    if (typeof update !== 'number') return null;
    return { update, checkpoint: `${String(manifest.createdAt)} ${String(manifest.manifestSha256 ?? '')}` };
  } catch {
    return null; // damaged: the child that reads it says how
  }
}

/**
 * Inspects `runDir` against the run the batch plans there; `remedy` ends the refusal of a folder
 * holding another run (what the user can do about it, in the batch's own terms).
 */
export async function inspectRun(
  runDir: string,
  planned: PlannedRun,
  remedy: string = OTHER_RUNS_DIR,
): Promise<RunState> {
  if (!existsSync(runPaths(runDir).config)) return { kind: 'new' };
  let config: Awaited<ReturnType<typeof readRunConfig>>;
  try {
    config = await readRunConfig(runDir);
  } catch (error) {
    return { kind: 'other', reason: (error as Error).message };
  }
  const difference = firstRunDifference(config, planned);
  if (difference !== null) return { kind: 'other', reason: otherRunMessage(runDir, difference, remedy) };
  const saved = await checkpointIdentity(runDir);
  if (saved !== null && saved.update >= config.totalUpdates) return { kind: 'finished', ...saved };
  return { kind: 'partial', update: saved?.update ?? 0 };
}
