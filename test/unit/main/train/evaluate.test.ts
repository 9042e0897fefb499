import { describe, expect, it } from 'vitest';
import type { SteerPolicy } from '../../../../src/core/algos/steer/policy.js';
import { makeEnv } from '../../../../src/core/envs/registry.js';
import type { EnvTransition, MultiAgentEnv } from '../../../../src/core/envs/types.js';
import { evaluateGreedy, isConverged, playGreedyEpisode } from '../../../../src/main/train/evaluate.js';

/** A policy that plays `script[t]` (priority order) at step t and records what it was shown. */
function scriptedPolicy(script: number[][], stateDim: number) {
  const seen: { obs: number[]; greedy: boolean }[] = [];
  let t = 0;
  const policy = {
    model: { config: { stateDim } },
    act: (input: { obs: Float32Array }, greedy: boolean) => {
      seen.push({ obs: Array.from(input.obs), greedy });
      const actions = Float32Array.from(script[Math.min(t++, script.length - 1)]!);
      return {
        actions,
        logProbs: new Float32Array(actions.length),
        values: new Float32Array(actions.length),
      };
    },
  };
  return { policy: policy as unknown as SteerPolicy, seen };
}

describe('greedy evaluation (docs/spec/steer.md §c.7)', () => {
  it('plays Coordination to its target path (0,0)×9 then (2,0) and judges it converged', () => {
    const path = [...Array.from({ length: 9 }, () => [0, 0]), [2, 0]];
    const { policy, seen } = scriptedPolicy(path, 2 * makeEnv('nstep:coordination').spec.obsDim);
    const e = evaluateGreedy(policy, makeEnv('nstep:coordination'));
    expect(e).toMatchObject({
      env: 'nstep:coordination',
      returns: [29, 24],
      target: [29, 24],
      converged: true,
    });
    expect(e.actions).toEqual(path);
    expect(seen.every((s) => s.greedy)).toBe(true);
  });

  it('judges the Nash equilibrium (1,1) of Mixing not converged, finding the target by the canonical name of an alias', () => {
    const { policy } = scriptedPolicy([[1, 1]], 2);
    const e = evaluateGreedy(policy, makeEnv('matrix:mixing'));
    expect(e).toMatchObject({ env: 'matrix:different_order', target: [0, 5], converged: false });
    expect(e.actions).toEqual([[1, 1]]);
  });

  it('hands observations over in priority order and maps actions back to agent order', () => {
    const step: EnvTransition = {
      obs: Float32Array.of(10, 11),
      state: new Float32Array(0),
      availActions: null,
      active: Uint8Array.of(1, 1),
      priority: Int32Array.of(1, 0), // agent 1 leads
      rewards: Float64Array.of(1, 2),
      dones: Uint8Array.of(1, 1),
      episodeDone: true,
      info: {},
    };
    const env: MultiAgentEnv = {
      spec: {
        name: 'fake',
        numAgents: 2,
        obsDim: 1,
        stateDim: 0,
        actionSpace: { kind: 'discrete', n: 3 },
        episodeLimit: 1,
      },
      reset: () => step,
      step: (actions) => {
        expect(Array.from(actions)).toEqual([2, 0]); // agent 0 got the follower's action 2
        return step;
      },
    };
    const { policy, seen } = scriptedPolicy([[0, 2]], 2);
    const episode = playGreedyEpisode(policy, env);
    expect(seen[0]!.obs).toEqual([11, 10]);
    expect(episode).toEqual({ env: 'fake', actions: [[2, 0]], returns: [1, 2] });
  });

  it('plays continuous actions: each agent’s mean vector, mapped back to agent order', () => {
    const base = makeEnv('cont:target');
    const start = base.reset();
    const played: number[][] = [];
    const env: MultiAgentEnv = {
      spec: base.spec,
      reset: () => ({ ...start, priority: Int32Array.of(1, 0) }), // agent 1 leads
      step: (actions) => {
        played.push(Array.from(actions));
        return base.step(actions);
      },
    };
    // priority order: the leader (agent 1) plays (−0.5, 0.5), the follower (agent 0) (0.5, −0.25)
    const { policy, seen } = scriptedPolicy([[-0.5, 0.5, 0.5, -0.25]], base.spec.stateDim);
    const episode = playGreedyEpisode(policy, env);
    expect(seen[0]).toEqual({ obs: [-0.5, 0.5, 0.5, -0.5], greedy: true });
    expect(played).toEqual([[0.5, -0.25, -0.5, 0.5]]);
    expect(episode.actions).toEqual([[0.5, -0.25, -0.5, 0.5]]);
    expect(episode.returns[0]).toBeCloseTo(1 - 0.0625 / 2, 12);
    expect(episode.returns[1]).toBe(1);
    expect(evaluateGreedy(policy, base)).toMatchObject({ target: null, converged: false });
  });

  it('isConverged compares every agent with the target', () => {
    expect(isConverged([10, 10], [10, 10])).toBe(true);
    expect(isConverged([10, 8], [10, 10])).toBe(false);
    expect(isConverged([0, 5], null)).toBe(false);
  });
});
