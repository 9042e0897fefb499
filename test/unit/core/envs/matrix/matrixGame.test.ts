/** MatrixGame as a MultiAgentEnv: spec, observations, dones and errors (docs/spec/steer.md §c.1). */
import { describe, expect, it } from 'vitest';
import { MatrixGame } from '../../../../../src/core/envs/matrix/matrixGame.js';

describe('MatrixGame (docs/spec/steer.md §c.1)', () => {
  it('describes a one-step, two-agent game with obs 0 and state = both obs', () => {
    const env = new MatrixGame('penalty-100');
    expect(env.spec).toEqual({
      name: 'matrix:penalty-100',
      numAgents: 2,
      obsDim: 1,
      stateDim: 2,
      actionSpace: { kind: 'discrete', n: 3 },
      episodeLimit: 1,
    });
    const start = env.reset(123);
    expect(Array.from(start.obs)).toEqual([0, 0]);
    expect(Array.from(start.state)).toEqual([0, 0]);
    expect(start.availActions).toBeNull();
    expect(Array.from(start.active)).toEqual([1, 1]);
    expect(Array.from(start.priority)).toEqual([0, 1]);
  });

  it('ends the episode for every agent on every step, with private rewards in info', () => {
    const env = new MatrixGame('different_order');
    env.reset();
    const result = env.step([2, 0]);
    expect(Array.from(result.rewards)).toEqual([5, 0]);
    expect(Array.from(result.dones)).toEqual([1, 1]);
    expect(result.episodeDone).toBe(true);
    expect(result.info).toEqual({ 'reward/agent0': 5, 'reward/agent1': 0 });
    expect(Array.from(result.obs)).toEqual([0, 0]);
    // No reset needed: the game has no state that matters (§c.1).
    expect(Array.from(env.step([0, 0]).rewards)).toEqual([0, 5]);
  });

  it('has three agents and state size 3 for matching_pennies_3', () => {
    const env = new MatrixGame('matching_pennies_3');
    expect(env.spec.numAgents).toBe(3);
    expect(env.spec.stateDim).toBe(3);
    expect(Array.from(env.reset().priority)).toEqual([0, 1, 2]);
    expect(Array.from(env.step([0, 0, 1]).dones)).toEqual([1, 1, 1]);
  });

  it('reuses its output buffers (callers copy)', () => {
    const env = new MatrixGame('prison');
    const first = env.step([0, 0]);
    const second = env.step([1, 1]);
    expect(second).toBe(first);
    expect(second.obs).toBe(env.reset().obs);
  });

  it.each([
    [[0], /matrix:penalty0: expected 2 actions \(one per agent\), received 1/],
    [[0, 1, 2], /matrix:penalty0: expected 2 actions \(one per agent\), received 3/],
    [[0, 1.5], /matrix:penalty0: agent 1: expected an integer action in 0\.\.2, received 1\.5/],
    [[3, 0], /matrix:penalty0: agent 0: expected an integer action in 0\.\.2, received 3/],
    [[-1, 0], /agent 0: expected an integer action in 0\.\.2, received -1/],
    [[0, Number.NaN], /agent 1: expected an integer action in 0\.\.2, received NaN/],
  ])('refuses the joint action %j with a clear error', (actions, message) => {
    expect(() => new MatrixGame('penalty0').step(actions)).toThrow(message);
  });

  it('refuses an unknown game and lists the valid ones and the aliases', () => {
    expect(() => new MatrixGame('penalty-5')).toThrow(
      /Unknown matrix game "penalty-5".*penalty-100.*mixing → different_order/,
    );
  });

  it('snapshot/restore round-trips through JSON and refuses another game', () => {
    const env = new MatrixGame('climbing');
    const snapshot = JSON.parse(JSON.stringify(env.snapshot()));
    expect(Array.from(env.restore(snapshot).obs)).toEqual([0, 0]);
    expect(() => new MatrixGame('prison').restore(snapshot)).toThrow(
      /matrix:prison: restore: expected a snapshot/,
    );
  });
});
