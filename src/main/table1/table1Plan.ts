/**
 * The runs of Table 1: every (algorithm, game, seed) and its folder. How they are trained and judged
 * is table1Sweep.ts.
 */
import { join } from 'node:path';
import type { Table1Game } from '../../core/envs/matrix/targets.js';

/** One run to do. */
export interface Table1Job {
  /** The algorithm's registry name. */
  readonly algo: string;
  readonly game: Table1Game;
  readonly seed: number;
  /** Its run folder. */
  readonly runDir: string;
}

/**
 * Every (algorithm, game, seed), seed-major (seed 1 of every algorithm and game, then seed 2, …) so
 * that a batch stopped early has results for every cell. A run's folder,
 * `<runsDir>/<algo>/<game>/seed-<n>`, depends on nothing else, so the same --runs-dir can take
 * more algorithms later and reuse the runs it has.
 */
export function planTable1(
  algos: readonly string[],
  games: readonly Table1Game[],
  seeds: number,
  runsDir: string,
): Table1Job[] {
  const jobs: Table1Job[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    for (const algo of algos) {
      for (const game of games) {
        jobs.push({ algo, game, seed, runDir: join(runsDir, algo, game.key, `seed-${seed}`) });
      }
    }
  }
  return jobs;
}
