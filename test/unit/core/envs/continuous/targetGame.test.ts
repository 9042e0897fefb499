/** `cont:target` as a MultiAgentEnv: spec, observations, rewards, clipping, errors (targetGame.ts). */
import { describe, expect, it } from 'vitest';
import { clipContinuousActions } from '../../../../../src/core/envs/continuous/continuousActions.js';
import { TARGET_AIMS, TargetGame } from '../../../../../src/core/envs/continuous/targetGame.js';
import { makeEnv } from '../../../../../src/core/envs/registry.js';

describe('cont:target', () => {
  it('describes a one-step, two-agent game in [−1, 1]², each agent observing its own aim', () => {
    const env = makeEnv('cont:target');
    expect(env).toBeInstanceOf(TargetGame);
    expect(env.spec).toEqual({
      name: 'cont:target',
      numAgents: 2,
      obsDim: 2,
      stateDim: 4,
      actionSpace: { kind: 'continuous', dim: 2, low: -1, high: 1 },
      episodeLimit: 1,
    });
    const start = env.reset(123);
    expect(Array.from(start.obs)).toEqual([0.5, -0.5, -0.5, 0.5]);
    expect(Array.from(start.state)).toEqual([0.5, -0.5, -0.5, 0.5]);
    expect(start.availActions).toBeNull();
    expect(Array.from(start.active)).toEqual([1, 1]);
    expect(Array.from(start.priority)).toEqual([0, 1]);
  });

  it('pays 1 − the mean squared distance to the aim, privately, and ends every agent’s episode', () => {
    const env = new TargetGame();
    env.reset();
    const atAims = env.step(TARGET_AIMS.flat());
    expect(Array.from(atAims.rewards)).toEqual([1, 1]);
    expect(Array.from(atAims.dones)).toEqual([1, 1]);
    expect(atAims.episodeDone).toBe(true);
    // agent 0 at the origin: 1 − (0.25 + 0.25)/2; agent 1 off by 0.1 in one dimension: 1 − 0.01/2
    const near = env.step([0, 0, -0.4, 0.5]);
    expect(near.rewards[0]).toBeCloseTo(0.75, 12);
    expect(near.rewards[1]).toBeCloseTo(0.995, 12);
    expect(near.info).toEqual({ 'reward/agent0': near.rewards[0], 'reward/agent1': near.rewards[1] });
  });

  it('clips raw Gaussian samples into the box before scoring them', () => {
    const env = new TargetGame();
    const clipped = Array.from(env.step([1, -1, -1, 1]).rewards);
    expect(Array.from(env.step([7, -3.5, -1e6, 1.0001]).rewards)).toEqual(clipped);
    expect(clipped).toEqual([0.75, 0.75]); // (0.5² + 0.5²)/2 from each aim
  });

  it('is deterministic: the seed is ignored and the buffers are reused (callers copy)', () => {
    const env = new TargetGame();
    const first = env.step([0.1, 0.2, 0.3, 0.4]);
    const rewards = Array.from(first.rewards);
    expect(env.reset(7)).toBe(env.reset(8));
    const second = env.step([0.1, 0.2, 0.3, 0.4]);
    expect(second).toBe(first);
    expect(Array.from(second.rewards)).toEqual(rewards);
  });

  it.each([
    [[0, 0, 0], /cont:target: expected 4 action values \(2 agents × 2 dimensions, agent-major\), received 3/],
    [[0, 0, 0, 0, 0], /expected 4 action values .*received 5/],
    [[0, 0, Number.NaN, 0], /cont:target: agent 1, dimension 0: expected a finite number, received NaN/],
    [
      [Number.POSITIVE_INFINITY, 0, 0, 0],
      /agent 0, dimension 0: expected a finite number, received Infinity/,
    ],
    [[0, 0, 0, '0.5'], /agent 1, dimension 1: expected a finite number, received 0\.5/],
  ])('refuses the joint action %j with a clear error', (actions, message) => {
    const env = new TargetGame();
    expect(() => env.step(actions as unknown as number[])).toThrow(message);
  });

  it('restores its own snapshot and refuses another env’s', () => {
    const env = new TargetGame();
    const snapshot = JSON.parse(JSON.stringify(env.snapshot())) as unknown;
    expect(Array.from(new TargetGame().restore(snapshot).obs)).toEqual(TARGET_AIMS.flat());
    expect(() => env.restore({ env: 'matrix:penalty0' })).toThrow(
      'cont:target: restore: expected a snapshot with env "cont:target", received {"env":"matrix:penalty0"}',
    );
    expect(() => env.restore(null)).toThrow(/received null/);
  });
});

describe('clipContinuousActions', () => {
  it('copies each value clipped to [low, high] into the output, agent-major', () => {
    const out = new Float64Array(6);
    clipContinuousActions('test', [-2, 0.25, 3, 0, -0.5, 1], 2, 3, { low: -1, high: 1 }, out);
    expect(Array.from(out)).toEqual([-1, 0.25, 1, 0, -0.5, 1]);
  });
});
