/**
 * Payoff tables of the single-step matrix games (docs/spec/steer.md §c.2), as the reference's
 * `matrix_env.py › MatrixGame` defines them, plus two extras it does not list (§c.8, §e.3).
 *
 * Every table is indexed [agent][a_0][a_1]…[a_{n−1}]: for two agents, rows are agent 0's action and
 * columns agent 1's. Names are the reference's scenario names; `MATRIX_GAME_ALIASES` adds the names
 * the paper and our docs use.
 */

/** A payoff tensor: a number at the leaves, one nesting level per agent's action. */
export type PayoffTensor = number | readonly PayoffTensor[];

/** One single-step game. */
export interface MatrixGameTable {
  /** Scenario name as in the reference game list (docs/spec/steer.md §c.2), e.g. "penalty-100". */
  readonly name: string;
  /** Number of agents (2, except `matching_pennies_3`). */
  readonly numAgents: number;
  /** Number of discrete actions of every agent. */
  readonly numActions: number;
  /** Payoff of each agent, indexed [agent][a_0][a_1]…[a_{n−1}]. */
  readonly payoff: readonly PayoffTensor[];
  /**
   * "reference" = in the reference game list; "extra" = added by us: `penalty` is defined in the
   * reference but absent from its list (§e.3), `penalty-10000` is the paper's claim (§c.8).
   */
  readonly source: 'reference' | 'extra';
}

/** 2×2 or 3×3 matrix, rows = agent 0's action, columns = agent 1's action. */
type Matrix = readonly (readonly number[])[];

function twoPlayer(
  name: string,
  agent0: Matrix,
  agent1: Matrix,
  source: MatrixGameTable['source'] = 'reference',
): MatrixGameTable {
  return { name, numAgents: 2, numActions: agent0.length, payoff: [agent0, agent1], source };
}

/** Penalty k (docs/spec/steer.md §c.2): common payoff [[k,0,10],[0,2,0],[8,0,k]]. */
function penalty(name: string, k: number, source: MatrixGameTable['source'] = 'reference'): MatrixGameTable {
  const common: Matrix = [
    [k, 0, 10],
    [0, 2, 0],
    [8, 0, k],
  ];
  return twoPlayer(name, common, common, source);
}

const GAMES: readonly MatrixGameTable[] = [
  // --- 2 agents × 2 actions (docs/spec/steer.md §c.2) ---
  twoPlayer(
    'coordination_0_0',
    [
      [1, -1],
      [-1, -1],
    ],
    [
      [1, -1],
      [-1, -1],
    ],
  ),
  twoPlayer(
    'coordination_same_action_with_preference',
    [
      [40, 0],
      [80, 20],
    ],
    [
      [40, 0],
      [0, 20],
    ],
  ),
  twoPlayer(
    'zero_sum_nash_0_1',
    [
      [5, 2],
      [-1, 6],
    ],
    [
      [-5, -2],
      [1, -6],
    ],
  ),
  twoPlayer(
    'matching_pennies',
    [
      [1, -1],
      [-1, 1],
    ],
    [
      [-1, 1],
      [1, -1],
    ],
  ),
  twoPlayer(
    'prison_lola',
    [
      [-1, -3],
      [0, -2],
    ],
    [
      [-1, 0],
      [-3, -2],
    ],
  ),
  twoPlayer(
    'prison',
    [
      [3, 1],
      [4, 2],
    ],
    [
      [3, 4],
      [1, 2],
    ],
  ),
  twoPlayer(
    'stag_hunt',
    [
      [4, 1],
      [3, 2],
    ],
    [
      [4, 3],
      [1, 2],
    ],
  ),
  twoPlayer(
    'chicken',
    [
      [3, 2],
      [4, 1],
    ],
    [
      [3, 4],
      [2, 1],
    ],
  ),
  twoPlayer(
    'harmony',
    [
      [4, 3],
      [2, 1],
    ],
    [
      [4, 2],
      [3, 1],
    ],
  ),
  twoPlayer(
    'wolf_05_05',
    [
      [0, 3],
      [1, 2],
    ],
    [
      [3, 2],
      [0, 1],
    ],
  ),

  // --- 3 agents × 2 actions, indexed [a_0][a_1][a_2] (docs/spec/steer.md §c.2) ---
  {
    name: 'matching_pennies_3',
    numAgents: 3,
    numActions: 2,
    payoff: [
      // agent 0: +1 iff a_1 = a_2
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
      // agent 1: +1 iff a_0 = a_2
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
      // agent 2: +1 iff a_0 ≠ a_1
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
    source: 'reference',
  },

  // --- 2 agents × 3 actions (docs/spec/steer.md §c.2) ---
  twoPlayer(
    'climbing',
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
  ),
  twoPlayer(
    'rock_paper_scissors',
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
  ),
  twoPlayer(
    'QPLEX_matrix_env',
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
  ),
  // Table 1 "Mixing" (docs/spec/steer.md §c.4: inferred mapping).
  twoPlayer(
    'different_order',
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
  ),
  // different_order with the agents swapped: each table is the transpose of the other agent's.
  twoPlayer(
    'different_order_reverse',
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
  ),
  // Table 1 "Penalty k" (docs/spec/steer.md §c.4).
  penalty('penalty0', 0),
  penalty('penalty-25', -25),
  penalty('penalty-50', -50),
  penalty('penalty-75', -75),
  penalty('penalty-100', -100),
  penalty('penalty-1000', -1000),
  // Extra: the paper claims STEER works at k = −10000; the reference has no such game (§c.8).
  penalty('penalty-10000', -10000, 'extra'),
  // Extra: defined in the reference but missing from its game list, so unreachable there (§e.3).
  twoPlayer(
    'penalty',
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
    'extra',
  ),
];

/** Every single-step game by its scenario name (docs/spec/steer.md §c.2), in the order of that table. */
export const MATRIX_GAMES: Readonly<Record<string, MatrixGameTable>> = Object.freeze(
  Object.fromEntries(GAMES.map((game) => [game.name, game])),
);

/** Extra names accepted for a game: `penalty-0` (dash like the other penalties) and the paper's "Mixing". */
export const MATRIX_GAME_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  'penalty-0': 'penalty0',
  mixing: 'different_order',
});

/** Scenario names of all single-step games, in the order of docs/spec/steer.md §c.2 (aliases excluded). */
export function matrixGameNames(): string[] {
  return GAMES.map((game) => game.name);
}

/** The game for a scenario name or alias, or undefined when there is none. */
export function findMatrixGame(name: string): MatrixGameTable | undefined {
  const canonical = Object.hasOwn(MATRIX_GAME_ALIASES, name) ? MATRIX_GAME_ALIASES[name]! : name;
  return Object.hasOwn(MATRIX_GAMES, canonical) ? MATRIX_GAMES[canonical] : undefined;
}
