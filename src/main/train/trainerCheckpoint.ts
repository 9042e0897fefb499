/**
 * A Trainer's state in a checkpoint folder: `exportState` → saveCheckpoint, and back. Reading
 * is in two steps so that a checkpoint is verified completely before anything acts on it:
 * `readTrainerCheckpoint` loads it (loadCheckpoint checks the files, their checksums and the tensor
 * table) and checks the trainer's meta against the run (env, training config, counters);
 * `importTrainerCheckpoint` then restores it into a trainer, which checks the model's tensors. Every
 * refusal is a CheckpointError naming the file and the field.
 */

import { join } from 'node:path';
import { z } from 'zod';
import { StoredTrainConfigSchema } from '../../core/algos/config.js';
import type { NamedArray, Trainer, TrainerMeta } from '../../core/algos/ppo/trainer.js';
import {
  CHECKPOINT_MANIFEST_FILE,
  CheckpointError,
  loadCheckpoint,
  saveCheckpoint,
} from '../io/checkpoint.js';
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

/** A checkpoint read from disk and verified against its run, ready to import into a trainer. */
export interface TrainerCheckpoint {
  /** Its checkpoint.json, which errors about the meta and the tensor table name. */
  readonly manifestFile: string;
  readonly meta: TrainerMeta;
  readonly tensors: NamedArray[];
  /** Format 1 (written before checksums): verified by its structure only, not by checksums. */
  readonly unchecksummed: boolean;
}

/** Writes the trainer's complete state to `dir` (atomic; replaces what is there). */
export async function saveTrainerCheckpoint(dir: string, trainer: Trainer): Promise<void> {
  const { meta, tensors } = trainer.exportState();
  await saveCheckpoint(dir, { meta, tensors });
}

/** Whether `dir` holds no checkpoint at all (as opposed to a damaged one). */
export function isMissingCheckpoint(error: unknown): boolean {
  return error instanceof CheckpointError && error.issues[0] === 'checkpoint directory not found';
}

/**
 * Reads the checkpoint in `dir` and verifies that it belongs to `run`: same env, the same training
 * config field by field, and counters that this config can have produced. Reads only.
 */
export async function readTrainerCheckpoint(dir: string, run: RunConfig): Promise<TrainerCheckpoint> {
  const loaded = await loadCheckpoint(dir);
  const manifestFile = join(dir, CHECKPOINT_MANIFEST_FILE);
  const parsed = TrainerMetaSchema.safeParse(loaded.meta);
  if (!parsed.success) {
    throw new CheckpointError(
      manifestFile,
      zodIssueLines(parsed.error.issues).map((line) => `meta.${line}`),
    );
  }
  // modelConfig is checked field by field against the trainer's own by importState
  const meta = parsed.data as unknown as TrainerMeta;
  const issue = envIssue(meta, run) ?? configIssue(meta, run) ?? counterIssue(meta, run);
  if (issue !== null) throw new CheckpointError(manifestFile, [issue]);
  const tensors = loaded.tensors.map((t) => ({ name: t.name, shape: [...t.shape], data: t.data }));
  return { manifestFile, meta, tensors, unchecksummed: loaded.formatVersion === 1 };
}

/**
 * Restores a verified checkpoint into `trainer` and returns its update. A checkpoint whose tensors
 * or model config do not fit the trainer's model is refused naming checkpoint.json (the trainer
 * may then be half restored: dispose of it).
 */
export function importTrainerCheckpoint(trainer: Trainer, checkpoint: TrainerCheckpoint): number {
  try {
    trainer.importState(checkpoint.meta, checkpoint.tensors);
  } catch (error) {
    throw new CheckpointError(checkpoint.manifestFile, [
      `does not fit this run's model: ${(error as Error).message}`,
    ]);
  }
  return checkpoint.meta.update;
}

/** Reads, verifies and restores the checkpoint in `dir` into `trainer`. Returns the restored update. */
export async function restoreTrainerCheckpoint(
  dir: string,
  trainer: Trainer,
  run: RunConfig,
): Promise<number> {
  return importTrainerCheckpoint(trainer, await readTrainerCheckpoint(dir, run));
}

// --- the meta against the run ---

function envIssue(meta: TrainerMeta, run: RunConfig): string | null {
  if (meta.envName === run.env) return null;
  return `meta.envName: expected "${run.env}" (config.json), found "${meta.envName}"`;
}

function configIssue(meta: TrainerMeta, run: RunConfig): string | null {
  const mine = run.train as Record<string, unknown>;
  const theirs = meta.config as Record<string, unknown>;
  for (const key of Object.keys(mine)) {
    if (JSON.stringify(mine[key]) !== JSON.stringify(theirs[key])) {
      return `meta.config.${key}: expected ${JSON.stringify(mine[key])} (config.json), found ${JSON.stringify(theirs[key])}`;
    }
  }
  return null;
}

/**
 * The first counter this run cannot have reached, else null. The trainer adds episodeLength ×
 * numEnvs env steps and ppoEpochs × numMinibatches Adam steps per update, and keeps one episode
 * counter (and env snapshot) per env.
 */
function counterIssue(meta: TrainerMeta, run: RunConfig): string | null {
  const { update } = meta;
  const { episodeLength, numEnvs, ppoEpochs, numMinibatches } = run.train;
  if (update > run.totalUpdates) {
    return `meta.update: expected at most ${run.totalUpdates} (totalUpdates in config.json), found ${update}`;
  }
  const envSteps = update * episodeLength * numEnvs;
  if (meta.envSteps !== envSteps) {
    return `meta.envSteps: expected ${envSteps} (update ${update} × episodeLength ${episodeLength} × numEnvs ${numEnvs}), found ${meta.envSteps}`;
  }
  const adamStep = update * ppoEpochs * numMinibatches;
  if (meta.adamStep !== adamStep) {
    return `meta.adamStep: expected ${adamStep} (update ${update} × ppoEpochs ${ppoEpochs} × numMinibatches ${numMinibatches}), found ${meta.adamStep}`;
  }
  const perEnv: [string, readonly unknown[] | null][] = [
    ['episodeReturns', meta.episodeReturns],
    ['episodeLengths', meta.episodeLengths],
    ['envSnapshots', meta.envSnapshots],
  ];
  for (const [field, list] of perEnv) {
    if (list !== null && list.length !== numEnvs) {
      return `meta.${field}: expected ${numEnvs} entries (numEnvs), found ${list.length}`;
    }
  }
  return null;
}
