/**
 * Whether the run saved in a folder is the run a batch (`steer compare`, `steer table1`) plans
 * there: its config.json's env and resolved training config against the planned ones, field by
 * field. A batch reuses a folder's run (resumes it, or takes its result) only when they agree, so
 * the numbers of its card come from the config its command states, not from an earlier one.
 *
 * No field is left out: every key of the training config changes the numbers (gradientShards too,
 * see its doc comment), and what may differ between sessions of one run (the backend, the update
 * threads, the checkpoint interval) is not in it. Keys added after a run was saved read back with
 * the values that reproduce it (ADDED_KEY_DEFAULTS), so they differ only if the plan changes them.
 */
import type { TrainConfig } from '../../core/algos/config.js';
import type { RunConfig } from './runDir.js';

/** What a batch plans in a run folder. */
export interface PlannedRun {
  /** Canonical env name (config.json's `env`). */
  readonly env: string;
  /** The resolved training config a new run would get (runPlan.ts `planTrainConfig`). */
  readonly train: TrainConfig;
  /** PPO updates of the whole run. */
  readonly updates: number;
}

/**
 * The first field where `saved` differs from `planned`, as "entropyCoef 0.2, not 0.05", or null
 * when none does. The identity comes first (algorithm, env, seed, updates), then every training
 * key in the config's order.
 */
export function firstRunDifference(saved: RunConfig, planned: PlannedRun): string | null {
  const fields: [string, unknown, unknown][] = [
    ['algorithm', saved.train.algo, planned.train.algo],
    ['env', saved.env, planned.env],
    ['seed', saved.train.seed, planned.train.seed],
    ['updates', saved.totalUpdates, planned.updates],
  ];
  const keys = new Set([...Object.keys(planned.train), ...Object.keys(saved.train)]);
  for (const key of keys) {
    if (key === 'algo' || key === 'seed') continue; // above, by name
    fields.push([
      key,
      (saved.train as Record<string, unknown>)[key],
      (planned.train as Record<string, unknown>)[key],
    ]);
  }
  const differs = fields.find(([, found, wanted]) => !Object.is(found, wanted));
  return differs === undefined ? null : `${differs[0]} ${String(differs[1])}, not ${String(differs[2])}`;
}

/** What a command-line batch tells the user to do about a folder holding another run. */
export const OTHER_RUNS_DIR = 'move it away or use another --runs-dir';

/**
 * The one-line refusal of a folder holding another run than planned, ending with what to do about
 * it (`remedy`: a sweep file names its runs folder in the file, not with --runs-dir).
 */
export function otherRunMessage(runDir: string, difference: string, remedy: string = OTHER_RUNS_DIR): string {
  return `${runDir} holds a run with ${difference}; ${remedy}`;
}
