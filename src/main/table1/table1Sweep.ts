/**
 * `steer table1` as a sweep: its (algorithm, game, seed) runs as sweep runs (src/main/sweep/), trained
 * by the same executors as `steer sweep run` (this machine's pool, or `steer worker` processes through
 * a queue), then each finished run judged here from its checkpoint by docs/spec/steer.md §c.7 (one
 * greedy episode, in this process). The runs keep table1's folders, `<runsDir>/<algo>/<game>/seed-<n>`,
 * so a runs folder made before table1 was a sweep is continued, not trained again; their ids are the
 * sweep ids (`steer/matrix-penalty0/seed-1`), and their budget each algorithm's preset for the game
 * unless --updates gives one.
 */
import { totalUpdates } from '../../core/algos/config.js';
import { envSlug, overridesHash, type SweepRun, sweepRunId } from '../sweep/index.js';
import { isConverged } from '../train/evaluate.js';
import { evaluateRun } from '../train/evaluateRun.js';
import { canonicalEnvName, type NewRunRequest, planTrainConfig, RUN_DEFAULTS } from '../train/runPlan.js';
import type { Table1Job } from './table1Plan.js';
import type { Table1RunResult } from './table1Report.js';

/** What every run of the table is planned with (--set, --updates, --reference-quirks). */
export type Table1Request = Pick<NewRunRequest, 'overrides' | 'updates' | 'referenceQuirks'>;

/**
 * The sweep run of each job, in job order; `jobs` come from planTable1 with the runs folder as the
 * user gave it. Throws a RunPlanError when the request makes no valid config (checked before).
 */
export function table1SweepRuns(
  jobs: readonly Table1Job[],
  request: Table1Request,
  sweep: string,
  runsDir: string,
): SweepRun[] {
  const overrides = (request.overrides ?? {}) as SweepRun['overrides'];
  const referenceQuirks = request.referenceQuirks === true;
  const hash = overridesHash(overrides, referenceQuirks);
  return jobs.map((job) => {
    const env = canonicalEnvName(job.game.envName);
    const updates = totalUpdates(planTrainConfig(env, { ...request, algo: job.algo }, job.seed));
    return {
      id: sweepRunId({ algo: job.algo, envSlug: envSlug(env), hash, seed: job.seed }),
      sweep,
      algo: job.algo,
      env,
      scenario: null,
      seed: job.seed,
      updates,
      overrides: { ...overrides },
      referenceQuirks,
      checkpointEvery: RUN_DEFAULTS.checkpointEvery,
      evaluation: null,
      runsDir,
      runDir: job.runDir,
    };
  });
}

/** What the executor says of a run's training. */
type Trained = Pick<Table1RunResult, 'action' | 'seconds'>;

/** The fields of `job`'s result that do not depend on how it ended. */
function resultBase(job: Table1Job, runDir: string, trained: Trained) {
  return {
    algo: job.algo,
    game: job.game.key,
    envName: job.game.envName,
    seed: job.seed,
    runDir,
    target: [...job.game.targetReturn],
    action: trained.action,
    seconds: trained.seconds,
  };
}

/**
 * Judges the finished run of `job` (folder `runDir`, resolved) from its checkpoint: one greedy
 * episode against the game's target (§c.7).
 */
export async function judgeTable1Run(
  job: Table1Job,
  runDir: string,
  trained: Trained,
): Promise<Table1RunResult> {
  const { update, evaluation } = await evaluateRun(runDir);
  const base = resultBase(job, runDir, trained);
  return {
    ...base,
    status: 'ok',
    converged: isConverged(evaluation.returns, base.target),
    returns: evaluation.returns,
    actions: evaluation.actions,
    updates: update,
  };
}

/** The result of a run that failed (`runDir` resolved). */
export function failedTable1Run(
  job: Table1Job,
  runDir: string,
  error: string,
  trained: Trained,
): Table1RunResult {
  return {
    ...resultBase(job, runDir, trained),
    status: 'failed',
    converged: false,
    returns: null,
    actions: null,
    updates: null,
    error,
  };
}
