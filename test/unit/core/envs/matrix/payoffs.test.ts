/**
 * Every payoff entry of docs/spec/steer.md §c.2, checked by stepping the env (acceptance check §g.6).
 * The expected tables below are typed in from the spec, not read from the code under test.
 */
import { describe, expect, it } from 'vitest';
import { MatrixGame } from '../../../../../src/core/envs/matrix/matrixGame.js';
import { matrixGameNames } from '../../../../../src/core/envs/matrix/payoffs.js';

type Nested = number | readonly Nested[];

/** Spec §c.2 "Penalty k": common payoff [[k,0,10],[0,2,0],[8,0,k]]. */
function penalty(k: number): readonly [Nested, Nested] {
  const table = [
    [k, 0, 10],
    [0, 2, 0],
    [8, 0, k],
  ];
  return [table, table];
}

/** [agent 0's payoff, agent 1's payoff(, agent 2's)] per game, rows = a_0, columns = a_1 (§c.2). */
const EXPECTED: Readonly<Record<string, readonly Nested[]>> = {
  coordination_0_0: [
    [
      [1, -1],
      [-1, -1],
    ],
    [
      [1, -1],
      [-1, -1],
    ],
  ],
  coordination_same_action_with_preference: [
    [
      [40, 0],
      [80, 20],
    ],
    [
      [40, 0],
      [0, 20],
    ],
  ],
  zero_sum_nash_0_1: [
    [
      [5, 2],
      [-1, 6],
    ],
    [
      [-5, -2],
      [1, -6],
    ],
  ],
  matching_pennies: [
    [
      [1, -1],
      [-1, 1],
    ],
    [
      [-1, 1],
      [1, -1],
    ],
  ],
  prison_lola: [
    [
      [-1, -3],
      [0, -2],
    ],
    [
      [-1, 0],
      [-3, -2],
    ],
  ],
  prison: [
    [
      [3, 1],
      [4, 2],
    ],
    [
      [3, 4],
      [1, 2],
    ],
  ],
  stag_hunt: [
    [
      [4, 1],
      [3, 2],
    ],
    [
      [4, 3],
      [1, 2],
    ],
  ],
  chicken: [
    [
      [3, 2],
      [4, 1],
    ],
    [
      [3, 4],
      [2, 1],
    ],
  ],
  harmony: [
    [
      [4, 3],
      [2, 1],
    ],
    [
      [4, 2],
      [3, 1],
    ],
  ],
  wolf_05_05: [
    [
      [0, 3],
      [1, 2],
    ],
    [
      [3, 2],
      [0, 1],
    ],
  ],
  matching_pennies_3: [
    [
      [
        [1, -1],
        [-1, 1],
      ],
      [
        [1, -1],
        [-1, 1],
      ],
    ],
    [
      [
        [1, -1],
        [1, -1],
      ],
      [
        [-1, 1],
        [-1, 1],
      ],
    ],
    [
      [
        [-1, -1],
        [1, 1],
      ],
      [
        [1, 1],
        [-1, -1],
      ],
    ],
  ],
  climbing: [
    [
      [20, 0, 0],
      [30, 10, 0],
      [0, 0, 5],
    ],
    [
      [15, 0, 0],
      [0, 5, 0],
      [0, 0, 10],
    ],
  ],
  rock_paper_scissors: [
    [
      [0, -1, 1],
      [1, 0, -1],
      [-1, 1, 0],
    ],
    [
      [0, 1, -1],
      [-1, 0, 1],
      [1, -1, 0],
    ],
  ],
  QPLEX_matrix_env: [
    [
      [8, -12, -12],
      [-12, 6, 0],
      [-12, 0, 6],
    ],
    [
      [8, -12, -12],
      [-12, 6, 0],
      [-12, 0, 6],
    ],
  ],
  different_order: [
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
  ],
  different_order_reverse: [
    [
      [5, -10, 0],
      [-5, 0, -5],
      [4, -5, 5],
    ],
    [
      [0, -5, 5],
      [-10, -5, -10],
      [-8, -15, -10],
    ],
  ],
  penalty0: penalty(0),
  'penalty-25': penalty(-25),
  'penalty-50': penalty(-50),
  'penalty-75': penalty(-75),
  'penalty-100': penalty(-100),
  'penalty-1000': penalty(-1000),
  'penalty-10000': penalty(-10000), // extra, same pattern (§c.8)
  penalty: [
    [
      [10, 8, 0],
      [8, 8, 0],
      [0, 0, 20],
    ],
    [
      [10, 8, 0],
      [8, 8, 0],
      [0, 0, 20],
    ],
  ],
};

/** Every joint action of `numAgents` agents with `numActions` actions each, a_0 most significant. */
function jointActions(numAgents: number, numActions: number): number[][] {
  let joints: number[][] = [[]];
  for (let agent = 0; agent < numAgents; agent++) {
    joints = joints.flatMap((prefix) => Array.from({ length: numActions }, (_, a) => [...prefix, a]));
  }
  return joints;
}

function entry(table: Nested, actions: readonly number[]): number {
  let value: Nested = table;
  for (const a of actions) value = (value as readonly Nested[])[a]!;
  return value as number;
}

/** Play one joint action from reset and copy the rewards out (the env reuses its buffers). */
function play(env: MatrixGame, actions: readonly number[]): number[] {
  env.reset();
  return Array.from(env.step(actions).rewards);
}

describe('single-step payoff tables (docs/spec/steer.md §c.2)', () => {
  it('the expected tables cover exactly the games the env knows', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(matrixGameNames().sort());
  });

  it.each(Object.entries(EXPECTED))(
    '%s pays every agent its §c.2 entry for every joint action',
    (name, tables) => {
      const env = new MatrixGame(name);
      const numAgents = tables.length;
      const numActions = (tables[0] as readonly Nested[]).length;
      expect(env.spec.numAgents).toBe(numAgents);
      expect(env.spec.actionSpace).toEqual({ kind: 'discrete', n: numActions });
      for (const actions of jointActions(numAgents, numActions)) {
        const expected = tables.map((table) => entry(table, actions));
        expect(play(env, actions), `${name} ${JSON.stringify(actions)}`).toEqual(expected);
      }
    },
  );

  it('matching_pennies_3 follows its verbal rules: +1 iff a1 = a2, a0 = a2, a0 ≠ a1 (§c.2)', () => {
    const env = new MatrixGame('matching_pennies_3');
    for (const [a0, a1, a2] of jointActions(3, 2) as [number, number, number][]) {
      const sign = (win: boolean) => (win ? 1 : -1);
      expect(play(env, [a0, a1, a2])).toEqual([sign(a1 === a2), sign(a0 === a2), sign(a0 !== a1)]);
    }
  });

  it('different_order_reverse is different_order with the agents swapped (§c.2)', () => {
    const original = new MatrixGame('different_order');
    const reverse = new MatrixGame('different_order_reverse');
    for (const [a0, a1] of jointActions(2, 3) as [number, number][]) {
      const [r0, r1] = play(original, [a0, a1]);
      expect(play(reverse, [a1, a0])).toEqual([r1, r0]);
    }
  });

  it('aliases play the same game: penalty-0 = penalty0, mixing = different_order', () => {
    expect(new MatrixGame('penalty-0').spec.name).toBe('matrix:penalty0');
    expect(new MatrixGame('mixing').spec.name).toBe('matrix:different_order');
    for (const actions of jointActions(2, 3)) {
      expect(play(new MatrixGame('mixing'), actions)).toEqual(
        play(new MatrixGame('different_order'), actions),
      );
    }
  });
});
