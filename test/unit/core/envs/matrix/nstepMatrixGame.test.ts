/**
 * Multi-step matrix games (docs/spec/steer.md §c.3): every row of the path-return table, the observation
 * layout, episode ends, errors and snapshot/restore. Expected numbers are typed in from the spec.
 */
import { describe, expect, it } from 'vitest';
import { NStepMatrixGame } from '../../../../../src/core/envs/matrix/nstepMatrixGame.js';

type Joint = readonly [number, number];

const repeat = (joint: Joint, times: number): Joint[] => Array.from({ length: times }, () => joint);

interface Played {
  /** Steps until episodeDone (inclusive). */
  readonly length: number;
  readonly returns: [number, number];
  readonly discounted: [number, number];
}

/** Plays `path` from reset; checks that the episode ends exactly at its last joint action. */
function playPath(env: NStepMatrixGame, path: readonly Joint[], gamma = 0.99): Played {
  env.reset();
  const returns: [number, number] = [0, 0];
  const discounted: [number, number] = [0, 0];
  for (let t = 0; t < path.length; t++) {
    const result = env.step(path[t]!);
    for (const agent of [0, 1] as const) {
      returns[agent] += result.rewards[agent]!;
      discounted[agent] += gamma ** t * result.rewards[agent]!;
    }
    const last = t === path.length - 1;
    expect(result.episodeDone, `episodeDone at step ${t}`).toBe(last);
    expect(Array.from(result.dones), `dones at step ${t}`).toEqual(last ? [1, 1] : [0, 0]);
  }
  return { length: path.length, returns, discounted };
}

/** §c.3 path-return table. `length` is the table's; the path itself must end the episode there. */
const PATH_TABLE: readonly {
  game: string;
  label: string;
  path: readonly Joint[];
  length: number;
  returns: [number, number];
  discounted: [number, number];
}[] = [
  ...(
    [
      ['(0,0)', [0, 0]],
      ['(2,2)', [2, 2]],
    ] as const
  ).flatMap(([prefix, joint]) => [
    {
      game: 'coordination',
      label: `${prefix}×9 then (2,0)`,
      path: [...repeat(joint, 9), [2, 0] as const],
      length: 10,
      returns: [29, 24] as [number, number],
      discounted: [26.92, 22.35] as [number, number],
    },
    {
      game: 'coordination',
      label: `${prefix}×9 then (0,2)`,
      path: [...repeat(joint, 9), [0, 2] as const],
      length: 10,
      returns: [14, 19] as [number, number],
      discounted: [13.22, 17.78] as [number, number],
    },
    {
      game: 'coordination',
      label: `${prefix}×9 then (1,1)`,
      path: [...repeat(joint, 9), [1, 1] as const],
      length: 10,
      returns: [19, 14] as [number, number],
      discounted: [17.78, 13.22] as [number, number],
    },
    {
      game: 'coordination',
      label: `${prefix}×9 then (1,0)`,
      path: [...repeat(joint, 9), [1, 0] as const],
      length: 10,
      returns: [39, 9] as [number, number],
      discounted: [36.05, 8.65] as [number, number],
    },
  ]),
  {
    game: 'coordination',
    label: '(0,0) then (2,2)',
    path: [
      [0, 0],
      [2, 2],
    ],
    length: 2,
    returns: [1, 1],
    discounted: [1, 1],
  },
  {
    game: 'coordination',
    label: '(1,1) at step 0',
    path: [[1, 1]],
    length: 1,
    returns: [0, 0],
    discounted: [0, 0],
  },
  {
    game: 'cooperation',
    label: '(0,0)×9 then (1,1)',
    path: [...repeat([0, 0], 9), [1, 1]],
    length: 10,
    returns: [13, 13],
    discounted: [12.3, 12.3],
  },
  ...(
    [
      [0, 0],
      [0, 1],
      [1, 0],
    ] as const
  ).map((last) => ({
    game: 'cooperation',
    label: `(0,0)×9 then (${last.join(',')})`,
    path: [...repeat([0, 0], 9), last],
    length: 10,
    returns: [10, 10] as [number, number],
    discounted: [9.56, 9.56] as [number, number],
  })),
  {
    game: 'cooperation',
    label: '(1,1) at step 0',
    path: [[1, 1]],
    length: 1,
    returns: [1, 1],
    discounted: [1, 1],
  },
];

