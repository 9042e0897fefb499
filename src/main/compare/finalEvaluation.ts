/**
 * A run's final evaluation, as the comparison's table needs it: for a registry env the greedy
 * episode judged by docs/spec/steer.md §c.7 (returns, converged), for a HORM scenario the held-out
 * metrics over many episodes (crash rate, mean regional return, merge completion, mean speed). Read
 * from the JSON line of the child `steer train --json` or `steer eval --json`, and kept between
 * invocations in a small file tied to the checkpoint it judged, so a rerun evaluates nothing twice.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { writeJsonAtomic } from '../io/atomicWrite.js';

const GreedySchema = z.object({
  kind: z.literal('greedy').default('greedy'),
  updates: z.int(),
  returns: z.array(z.number()),
  target: z.array(z.number()).nullable(),
  converged: z.boolean(),
});

const HormSchema = z.object({
  kind: z.literal('horm').default('horm'),
  updates: z.int(),
  episodes: z.int(),
  seed: z.int(),
  crashRate: z.number(),
  meanReturn: z.number(),
  mergeCompletion: z.number().nullable(),
  meanSpeed: z.number(),
});

/** The greedy §c.7 evaluation of a registry-env run. */
export type GreedyEvaluation = z.infer<typeof GreedySchema>;
/** The held-out HORM evaluation of a scenario run. */
export type HormFinalEvaluation = z.infer<typeof HormSchema>;
/** Either. */
export type FinalEvaluation = GreedyEvaluation | HormFinalEvaluation;

/**
 * The evaluation in a child's `--json` line (`train` of a registry-env run, or `eval`), or null if
 * the line is not one; `horm` says which kind to read. Extra fields are ignored.
 */
export function parseFinalEvaluation(value: unknown, horm: boolean): FinalEvaluation | null {
  const parsed = (horm ? HormSchema : GreedySchema).safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** What the cache file holds: the evaluation and what it was made from. */
const CacheSchema = z.object({
  /** The checkpoint judged (checkpointIdentity's `checkpoint`). */
  checkpoint: z.string(),
  /** HORM episodes asked for (null for a greedy evaluation). */
  episodes: z.int().nullable(),
  evaluation: z.union([GreedySchema, HormSchema]),
});

/** The cached evaluation of `checkpoint` with `episodes`, or null if there is none that fits. */
export async function readCachedEvaluation(
  file: string,
  checkpoint: string,
  episodes: number | null,
): Promise<FinalEvaluation | null> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return null; // none yet, or unreadable: evaluate again
  }
  const parsed = CacheSchema.safeParse(raw);
  if (!parsed.success) return null;
  const cached = parsed.data;
  return cached.checkpoint === checkpoint && cached.episodes === episodes ? cached.evaluation : null;
}

/** Keeps `evaluation` of `checkpoint` (atomically). */
export async function writeCachedEvaluation(
  file: string,
  checkpoint: string,
  episodes: number | null,
  evaluation: FinalEvaluation,
): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeJsonAtomic(file, { checkpoint, episodes, evaluation });
}
