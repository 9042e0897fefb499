/**
 * A sweep file → its runs, pure: every (seed, env or scenario, algorithm), seed-major (seed 1 of every
 * env and algorithm, then seed 2, …) so that a sweep stopped early has a run of every cell, as
 * `steer table1` and `steer compare` order theirs. Ids and folders follow runId.ts: the same file
 * always gives the same runs.
 */
import { posix } from 'node:path';
import { evaluatedOverEpisodes } from '../train/runPlan.js';
import { envSlug, overridesHash, sweepRunId } from './runId.js';
import type { SweepFile } from './sweepFile.js';
import type { SweepRun, SweepScenario } from './sweepRun.js';

/** Every run of `sweep`, in the order they are started. */
export function expandSweep(sweep: SweepFile): SweepRun[] {
  const hash = overridesHash(sweep.overrides, sweep.referenceQuirks);
  const targets: (string | SweepScenario)[] = [...sweep.envs, ...sweep.scenarios];
  const runs: SweepRun[] = [];
  for (const seed of sweep.seeds) {
    for (const target of targets) {
      for (const algo of sweep.algos) {
        const id = sweepRunId({ algo, envSlug: envSlug(target), hash, seed });
        const scenario = typeof target === 'string' ? null : target;
        runs.push({
          id,
          sweep: sweep.name,
          algo,
          env: scenario === null ? (target as string) : null,
          scenario: scenario === null ? null : { ...scenario },
          seed,
          updates: sweep.updates,
          overrides: { ...sweep.overrides },
          referenceQuirks: sweep.referenceQuirks,
          checkpointEvery: sweep.checkpointEvery,
          evaluation: runEvaluation(sweep, target),
          runsDir: sweep.runsDir,
          runDir: posix.join(sweep.runsDir, id), // '/' on every OS: the same folders everywhere
        });
      }
    }
  }
  return runs;
}

/** A run's training-time evaluation: the sweep's for scenarios, its MuJoCo one for MuJoCo envs. */
function runEvaluation(sweep: SweepFile, target: string | SweepScenario): SweepRun['evaluation'] {
  if (typeof target !== 'string') return sweep.evaluation === null ? null : { ...sweep.evaluation };
  if (evaluatedOverEpisodes(target) && sweep.mujocoEvaluation !== null) return { ...sweep.mujocoEvaluation };
  return null;
}
