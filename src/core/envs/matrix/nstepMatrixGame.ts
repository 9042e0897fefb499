/**
 * Multi-step matrix games "coordination" and "cooperation" behind MultiAgentEnv (docs/spec/steer.md
 * §c.3; reference `steer/envs/matrix_game/nstep_matrix.py › NStepMatrixGame`).
 *
 * Two agents play up to 10 stages. Stage 0 fixes a branch from the joint action ((0,0) → 0,
 * (2,2) → 1, anything else → 2); later stages use the tables of that branch. After each stage the
 * counter is incremented and the episode continues only while counter < 10, both rewards are > 0 and
 * the branch is not 2.
 *
 * Deliberate departure (docs/design.md "One env interface"): the reference resets itself at the end of an
 * episode and returns the reset observation. Here `step` returns the terminal observation with
 * `episodeDone = true`, the runner calls `reset`, and stepping an ended episode throws.
 */

import type { EnvSpec, EnvStep, EnvTransition, MultiAgentEnv } from '../types.js';
import { assertDiscreteActions } from './discreteActions.js';

/** Registry prefix of the multi-step games, as in "nstep:coordination". */
export const NSTEP_ENV_PREFIX = 'nstep';

/** Episode limit: stages 0..9 (docs/spec/steer.md §c.3). */
export const NSTEP_EPISODE_LIMIT = 10;

/** Slots of the step-counter one-hot: the counter runs 0..10, so 11 slots (docs/spec/steer.md §c.3). */
const COUNTER_SLOTS = NSTEP_EPISODE_LIMIT + 1;

/** Slots of the branch one-hot: the reference reserves 4 although only branches 0..2 occur (§c.3). */
const BRANCH_SLOTS = 4;

/** Observation length per agent: 11 counter slots + 4 branch slots = 15 (docs/spec/steer.md §c.3). */
export const NSTEP_OBS_DIM = COUNTER_SLOTS + BRANCH_SLOTS;

/** Rows = agent 0's action, columns = agent 1's action. */
export type StageMatrix = readonly (readonly number[])[];

/** Payoff recipe of one multi-step game; every table is [a_0][a_1] (docs/spec/steer.md §c.3). */
export interface NStepScenario {
  /** Scenario name: "coordination" or "cooperation". */
  readonly name: string;
  /** Discrete actions per agent. */
  readonly numActions: number;
  /** Stage 0, both agents, whatever the branch. */
  readonly first: StageMatrix;
  /** Stages 1–8, both agents, indexed [branch]. */
  readonly middle: readonly [StageMatrix, StageMatrix];
  /** Stage 9, indexed [branch][agent]. */
  readonly last: readonly [readonly [StageMatrix, StageMatrix], readonly [StageMatrix, StageMatrix]];
}

