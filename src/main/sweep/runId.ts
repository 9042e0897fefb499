/**
 * The run id rule of sweeps: `<algo>/<env-slug>/seed-<n>`, with a `set-<hash>` folder before the
 * seed when the sweep overrides the training config:
 *
 *   steer/matrix-penalty0/seed-1                  a registry env, no overrides
 *   mappo/horm-easy-density-2/seed-3              a scenario file at another traffic density
 *   steer/matrix-penalty0/set-5d41402a/seed-1     with overrides (or referenceQuirks)
 *
 * env-slug: a registry env's canonical name with ':' as '-' (`matrix:penalty-100` →
 * `matrix-penalty-100`); a scenario's file name without `.json`, plus `-density-<n>` when the sweep
 * sets a density. hash: the first 8 hex digits of the SHA-256 of the overrides as canonical JSON
 * (keys sorted, values as parsed, so `1e-3` and `0.001` agree), with `"referenceQuirks":true` added
 * when it is on. The id depends on nothing else (not on the order of the file's lists, nor on the
 * budget), so the same file always gives the same ids and folders; a changed override gives new
 * folders, and a changed budget is refused by the folders that hold the old one (runMatch.ts).
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { OverrideValue, SweepScenario } from './sweepRun.js';

/** Hex digits of the overrides hash. */
export const OVERRIDES_HASH_DIGITS = 8;

/** A name as a folder-name part: anything but letters, digits, '.', '_' and '-' becomes '-'. */
function slugOf(name: string): string {
  return name.replace(/[^\w.-]+/g, '-');
}

/** The env-slug of a registry env (canonical name) or of a scenario. */
export function envSlug(env: string | SweepScenario): string {
  if (typeof env === 'string') return slugOf(env);
  const stem = slugOf(basename(env.file).replace(/\.json$/i, ''));
  return env.density === null ? stem : `${stem}-density-${env.density}`;
}

/** The overrides hash, or null when the sweep changes nothing (no overrides, no quirks). */
export function overridesHash(
  overrides: Readonly<Record<string, OverrideValue>>,
  referenceQuirks: boolean,
): string | null {
  const keys = Object.keys(overrides).sort();
  if (keys.length === 0 && !referenceQuirks) return null;
  const canonical: Record<string, OverrideValue> = {};
  for (const key of keys) canonical[key] = overrides[key]!;
  if (referenceQuirks) canonical.referenceQuirks = true; // not a config key: cannot clash
  const digest = createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
  return digest.slice(0, OVERRIDES_HASH_DIGITS);
}

/** A run's id from its parts. */
export function sweepRunId(parts: {
  readonly algo: string;
  readonly envSlug: string;
  readonly hash: string | null;
  readonly seed: number;
}): string {
  const set = parts.hash === null ? '' : `/set-${parts.hash}`;
  return `${parts.algo}/${parts.envSlug}${set}/seed-${parts.seed}`;
}
