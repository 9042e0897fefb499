/**
 * Support enumeration finds the Nash equilibria of docs/spec/steer.md §c.5, pure and mixed, for
 * Mixing and the Penalty games (tables read from the matrix envs, §c.2).
 */
import { describe, expect, it } from 'vitest';
import {
  bimatrixOf,
  mixedNashEquilibria,
  stackelbergEquilibrium,
} from '../../../../src/core/analysis/index.js';
import type { MixedNash } from '../../../../src/core/analysis/mixedNash.js';
import { findMatrixGame, TABLE1_GAMES } from '../../../../src/core/envs/matrix/index.js';

function game(name: string) {
  const table = findMatrixGame(name);
  if (table === undefined) throw new Error(`no game ${name}`);
  return bimatrixOf(table);
}

/** An equilibrium rounded as §c.5 prints it: strategies to 3 decimals, payoffs to 2. */
function rounded(nash: MixedNash) {
  const r = (x: number, d: number) => Number(x.toFixed(d)) + 0; // + 0 turns −0 into 0
  return {
    leader: nash.leader.map((p) => r(p, 3)),
    follower: nash.follower.map((p) => r(p, 3)),
    payoffs: nash.payoffs.map((v) => r(v, 2)),
    pure: nash.pure,
  };
}

describe('mixedNashEquilibria', () => {
  it('Mixing: the pure NE (1,1) and the two mixed NE of §c.5', () => {
    expect(mixedNashEquilibria(game('different_order')).map(rounded)).toEqual([
      { leader: [0, 1, 0], follower: [0, 1, 0], payoffs: [-5, 0], pure: true },
      { leader: [0.357, 0.643, 0], follower: [0, 0.583, 0.417], payoffs: [-9.17, -1.79], pure: false },
      { leader: [0.833, 0, 0.167], follower: [0.286, 0, 0.714], payoffs: [-5.71, 4.17], pure: false },
    ]);
  });

  it('Penalty k = 0: the three strict pure NE and mixed NE worth 1.67, 4.44, 1.60 and 1.38 (§c.5)', () => {
    const equilibria = mixedNashEquilibria(game('penalty0'));
    expect(equilibria.filter((e) => e.pure).map((e) => [e.leader.indexOf(1), e.follower.indexOf(1)])).toEqual(
      [
        [0, 2],
        [1, 1],
        [2, 0],
      ],
    );
    const mixed = equilibria.filter((e) => !e.pure).map(rounded);
    expect(mixed.map((e) => e.payoffs)).toEqual([
      [1.67, 1.67],
      [4.44, 4.44],
      [1.6, 1.6],
      [1.38, 1.38],
    ]);
    expect(mixed[1]).toMatchObject({ leader: [0.444, 0, 0.556], follower: [0.556, 0, 0.444] });
  });

  it.each(['penalty-100', 'penalty-1000'])('%s: mixed NE worth 1.67 and 1.60 only (§c.5)', (name) => {
    const mixed = mixedNashEquilibria(game(name)).filter((e) => !e.pure);
    expect(mixed.map((e) => rounded(e).payoffs)).toEqual([
      [1.67, 1.67],
      [1.6, 1.6],
    ]);
  });

  it('every equilibrium is one: no player gains by any pure deviation', () => {
    for (const name of [
      'different_order',
      'penalty0',
      'matching_pennies',
      'rock_paper_scissors',
      'climbing',
    ]) {
      const bimatrix = game(name);
      for (const nash of mixedNashEquilibria(bimatrix)) {
        const rowValues = bimatrix[0].map((row) => row.reduce((s, v, j) => s + v * nash.follower[j]!, 0));
        const columnValues = bimatrix[1][0]!.map((_, j) =>
          bimatrix[1].reduce((s, row, i) => s + row[j]! * nash.leader[i]!, 0),
        );
        expect(Math.max(...rowValues)).toBeCloseTo(nash.payoffs[0], 9);
        expect(Math.max(...columnValues)).toBeCloseTo(nash.payoffs[1], 9);
      }
    }
    // matching pennies and rock-paper-scissors: the uniform mix only
    expect(mixedNashEquilibria(game('matching_pennies')).map(rounded)).toEqual([
      { leader: [0.5, 0.5], follower: [0.5, 0.5], payoffs: [0, 0], pure: false },
    ]);
    expect(mixedNashEquilibria(game('rock_paper_scissors')).map((e) => rounded(e).leader)).toEqual([
      [0.333, 0.333, 0.333],
    ]);
  });

  it('refuses tables of different shapes, naming the agent and the row', () => {
    expect(() =>
      mixedNashEquilibria([
        [
          [1, 2],
          [3, 4],
        ],
        [[1, 2], [3]],
      ]),
    ).toThrow(/agent 1 row 1: expected 2 columns, received 1/);
  });
});

describe('bimatrixOf', () => {
  it("gives Table 1's target as the Stackelberg equilibrium of every single-step Table 1 game (§c.7)", () => {
    for (const t of TABLE1_GAMES.filter((g) => g.envName.startsWith('matrix:'))) {
      const se = stackelbergEquilibrium(game(t.envName.slice('matrix:'.length)));
      expect(se.payoffs, t.key).toEqual(t.targetReturn);
    }
  });

  it('refuses a game of three agents', () => {
    const three = findMatrixGame('matching_pennies_3')!;
    expect(() => bimatrixOf(three)).toThrow(
      /matching_pennies_3: a bimatrix needs a two-agent game, this one has 3/,
    );
  });
});