describe('NStepMatrixGame path returns (docs/spec/steer.md §c.3)', () => {
  it.each(PATH_TABLE)('$game: $label', ({ game, path, length, returns, discounted }) => {
    const played = playPath(new NStepMatrixGame(game), path);
    expect(played.length).toBe(length);
    expect(played.returns).toEqual(returns);
    expect(played.discounted[0]).toBeCloseTo(discounted[0], 2);
    expect(played.discounted[1]).toBeCloseTo(discounted[1], 2);
  });

  it('coordination: any step-0 joint action other than (0,0) and (2,2) ends the episode (branch 2)', () => {
    for (const joint of [
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 2],
      [2, 0],
      [2, 1],
    ] as Joint[]) {
      expect(playPath(new NStepMatrixGame('coordination'), [joint]).returns).toEqual([0, 0]);
    }
  });

  it('coordination: leaving the branch action mid-episode ends it with no reward for that step', () => {
    // (2,2) fixes branch 1, where only (2,2) pays; (0,0) at step 3 pays 0 and ends the episode.
    expect(playPath(new NStepMatrixGame('coordination'), [...repeat([2, 2], 3), [0, 0]]).returns).toEqual([
      3, 3,
    ]);
  });
});

/** The one-hot slots that are 1 in one agent's 15-number observation. */
function hotSlots(obs: Float32Array, agent: number): number[] {
  const slots: number[] = [];
  for (let i = 0; i < 15; i++) if (obs[agent * 15 + i] === 1) slots.push(i);
  for (let i = 0; i < 15; i++) expect([0, 1]).toContain(obs[agent * 15 + i]);
  return slots;
}

function expectLayout(step: { obs: Float32Array; state: Float32Array }, slots: number[]): void {
  expect(step.obs.length).toBe(30);
  expect(hotSlots(step.obs, 0)).toEqual(slots);
  expect(hotSlots(step.obs, 1)).toEqual(slots);
  expect(Array.from(step.state)).toEqual(Array.from(step.obs));
}

describe('NStepMatrixGame observation (docs/spec/steer.md §c.3)', () => {
  it('has the spec of §c.3: 2 agents, obs 15, state 30, limit 10', () => {
    expect(new NStepMatrixGame('coordination').spec).toEqual({
      name: 'nstep:coordination',
      numAgents: 2,
      obsDim: 15,
      stateDim: 30,
      actionSpace: { kind: 'discrete', n: 3 },
      episodeLimit: 10,
    });
    expect(new NStepMatrixGame('cooperation').spec.actionSpace).toEqual({ kind: 'discrete', n: 2 });
  });

  it('at reset: counter slot 0 and branch slot 11; no masks, all active, identity priority', () => {
    const start = new NStepMatrixGame('coordination').reset();
    expectLayout(start, [0, 11]);
    expect(start.availActions).toBeNull();
    expect(Array.from(start.active)).toEqual([1, 1]);
    expect(Array.from(start.priority)).toEqual([0, 1]);
  });

  it('branch 0: counter slot t and slot 11 after t steps of (0,0)', () => {
    const env = new NStepMatrixGame('coordination');
    env.reset();
    for (let t = 1; t <= 10; t++) expectLayout(env.step([0, 0]), [t, 11]);
  });

  it('branch 1: slot 12 after (2,2) at step 0', () => {
    const env = new NStepMatrixGame('coordination');
    env.reset();
    expectLayout(env.step([2, 2]), [1, 12]);
    expectLayout(env.step([2, 2]), [2, 12]);
  });

  it('branch 2: the terminal observation has slot 13 (11 + branch); slot 14 is never used', () => {
    const env = new NStepMatrixGame('cooperation');
    env.reset();
    const result = env.step([1, 1]);
    expect(result.episodeDone).toBe(true);
    expectLayout(result, [1, 13]);
    expect(result.info).toEqual({ 'reward/agent0': 1, 'reward/agent1': 1, branch: 2, step: 1 });
  });

  it('reset after an ended episode returns the reset layout again', () => {
    const env = new NStepMatrixGame('coordination');
    env.reset();
    env.step([2, 2]);
    env.step([0, 0]);
    expectLayout(env.reset(), [0, 11]);
  });
});

