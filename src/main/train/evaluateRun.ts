/**
 * Loads a run folder's latest checkpoint and evaluates its greedy policy (spec/steer.md §c.7): what
 * `steer eval` prints and what the desktop app will show for a finished run.
 */
import { SteerTrainer } from '../../core/algos/steer/trainer.js';
import { makeEnv } from '../../core/envs/registry.js';
import { CheckpointError } from '../io/checkpoint.js';
import { type Evaluation, evaluateGreedy } from './evaluate.js';
import { type RunConfig, RunDirError, readRunConfig, runPaths } from './runDir.js';
import { isMissingCheckpoint, restoreTrainerCheckpoint } from './trainerCheckpoint.js';

/** A run's saved policy, evaluated. */
export interface RunEvaluation {
  readonly run: RunConfig;
  /** Updates the saved policy has had. */
  readonly update: number;
  readonly evaluation: Evaluation;
}

/** Evaluates the policy in `<runDir>/checkpoints/latest`; errors name the folder and what is wrong. */
export async function evaluateRun(runDir: string): Promise<RunEvaluation> {
  const run = await readRunConfig(runDir);
  const trainer = new SteerTrainer(run.env, () => makeEnv(run.env), run.train);
  const env = makeEnv(run.env);
  try {
    let update: number;
    try {
      update = await restoreTrainerCheckpoint(runPaths(runDir).checkpoint, trainer, run);
    } catch (error) {
      if (isMissingCheckpoint(error)) {
        throw new RunDirError(
          `${runDir}: no checkpoint yet (checkpoints/latest); train it with 'steer train --resume ${runDir}'`,
        );
      }
      throw error instanceof CheckpointError ? new RunDirError(error.message) : error;
    }
    return { run, update, evaluation: evaluateGreedy(trainer.policy, env) };
  } finally {
    trainer.dispose();
    env.close?.();
  }
}
