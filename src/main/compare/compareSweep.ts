/**
 * `steer compare` as a sweep: its (algorithm, seed) runs as sweep runs (src/main/sweep/), trained by
 * the same executors as `steer sweep run` (this machine's pool, or `steer worker` processes through
 * a queue); the final evaluations follow (compareEvaluation.ts). The runs keep compare's folders,
 * `<runsDir>/<algo>/seed-<n>`, so a runs folder made before compare was a sweep is continued; their
 * ids are the sweep ids (`mappo/horm-easy-density-2/seed-3`).
 */
import { posix } from 'node:path';
import type { CompareEnv } from '../sweep/batchEnv.js';
import {
  envSlug,
  overridesHash,
  type PathResolver,
  type RunTarget,
  registryTarget,
  type SweepRun,
  type SweepScenario,
  sweepRunId,
} from '../sweep/index.js';
import { batchSweepName } from '../sweep/sweepBatch.js';
import { openScenarioTarget } from '../sweep/sweepTargets.js';
import { RUN_DEFAULTS } from '../train/runPlan.js';

/** The training-time evaluation of a scenario run: `steer train`'s default, as compare's runs had before. */
const EVALUATION = RUN_DEFAULTS.trainingEvaluation;

/** What every run of the comparison trains on and with. */
export interface CompareSweepPlan {
  readonly algos: readonly string[];
  readonly seeds: number;
  readonly updates: number;
  readonly overrides: SweepRun['overrides'];
  /** The registry env's canonical name, or the scenario (file as typed, density or null). */
  readonly target: string | SweepScenario;
  /** The runs folder as the user gave it. */
  readonly runsDir: string;
}

/** Every (algorithm, seed) as a sweep run, seed-major (as planCompare), in compare's folders. */
export function compareSweepRuns(plan: CompareSweepPlan): SweepRun[] {
  const sweep = batchSweepName(plan.runsDir, 'compare');
  const hash = overridesHash(plan.overrides, false);
  const scenario = typeof plan.target === 'string' ? null : plan.target;
  const runs: SweepRun[] = [];
  for (let seed = 1; seed <= plan.seeds; seed++) {
    for (const algo of plan.algos) {
      runs.push({
        id: sweepRunId({ algo, envSlug: envSlug(plan.target), hash, seed }),
        sweep,
        algo,
        env: scenario === null ? (plan.target as string) : null,
        scenario: scenario === null ? null : { ...scenario },
        seed,
        updates: plan.updates,
        overrides: { ...plan.overrides },
        referenceQuirks: false,
        checkpointEvery: RUN_DEFAULTS.checkpointEvery,
        evaluation: scenario === null ? null : { every: EVALUATION.every, episodes: EVALUATION.episodes },
        runsDir: plan.runsDir,
        runDir: posix.join(plan.runsDir, algo, `seed-${seed}`),
      });
    }
  }
  return runs;
}

/**
 * The target every run trains on: the registry env, or the scenario opened (and rewritten at its
 * density into the runs folder) as `steer sweep run` opens a sweep's. A scenario that cannot be
 * opened was refused before (src/main/sweep/batchEnv.ts); if it changed since, this throws its one line.
 */
export async function compareRunTarget(
  env: CompareEnv,
  target: string | SweepScenario,
  runsDir: string,
  resolvePath: PathResolver,
): Promise<RunTarget> {
  if (typeof target === 'string') return registryTarget(env.envName);
  const opened = await openScenarioTarget(target, 0, resolvePath(runsDir), resolvePath);
  if ('message' in opened) throw new Error(`--scenario ${target.file}: ${opened.message}`);
  return opened;
}