describe('NStepMatrixGame errors', () => {
  it('refuses to step an ended episode until reset', () => {
    const env = new NStepMatrixGame('coordination');
    env.reset();
    env.step([1, 1]);
    expect(() => env.step([0, 0])).toThrow(
      'nstep:coordination: the episode ended after 1 steps; call reset() before step()',
    );
    env.reset();
    expect(() => env.step([0, 0])).not.toThrow();
  });

  it.each([
    ['coordination', [0], /nstep:coordination: expected 2 actions \(one per agent\), received 1/],
    ['coordination', [0, 3], /nstep:coordination: agent 1: expected an integer action in 0\.\.2, received 3/],
    ['cooperation', [2, 2], /nstep:cooperation: agent 0: expected an integer action in 0\.\.1, received 2/],
    [
      'cooperation',
      [0.5, 0],
      /nstep:cooperation: agent 0: expected an integer action in 0\.\.1, received 0\.5/,
    ],
  ])('%s refuses %j', (game, actions, message) => {
    const env = new NStepMatrixGame(game);
    env.reset();
    expect(() => env.step(actions)).toThrow(message);
  });

  it('refuses an unknown scenario and lists the valid ones', () => {
    expect(() => new NStepMatrixGame('climbing')).toThrow(
      'Unknown multi-step matrix game "climbing". Valid games: coordination (3 actions), cooperation (2 actions)',
    );
  });
});

describe('NStepMatrixGame snapshot/restore', () => {
  it('a restored env continues mid-episode exactly like the original', () => {
    const original = new NStepMatrixGame('coordination');
    original.reset();
    let observed: number[] = [];
    for (let t = 0; t < 4; t++) observed = Array.from(original.step([2, 2]).obs);
    const snapshot = JSON.parse(JSON.stringify(original.snapshot()));
    expect(snapshot).toEqual({ env: 'nstep:coordination', step: 4, branch: 1, ended: false });

    const resumed = new NStepMatrixGame('coordination');
    const restored = resumed.restore(snapshot);
    expect(Array.from(restored.obs)).toEqual(observed);
    for (const joint of [...repeat([2, 2], 5), [2, 0]] as Joint[]) {
      const a = original.step(joint);
      const b = resumed.step(joint);
      expect(Array.from(b.rewards)).toEqual(Array.from(a.rewards));
      expect(Array.from(b.obs)).toEqual(Array.from(a.obs));
      expect(Array.from(b.dones)).toEqual(Array.from(a.dones));
      expect(b.episodeDone).toBe(a.episodeDone);
    }
    expect(original.snapshot()).toEqual({ env: 'nstep:coordination', step: 10, branch: 1, ended: true });
  });

  it('a restored ended episode still refuses to step', () => {
    const env = new NStepMatrixGame('cooperation');
    env.restore({ env: 'nstep:cooperation', step: 1, branch: 2, ended: true });
    expect(() => env.step([0, 0])).toThrow(/call reset\(\)/);
  });

  it.each([
    [null, /restore: snapshot: expected an object, received null/],
    [{ env: 'nstep:cooperation', step: 0, branch: 0, ended: false }, /env: expected "nstep:coordination"/],
    [
      { env: 'nstep:coordination', step: 11, branch: 0, ended: false },
      /step: expected an integer in 0\.\.10, received 11/,
    ],
    [
      { env: 'nstep:coordination', step: 2, branch: 3, ended: false },
      /branch: expected 0, 1 or 2, received 3/,
    ],
    [{ env: 'nstep:coordination', step: 2, branch: 0 }, /ended: expected a boolean/],
    [
      { env: 'nstep:coordination', step: 1, branch: 2, ended: false },
      /branch: expected 0 or 1 while not ended/,
    ],
    [{ env: 'nstep:coordination', step: 10, branch: 0, ended: false }, /step: expected < 10 while not ended/],
  ])('refuses the snapshot %j', (snapshot, message) => {
    expect(() => new NStepMatrixGame('coordination').restore(snapshot)).toThrow(message);
  });
});