const COORDINATION_LAST: readonly [StageMatrix, StageMatrix] = [
  // The climbing game with its first and last rows swapped (§c.3).
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

const COOPERATION_ONES: StageMatrix = [
  [1, 1],
  [1, 1],
];
const COOPERATION_FINAL: StageMatrix = [
  [1, 1],
  [1, 4],
];

/** The two multi-step games of docs/spec/steer.md §c.3 by scenario name. */
export const NSTEP_SCENARIOS: Readonly<Record<string, NStepScenario>> = Object.freeze({
  coordination: {
    name: 'coordination',
    numActions: 3,
    first: [
      [1, 0, 0],
      [0, 0, 0],
      [0, 0, 1],
    ],
    middle: [
      [
        [1, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
      ],
      [
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 1],
      ],
    ],
    last: [COORDINATION_LAST, COORDINATION_LAST],
  },
  cooperation: {
    name: 'cooperation',
    numActions: 2,
    first: [
      [1, 0],
      [0, 1],
    ],
    middle: [
      [
        [1, 0],
        [0, 0],
      ],
      [
        [0, 0],
        [0, 1],
      ],
    ],
    last: [
      [COOPERATION_FINAL, COOPERATION_FINAL],
      [COOPERATION_ONES, COOPERATION_ONES],
    ],
  },
});

/**
 * The stage game at `stage` (0..9) on `branch` (0 or 1) as [agent 0's table, agent 1's table].
 * Stage 0 is the same on both branches. Useful for game-theoretic analysis (docs/spec/steer.md §c.5).
 */
export function stageGame(
  scenario: NStepScenario,
  branch: 0 | 1,
  stage: number,
): readonly [StageMatrix, StageMatrix] {
  if (!Number.isInteger(stage) || stage < 0 || stage >= NSTEP_EPISODE_LIMIT) {
    throw new Error(
      `nstep:${scenario.name}: stage must be an integer in 0..${NSTEP_EPISODE_LIMIT - 1}, received ${stage}`,
    );
  }
  if (stage === 0) return [scenario.first, scenario.first];
  if (stage === NSTEP_EPISODE_LIMIT - 1) return scenario.last[branch];
  const table = scenario.middle[branch];
  return [table, table];
}

/** Serialisable state of an NStepMatrixGame, enough to resume an episode exactly. */
export interface NStepSnapshot {
  /** Registry name of the env that wrote it, e.g. "nstep:coordination". */
  readonly env: string;
  /** Step counter: stages already played in this episode, 0..10. */
  readonly step: number;
  /** Branch 0, 1 or 2 (0 until stage 0 has been played). */
  readonly branch: number;
  /** True once the episode is over (until `reset`). */
  readonly ended: boolean;
}

/** EnvTransition with writable fields, so one object can be reused every step. */
type MutableTransition = { -readonly [K in keyof EnvTransition]: EnvTransition[K] };

/**
 * "coordination" (3 actions) or "cooperation" (2 actions) of docs/spec/steer.md §c.3.
 *
 * Observation of each agent (15 numbers, identical for both): one-hot of the step counter in slots
 * 0–10 and one-hot of the branch in slot 11 + branch, i.e. slot 11 at reset and on branch 0, 12 on
 * branch 1, 13 on branch 2 (slot 14 is never set). The reference computes the same index, but
 * never shows a branch-2 observation because it resets itself first; ours appears only as the
 * terminal observation of an episode that ended at stage 0. State = both observations concatenated.
 *
 * Buffers are preallocated: `reset`, `restore` and `step` return the same arrays (and `step` the
 * same transition object) every call, overwritten in place. Callers that keep results must copy them.
 */
export class NStepMatrixGame implements MultiAgentEnv {
  readonly spec: EnvSpec;
  /** The payoff recipe being played. */
  readonly scenario: NStepScenario;
  /** Stages played in this episode (the reference's `steps`), 0..10. */
  private counter = 0;
  /** Branch fixed at stage 0: 0, 1 or 2. */
  private branch = 0;
  /** True once the episode is over; `step` then throws until `reset`. */
  private ended = false;
  private readonly current: EnvStep;
  private readonly transition: MutableTransition;
  private readonly info: Record<string, number>;

  /** @param scenario "coordination" or "cooperation"; the env starts in its reset state. */
  constructor(scenario: string) {
    if (!Object.hasOwn(NSTEP_SCENARIOS, scenario)) {
      // The reference raises NotImplementedError after a broken message (§e.17): say what is valid.
      throw new Error(
        `Unknown multi-step matrix game "${scenario}". Valid games: ${Object.values(NSTEP_SCENARIOS)
          .map((s) => `${s.name} (${s.numActions} actions)`)
          .join(', ')}`,
      );
    }
    this.scenario = NSTEP_SCENARIOS[scenario]!;
    const numAgents = 2;
    this.spec = {
      name: `${NSTEP_ENV_PREFIX}:${this.scenario.name}`,
      numAgents,
      obsDim: NSTEP_OBS_DIM,
      stateDim: numAgents * NSTEP_OBS_DIM, // both observations concatenated (§c.3)
      actionSpace: { kind: 'discrete', n: this.scenario.numActions },
      episodeLimit: NSTEP_EPISODE_LIMIT,
    };
    this.current = {
      obs: new Float32Array(numAgents * NSTEP_OBS_DIM),
      state: new Float32Array(numAgents * NSTEP_OBS_DIM),
      availActions: null,
      active: new Uint8Array(numAgents).fill(1),
      priority: Int32Array.from([0, 1]),
    };
    this.info = { 'reward/agent0': 0, 'reward/agent1': 0, branch: 0, step: 0 };
    this.transition = {
      ...this.current,
      rewards: new Float64Array(numAgents),
      dones: new Uint8Array(numAgents),
      episodeDone: false,
      info: this.info,
    };
    this.writeObservation();
  }

  /** Start an episode: counter 0, branch 0. Deterministic: the seed is accepted and ignored. */
  reset(_seed?: number): EnvStep {
    this.counter = 0;
    this.branch = 0;
    this.ended = false;
    this.writeObservation();
    return this.current;
  }

  /** Play one stage (docs/spec/steer.md §c.3). Throws if the episode is already over. */
  step(actions: ArrayLike<number>): EnvTransition {
    const name = this.spec.name;
    if (this.ended) {
      throw new Error(`${name}: the episode ended after ${this.counter} steps; call reset() before step()`);
    }
    assertDiscreteActions(name, actions, 2, this.scenario.numActions);
    const a0 = actions[0]!;
    const a1 = actions[1]!;

    // --- payoff: stage 0 fixes the branch; later stages use the branch's table ---
    if (this.counter === 0) this.branch = a0 === 0 && a1 === 0 ? 0 : a0 === 2 && a1 === 2 ? 1 : 2;
    // Stage 0 is the same on every branch; the reference reads branch 0's copy, also for branch 2.
    // Past stage 0 the branch is 0 or 1: branch 2 always ends the episode at stage 0.
    const tableBranch = this.counter === 0 ? 0 : (this.branch as 0 | 1);
    const [table0, table1] = stageGame(this.scenario, tableBranch, this.counter);
    const rewards = this.transition.rewards;
    rewards[0] = table0[a0]![a1]!;
    rewards[1] = table1[a0]![a1]!;

    // --- continuation rule: counter < 10 and both rewards > 0 and branch ≠ 2 ---
    this.counter++;
    const continues =
      this.counter < NSTEP_EPISODE_LIMIT && rewards[0]! > 0 && rewards[1]! > 0 && this.branch !== 2;
    this.ended = !continues;

    this.writeObservation();
    this.transition.dones.fill(this.ended ? 1 : 0);
    this.transition.episodeDone = this.ended;
    this.info['reward/agent0'] = rewards[0]!;
    this.info['reward/agent1'] = rewards[1]!;
    this.info.branch = this.branch;
    this.info.step = this.counter;
    return this.transition;
  }

  /** JSON state (step counter, branch, ended flag) so a checkpoint can resume an episode exactly. */
  snapshot(): NStepSnapshot {
    return { env: this.spec.name, step: this.counter, branch: this.branch, ended: this.ended };
  }

  /** Restore a state written by `snapshot` of the same game; returns its observation. */
  restore(snapshot: unknown): EnvStep {
    const s = parseSnapshot(this.spec.name, snapshot);
    this.counter = s.step;
    this.branch = s.branch;
    this.ended = s.ended;
    this.writeObservation();
    return this.current;
  }

  /** Observation of the current (counter, branch) for both agents, then state = their concatenation. */
  private writeObservation(): void {
    const { obs, state } = this.current;
    obs.fill(0);
    for (let agent = 0; agent < 2; agent++) {
      const base = agent * NSTEP_OBS_DIM;
      obs[base + this.counter] = 1;
      obs[base + COUNTER_SLOTS + this.branch] = 1;
    }
    state.set(obs);
  }
}

/** Checks a snapshot field by field; errors name the env, the field, the expectation and the value. */
function parseSnapshot(envName: string, raw: unknown): NStepSnapshot {
  const fail = (field: string, expected: string, received: unknown): never => {
    throw new Error(
      `${envName}: restore: ${field}: expected ${expected}, received ${JSON.stringify(received)}`,
    );
  };
  if (typeof raw !== 'object' || raw === null) return fail('snapshot', 'an object', raw);
  const s = raw as Record<string, unknown>;
  if (s.env !== envName) fail('env', `"${envName}"`, s.env);
  const step = s.step;
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0 || step > NSTEP_EPISODE_LIMIT) {
    fail('step', `an integer in 0..${NSTEP_EPISODE_LIMIT}`, step);
  }
  if (s.branch !== 0 && s.branch !== 1 && s.branch !== 2) fail('branch', '0, 1 or 2', s.branch);
  if (typeof s.ended !== 'boolean') fail('ended', 'a boolean', s.ended);
  const snapshot: NStepSnapshot = {
    env: envName,
    step: step as number,
    branch: s.branch as number,
    ended: s.ended as boolean,
  };
  // A running episode has a stage left to play and a good branch (fixed only once stage 0 is played).
  if (!snapshot.ended) {
    if (snapshot.step >= NSTEP_EPISODE_LIMIT) fail('step', `< ${NSTEP_EPISODE_LIMIT} while not ended`, step);
    if (snapshot.branch === 2) fail('branch', '0 or 1 while not ended', s.branch);
    if (snapshot.step === 0 && snapshot.branch !== 0) fail('branch', '0 at step 0', s.branch);
  } else if (snapshot.step === 0) {
    fail('step', '≥ 1 once ended', step);
  }
  return snapshot;
}
