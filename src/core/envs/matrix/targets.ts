/**
 * Table 1 of the paper: which env each column is and the per-agent return that counts as converged
 * (docs/spec/steer.md §c.4, §c.7). The paper's percentages (§c.8) are in
 * src/main/table1/paperTable1.ts.
 */

/** One Table 1 column. */
export interface Table1Game {
  /** Stable key for results files, e.g. "penalty-100", "mixing". */
  readonly key: string;
  /** Column label as printed in the paper. */
  readonly label: string;
  /** Registry name of the env (`makeEnv`), e.g. "matrix:penalty-100". */
  readonly envName: string;
  /**
   * Undiscounted episode return of each agent, [agent 0, agent 1], of the target (SE) play from
   * reset; a seed counts as converged iff greedy play reaches exactly this (docs/spec/steer.md §c.7).
   */
  readonly targetReturn: readonly [number, number];
}

/** Table 1 columns in the paper's order, with Penalty k = −10000 (paper claim only, §c.8) after k = −1000. */
export const TABLE1_GAMES: readonly Table1Game[] = [
  // Penalty k: target (0,2) = 10 each (§c.7).
  {
    key: 'penalty0',
    label: 'Penalty k=0',
    envName: 'matrix:penalty0',
    targetReturn: [10, 10],
  },
  {
    key: 'penalty-100',
    label: 'Penalty k=−100',
    envName: 'matrix:penalty-100',
    targetReturn: [10, 10],
  },
  {
    key: 'penalty-1000',
    label: 'Penalty k=−1000',
    envName: 'matrix:penalty-1000',
    targetReturn: [10, 10],
  },
  // Not in the reference code nor in Table 1: the paper only claims STEER still works (§c.8).
  {
    key: 'penalty-10000',
    label: 'Penalty k=−10000',
    envName: 'matrix:penalty-10000',
    targetReturn: [10, 10],
  },
  // Mixing = different_order (inferred, §c.4); target is the SE (0,0), not the tied sum-optimum (2,0) (§c.5).
  {
    key: 'mixing',
    label: 'Mixing',
    envName: 'matrix:different_order',
    targetReturn: [0, 5],
  },
  // (0,0)×9 or (2,2)×9, then (2,0) (§c.7).
  {
    key: 'coordination',
    label: 'Coordination',
    envName: 'nstep:coordination',
    targetReturn: [29, 24],
  },
  // (0,0)×9, then (1,1) (§c.7).
  {
    key: 'cooperation',
    label: 'Cooperation',
    envName: 'nstep:cooperation',
    targetReturn: [13, 13],
  },
];
