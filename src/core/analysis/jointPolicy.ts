/**
 * What a two-agent policy plays in a single-step matrix game, exactly: the joint action
 * distribution P(a₀, a₁) = π₀(a₀)·π₁(a₁ | a₀), its marginals and each agent's expected payoff under
 * it. Table 1 judges only the greedy cell (docs/spec/steer.md §c.7); this is the whole stochastic
 * policy behind it, e.g. a Mixing run whose greedy cell (0,2) is the argmax cell of a mixed Nash
 * equilibrium (§c.5).
 *
 * Works for any MarlPolicy (STEER and its ablations, MAPPO, HAPPO, MAT, STEP) through its
 * teacher-forced `evaluate` on the batch of all A×A joint actions: row (a₀, a₁) gives log π₀(a₀)
 * and log π₁(a₁ | a₀) — or log π₁(a₁) for a policy whose follower does not see a₀ (MAPPO, HAPPO),
 * whose answer rows are then equal. Agent 0 is the first agent of the priority order (a matrix
 * game's order is the identity, §c.1).
 */
import type { MarlPolicy } from '../algos/marl.js';
import { readTidy } from '../nn/readTidy.js';
import * as tf from '../nn/tf.js';
import type { Bimatrix } from './stackelberg.js';

/** The observation a policy is asked about, as the trainer hands it over. */
export interface PolicyState {
  /** Both agents' observations [2 × obsDim], agent 0's first. */
  readonly obs: Float32Array;
  /** Global state [stateDim], given to policies that read it (`readsState`). */
  readonly state: Float32Array;
}

/** A two-agent policy's joint action distribution in one state, and what it pays. */
export interface JointPolicy {
  /** joint[a₀][a₁] = P(a₀, a₁) = π₀(a₀)·π₁(a₁ | a₀). */
  readonly joint: number[][];
  /** answers[a₀][a₁] = π₁(a₁ | a₀): the follower's answer to each leader action. */
  readonly answers: number[][];
  /** Agent 0's marginal, Σ_a₁ P(a₀, a₁) = π₀(a₀). */
  readonly leader: number[];
  /** Agent 1's marginal, Σ_a₀ P(a₀, a₁). */
  readonly follower: number[];
  /** [agent 0's, agent 1's] expected payoff Σ P(a₀, a₁)·payoff_i[a₀][a₁]. */
  readonly expectedPayoffs: [number, number];
  /** P(target) for the `target` cell asked about, else null. */
  readonly targetProbability: number | null;
}

/**
 * Agent 0's probability of an action may differ by this much between rows that differ only in agent
 * 1's action (float rounding of batched rows); more means the policy lets the leader see its
 * follower, and the product would be wrong.
 */
const LEADER_TOLERANCE = 1e-5;

/**
 * The exact joint distribution of `policy` in state `at` of the game `game` (rows = agent 0's
 * action, columns = agent 1's), and the probability of `target` ([a₀, a₁]) when given. The policy
 * must have two agents and as many discrete actions as the game has rows and columns.
 */
export function jointPolicy(
  policy: MarlPolicy,
  game: Bimatrix,
  at: PolicyState,
  target: readonly [number, number] | null = null,
): JointPolicy {
  const a = checkShapes(policy, game, at, target);
  const logProbs = evaluateAllJointActions(policy, at, a); // [a·a rows, 2 agents]
  const answers: number[][] = [];
  const leader: number[] = [];
  for (let a0 = 0; a0 < a; a0++) {
    const p0 = Math.exp(logProbs[a0 * a * 2]!);
    for (let a1 = 1; a1 < a; a1++) {
      const other = Math.exp(logProbs[(a0 * a + a1) * 2]!);
      if (Math.abs(other - p0) > LEADER_TOLERANCE) {
        throw new Error(
          `jointPolicy: agent 0's probability of action ${a0} is ${p0} beside agent 1's action 0 but ` +
            `${other} beside action ${a1}: the leader must not see its follower's action`,
        );
      }
    }
    leader.push(p0);
    answers.push(Array.from({ length: a }, (_, a1) => Math.exp(logProbs[(a0 * a + a1) * 2 + 1]!)));
  }
  const joint = answers.map((row, a0) => row.map((p1) => leader[a0]! * p1));
  const follower = Array.from({ length: a }, (_, a1) => joint.reduce((sum, row) => sum + row[a1]!, 0));
  const expectedPayoffs = ([0, 1] as const).map((agent) =>
    joint.reduce((sum, row, a0) => sum + row.reduce((s, p, a1) => s + p * game[agent][a0]![a1]!, 0), 0),
  ) as [number, number];
  return {
    joint,
    answers,
    leader,
    follower,
    expectedPayoffs,
    targetProbability: target === null ? null : joint[target[0]]![target[1]]!,
  };
}

/** Checks the policy, game, state and target against each other; returns the action count. */
function checkShapes(
  policy: MarlPolicy,
  game: Bimatrix,
  at: PolicyState,
  target: readonly [number, number] | null,
): number {
  const { numAgents, obsDim, stateDim, actionSpace } = policy.model.config;
  if (numAgents !== 2 || actionSpace.kind !== 'discrete') {
    throw new Error(
      `jointPolicy: needs a two-agent policy with discrete actions, got ${numAgents} agents, ${actionSpace.kind} actions`,
    );
  }
  const a = actionSpace.n;
  const rows = game[0].length;
  const columns = game[0][0]?.length ?? 0;
  if (rows !== a || columns !== a || game[1].length !== a || game[1].some((row) => row.length !== a)) {
    throw new Error(`jointPolicy: the policy has ${a} actions per agent, the game is ${rows}×${columns}`);
  }
  if (at.obs.length !== 2 * obsDim) {
    throw new Error(`jointPolicy: expected ${2 * obsDim} observation values, got ${at.obs.length}`);
  }
  if (policy.readsState && at.state.length !== stateDim) {
    throw new Error(`jointPolicy: expected ${stateDim} state values, got ${at.state.length}`);
  }
  if (target !== null && !target.every((action) => Number.isInteger(action) && action >= 0 && action < a)) {
    throw new Error(`jointPolicy: target: expected two actions in 0..${a - 1}, got (${target.join(',')})`);
  }
  return a;
}

/**
 * Log-probabilities [a·a × 2] of every joint action, row a₀·a + a₁ = (a₀, a₁), from one
 * teacher-forced pass over the batch of all joint actions, all in the same state.
 */
function evaluateAllJointActions(policy: MarlPolicy, at: PolicyState, a: number): Float32Array {
  const b = a * a;
  const { obsDim, stateDim } = policy.model.config;
  const obs = new Float32Array(b * 2 * obsDim);
  const state = new Float32Array(b * stateDim);
  const actions = new Int32Array(b * 2);
  for (let row = 0; row < b; row++) {
    obs.set(at.obs, row * 2 * obsDim);
    if (policy.readsState) state.set(at.state, row * stateDim);
    actions[row * 2] = Math.floor(row / a);
    actions[row * 2 + 1] = row % a;
  }
  return readTidy(() => {
    const out = policy.evaluate(
      tf.tensor(obs, [b, 2, obsDim]), // [B, n, O]
      policy.readsState ? tf.tensor(state, [b, stateDim]) : null,
      tf.tensor(actions, [b, 2], 'int32'),
      null, // every action of a matrix game is available (§c.1)
    );
    return out.logProbs; // [B, n, 1] → row-major [B·n]
  });
}
