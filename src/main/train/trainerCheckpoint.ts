/**
 * A SteerTrainer's state in a checkpoint folder: `exportState` → saveCheckpoint, and back, with the
 * trainer's meta validated (and checked against the run's config) before anything is restored.
 */

import { z } from 'zod';
import { StoredTrainConfigSchema } from '../../core/algos/steer/config.js';
import type { SteerTrainer, TrainerMeta } from '../../core/algos/steer/trainer.js';
import { CheckpointError, loadCheckpoint, saveCheckpoint } from '../io/checkpoint.js';
import { zodIssueLines } from '../io/fileIssues.js';
import type { RunConfig } from './runDir.js';

const uint32 = z.int().min(0).max(0xffffffff);

/** Schema of the trainer's meta inside checkpoint.json (the shape of `TrainerMeta`). */
export const TrainerMetaSchema = z.object({
  config: StoredTrainConfigSchema,
  envName: z.string(),
  modelConfig: z.record(z.string(), z.unknown()),
  update: z.int().nonnegative(),
  envSteps: z.int().nonnegative(),
  rng: z.tuple([uint32, uint32, uint32, uint32]),
  valueNorm: z.object({ mean: z.number(), meanSq: z.number(), debias: z.number() }),
  adamStep: z.int().nonnegative(),
  envSnapshots: z.array(z.unknown()).nullable(),
  episodeReturns: z.array(z.array(z.number())),
  episodeLengths: z.array(z.int().nonnegative()),
});

/** Writes the trainer's complete state to `dir` (atomic; replaces what is there). */
export async function saveTrainerCheckpoint(dir: string, trainer: SteerTrainer): Promise<void> {
  const { meta, tensors } = trainer.exportState();
  await saveCheckpoint(dir, { meta, tensors });
}

/** Whether `dir` holds no checkpoint at all (as opposed to a damaged one). */
export function isMissingCheckpoint(error: unknown): boolean {
  return error instanceof CheckpointError && error.issues[0] === 'checkpoint directory not found';
}

/**
 * Reads the checkpoint in `dir` and restores it into `trainer`, after checking that it belongs to
 * this run: same env and the same training config, field by field. Returns the restored update.
 */
export async function restoreTrainerCheckpoint(
  dir: string,
  trainer: SteerTrainer,
  run: RunConfig,
): Promise<number> {
  const loaded = await loadCheckpoint(dir);
  const parsed = TrainerMetaSchema.safeParse(loaded.meta);
  if (!parsed.success) {
    throw new CheckpointError(
      dir,
      zodIssueLines(parsed.error.issues).map((line) => `meta.${line}`),
    );
  }
  // modelConfig is checked field by field against the trainer's own by importState
  const meta = parsed.data as unknown as TrainerMeta;
  if (meta.envName !== run.env) {
    throw new CheckpointError(dir, [
      `meta.envName: expected "${run.env}" (config.json), found "${meta.envName}"`,
    ]);
  }
  const mine = run.train as Record<string, unknown>;
  const theirs = meta.config as Record<string, unknown>;
  for (const key of Object.keys(mine)) {
    if (JSON.stringify(mine[key]) !== JSON.stringify(theirs[key])) {
      throw new CheckpointError(dir, [
        `meta.config.${key}: config.json has ${JSON.stringify(mine[key])}, the checkpoint ${JSON.stringify(theirs[key])}`,
      ]);
    }
  }
  trainer.importState(
    meta,
    loaded.tensors.map((t) => ({ name: t.name, shape: [...t.shape], data: t.data })),
  );
  return meta.update;
}
