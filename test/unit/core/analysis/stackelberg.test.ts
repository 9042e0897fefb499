/**
 * The bimatrix solver reproduces the SE / pure NE / optimum statements of docs/spec/steer.md §c.5
 * (acceptance check §g.7). Tables are typed in from §c.2/§c.3.
 */
import { describe, expect, it } from 'vitest';
import type { Bimatrix, PayoffMatrix } from '../../../../src/core/analysis/stackelberg.js';
import {
  followerBestResponse,
  payoffSumOptima,
  pureNashEquilibria,
  stackelbergEquilibrium,
} from '../../../../src/core/analysis/stackelberg.js';
import { NSTEP_SCENARIOS, stageGame } from '../../../../src/core/envs/matrix/nstepMatrixGame.js';

function penalty(k: number): Bimatrix {
  const table: PayoffMatrix = [
    [k, 0, 10],
    [0, 2, 0],
    [8, 0, k],
  ];
  return [table, table];
}

const MIXING: Bimatrix = [
  [
    [0, -10, -8],
    [-5, -5, -15],
    [5, -10, -10],
  ],
  [
    [5, -5, 4],
    [-10, 0, -5],
    [0, -5, 5],
  ],
];

const COORDINATION_FINAL: Bimatrix = [
  [
    [0, 0, 5],
    [30, 10, 0],
    [20, 0, 0],
  ],
  [
    [0, 0, 10],
    [0, 5, 0],
    [15, 0, 0],
  ],
];

const COOPERATION_FINAL: Bimatrix = [
  [
    [1, 1],
    [1, 4],
  ],
  [
    [1, 1],
    [1, 4],
  ],
];

describe('Stackelberg solver (docs/spec/steer.md §c.5)', () => {
  it.each([0, -100, -1000])(
    'Penalty k=%d: SE = optimum = (0,2) paying 10 each; pure NE (0,2), (1,1), (2,0)',
    (k) => {
      const game = penalty(k);
      expect(stackelbergEquilibrium(game)).toEqual({
        actions: [0, 2],
        payoffs: [10, 10],
        bestResponses: [2, 1, 0],
      });
      expect(pureNashEquilibria(game)).toEqual([
        { actions: [0, 2], payoffs: [10, 10], strict: true },
        { actions: [1, 1], payoffs: [2, 2], strict: true },
        { actions: [2, 0], payoffs: [8, 8], strict: true },
      ]);
      expect(payoffSumOptima(game)).toEqual([{ actions: [0, 2], payoffs: [10, 10] }]);
    },
  );

  it('Mixing: SE (0,0) = (0,5); only pure NE (1,1) = (−5,0) strict; sum optimum ties (0,0) and (2,0)', () => {
    const se = stackelbergEquilibrium(MIXING);
    expect(se).toEqual({ actions: [0, 0], payoffs: [0, 5], bestResponses: [0, 1, 2] });
    expect(pureNashEquilibria(MIXING)).toEqual([{ actions: [1, 1], payoffs: [-5, 0], strict: true }]);
    expect(payoffSumOptima(MIXING)).toEqual([
      { actions: [0, 0], payoffs: [0, 5] },
      { actions: [2, 0], payoffs: [5, 0] },
    ]);
    // The SE Pareto-dominates the NE.
    expect(se.payoffs[0]).toBeGreaterThan(-5);
    expect(se.payoffs[1]).toBeGreaterThan(0);
  });

  it('Coordination final stage: NE (0,2) = (5,10), (1,1) = (10,5); SE (2,0) = (20,15), the sum optimum, not a NE', () => {
    const nash = pureNashEquilibria(COORDINATION_FINAL);
    expect(nash).toEqual([
      { actions: [0, 2], payoffs: [5, 10], strict: true },
      { actions: [1, 1], payoffs: [10, 5], strict: true },
    ]);
    const se = stackelbergEquilibrium(COORDINATION_FINAL);
    expect(se).toEqual({ actions: [2, 0], payoffs: [20, 15], bestResponses: [2, 1, 0] });
    expect(payoffSumOptima(COORDINATION_FINAL)).toEqual([{ actions: [2, 0], payoffs: [20, 15] }]);
    expect(nash.map((n) => n.actions)).not.toContainEqual([2, 0]);
    // With agent 1 on 0, agent 0 would switch to 1 for 30.
    expect(COORDINATION_FINAL[0][1]![0]).toBe(30);
  });

  it('Cooperation final stage: NE (1,1) = 4 strict and (0,0) = 1 weak; SE (1,1)', () => {
    expect(pureNashEquilibria(COOPERATION_FINAL)).toEqual([
      { actions: [0, 0], payoffs: [1, 1], strict: false },
      { actions: [1, 1], payoffs: [4, 4], strict: true },
    ]);
    expect(stackelbergEquilibrium(COOPERATION_FINAL).actions).toEqual([1, 1]);
    expect(payoffSumOptima(COOPERATION_FINAL)).toEqual([{ actions: [1, 1], payoffs: [4, 4] }]);
  });

  it("the envs' own final-stage tables give the same analysis", () => {
    expect(stackelbergEquilibrium(stageGame(NSTEP_SCENARIOS.coordination!, 0, 9)).actions).toEqual([2, 0]);
    expect(stackelbergEquilibrium(stageGame(NSTEP_SCENARIOS.coordination!, 1, 9)).actions).toEqual([2, 0]);
    expect(stackelbergEquilibrium(stageGame(NSTEP_SCENARIOS.cooperation!, 0, 9)).actions).toEqual([1, 1]);
  });

  it('breaks ties toward the lowest action index, for the follower and for the leader', () => {
    const flat: Bimatrix = [
      [
        [1, 1],
        [1, 1],
      ],
      [
        [0, 0],
        [0, 0],
      ],
    ];
    expect(followerBestResponse(flat, 1)).toBe(0);
    expect(stackelbergEquilibrium(flat).actions).toEqual([0, 0]);
    expect(pureNashEquilibria(flat).every((n) => !n.strict)).toBe(true);
    expect(pureNashEquilibria(flat)).toHaveLength(4);
  });

  it('refuses mismatched tables and a leader action out of range', () => {
    const ragged: Bimatrix = [
      [
        [1, 2],
        [3, 4],
      ],
      [[1, 2], [3]],
    ];
    expect(() => pureNashEquilibria(ragged)).toThrow(
      'bimatrix: agent 1 row 1: expected 2 columns, received 1',
    );
    expect(() => followerBestResponse(COOPERATION_FINAL, 2)).toThrow(
      'bimatrix: leader action: expected an integer in 0..1, received 2',
    );
  });
});
