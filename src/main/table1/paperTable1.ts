/**
 * The paper's Table 1 as printed (docs/spec/steer.md §c.8): per method, the share of runs [%] that
 * converge to the global optimal strategy in each game. Keyed by the registry name of the algorithm
 * that reproduces the method (src/core/algos/registry.ts), so `steer table1 --algos` finds each
 * row's figures; STEER's ablations have no row. test/unit/main/table1/paperTable1.test.ts reads
 * §c.8 and checks every figure.
 */

/** The Table 1 games by key (Table1Game.key of src/core/envs/matrix/targets.ts). */
export type Table1GameKey =
  | 'penalty0'
  | 'penalty-100'
  | 'penalty-1000'
  | 'penalty-10000'
  | 'mixing'
  | 'coordination'
  | 'cooperation';

/** One method's row. */
export interface PaperTable1Row {
  /** The method as the paper names it ("STEER", "MAPPO"). */
  readonly method: string;
  /** Converged runs [%] per game; null where the paper prints none (k = −10000 is a claim, §c.8). */
  readonly percent: Readonly<Record<Table1GameKey, number | null>>;
}

/** docs/spec/steer.md §c.8, row by row. */
export const PAPER_TABLE1: Readonly<Record<string, PaperTable1Row>> = Object.freeze({
  steer: {
    method: 'STEER',
    percent: {
      penalty0: 100,
      'penalty-100': 100,
      'penalty-1000': 72,
      'penalty-10000': null, // the paper says STEER still works, with no figure (§c.8)
      mixing: 100,
      coordination: 95,
      cooperation: 96,
    },
  },
  step: {
    method: 'STEP',
    percent: {
      penalty0: 100,
      'penalty-100': 93,
      'penalty-1000': 44,
      'penalty-10000': null,
      mixing: 100, // printed "100" without % (§c.8)
      coordination: 94,
      cooperation: 90,
    },
  },
  mat: {
    method: 'MAT',
    percent: {
      penalty0: 100,
      'penalty-100': 0,
      'penalty-1000': 0,
      'penalty-10000': null,
      mixing: 0,
      coordination: 46,
      cooperation: 5,
    },
  },
  happo: {
    method: 'HAPPO',
    percent: {
      penalty0: 100,
      'penalty-100': 0,
      'penalty-1000': 0,
      'penalty-10000': null,
      mixing: 28,
      coordination: 6,
      cooperation: 19,
    },
  },
  mappo: {
    method: 'MAPPO',
    percent: {
      penalty0: 95,
      'penalty-100': 0,
      'penalty-1000': 0,
      'penalty-10000': null,
      mixing: 63,
      coordination: 14,
      cooperation: 65,
    },
  },
});

/** The paper's row of algorithm `algo`, if it has one. */
function rowOf(algo: string): PaperTable1Row | undefined {
  return Object.hasOwn(PAPER_TABLE1, algo) ? PAPER_TABLE1[algo] : undefined;
}

/** The paper's percentage for `algo` on game `key`; null without a row or a figure. */
export function paperPercent(algo: string, key: string): number | null {
  const percent = rowOf(algo)?.percent;
  return percent !== undefined && Object.hasOwn(percent, key) ? percent[key as Table1GameKey] : null;
}

/** How the table names `algo`: the paper's method ("STEER"), else the registry name itself. */
export function methodLabel(algo: string): string {
  return rowOf(algo)?.method ?? algo;
}
