/**
 * The runs of a comparison: every (algorithm, seed), seed-major (seed 1 of every algorithm, then
 * seed 2, …) so that a batch stopped early has a run of every algorithm. A run's folder,
 * `<runsDir>/<algo>/seed-<n>`, depends on nothing else, so the same --runs-dir can take more
 * algorithms or seeds later and reuse the runs it has.
 */
import { join } from 'node:path';

/** One run to train and evaluate. */
export interface CompareJob {
  /** The algorithm's registry name. */
  readonly algo: string;
  readonly seed: number;
  /** Its run folder. */
  readonly runDir: string;
}

/** Every (algorithm, seed 1..seeds), seed-major. */
export function planCompare(algos: readonly string[], seeds: number, runsDir: string): CompareJob[] {
  const jobs: CompareJob[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    for (const algo of algos) jobs.push({ algo, seed, runDir: join(runsDir, algo, `seed-${seed}`) });
  }
  return jobs;
}

/** Where a run's final evaluation is kept between invocations (outside the run folder). */
export function evaluationCachePath(runsDir: string, job: CompareJob): string {
  return join(runsDir, 'evaluations', `${job.algo}-seed-${job.seed}.json`);
}
