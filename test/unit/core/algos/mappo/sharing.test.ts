/**
 * What makes MAPPO MAPPO (docs/algos/mappo.md, "What distinguishes it"): one actor parameter set
 * serves every agent, so permuting the agents' observations permutes their action distributions,
 * and a gradient from one agent's loss alone reaches the weights every other agent acts with; the
 * centralised critic reads the state (or all observations), never an action. Each test has a
 * control that a per-agent actor or an action-reading critic would fail.
 */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MappoPolicy } from '../../../../../src/core/algos/mappo/policy.js';
import type { ActionSpace } from '../../../../../src/core/envs/types.js';
import * as tf from '../../../../../src/core/nn/tf.js';
import { Rng } from '../../../../../src/core/rng.js';
import {
  actorOutputs,
  agentSlice,
  evaluateFlat,
  gaussian,
  maxAbsDiff,
  randomInput,
  randomPolicy,
} from './fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const CONTINUOUS: ActionSpace = { kind: 'continuous', dim: 2, low: -1, high: 1 };
/** Agent i of the permuted input is agent PERM[i] of the original. */
const PERM = [2, 0, 1];

/** Rows of a flat [B, n, width] array reordered so that row i of each env is row perm[i]. */
function permuteAgents(x: ArrayLike<number>, b: number, width: number, perm = PERM): Float32Array {
  const n = perm.length;
  const out = new Float32Array(b * n * width);
  for (let e = 0; e < b; e++) {
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < width; k++) out[(e * n + i) * width + k] = x[(e * n + perm[i]!) * width + k]!;
    }
  }
  return out;
}

/** Gradients of −Σ_envs log π(a_agent) (agent `agent`'s policy loss alone) by parameter name. */
function agentLossGradients(policy: MappoPolicy, agent: number, seed: number): Map<string, Float32Array> {
  const { numAgents: n, obsDim: o, stateDim: s } = policy.model.config;
  const rng = Rng.fromSeed(seed);
  const b = 4;
  const input = randomInput(policy.model, b, rng);
  const actions = policy.act(input, false, rng).actions;
  const params = policy.model.params.entries();
  const byName = new Map<string, Float32Array>();
  tf.tidy(() => {
    const { grads } = tf.variableGrads(
      (): tf.Scalar => {
        const out = policy.evaluate(
          tf.tensor(input.obs, [b, n, o]),
          tf.tensor(input.state!, [b, s]),
          tf.tensor(Array.from(actions), [b, n], 'int32'),
          null,
        );
        return tf.neg(tf.sum(tf.slice(out.logProbs, [0, agent, 0], [b, 1, 1]))) as tf.Scalar;
      },
      params.map(([, v]) => v),
    );
    for (const [name, v] of params) {
      const g = grads[v.name];
      if (g) byName.set(name, Float32Array.from(g.dataSync()));
    }
  });
  return byName;
}

describe('MAPPO: one actor for every agent', () => {
  it.each([
    ['discrete', {}],
    ['continuous', { actionSpace: CONTINUOUS }],
  ] as const)(
    '%s, no ids: permuting the agents’ observations permutes their action distributions exactly',
    (_, over) => {
      const policy = randomPolicy({ ...over, agentIdInput: false });
      const rng = Rng.fromSeed(41);
      const [b, n, a] = [3, 3, policy.model.actionDim];
      const width = policy.actionWidth;
      const input = randomInput(policy.model, b, rng);
      const permuted = { ...input, obs: permuteAgents(input.obs, b, policy.model.config.obsDim) };
      // logits or Gaussian means, row by row
      const out = actorOutputs(policy.model, input.obs, b);
      expect(actorOutputs(policy.model, permuted.obs, b)).toEqual(permuteAgents(out, b, a));
      // the whole distribution: log-probabilities and entropies of the permuted actions
      const actions = policy.act(input, false, rng).actions;
      const base = evaluateFlat(policy, input, actions);
      const moved = evaluateFlat(policy, permuted, permuteAgents(actions, b, width));
      expect(maxAbsDiff(moved.logProbs, permuteAgents(base.logProbs, b, width))).toBeLessThan(1e-6);
      expect(maxAbsDiff(moved.entropy, permuteAgents(base.entropy, b, width))).toBeLessThan(1e-6);
      // control: the outputs really differ between agents, so the permutation is not vacuous
      expect(maxAbsDiff(agentSlice(out, 0, 0, n, a), agentSlice(out, 0, 1, n, a))).toBeGreaterThan(1e-3);
      policy.model.dispose();
    },
  );

  it('with ids the one-hot id is the only per-agent input: the same permutation no longer commutes', () => {
    const policy = randomPolicy({ agentIdInput: true });
    const input = randomInput(policy.model, 3, Rng.fromSeed(42));
    const out = actorOutputs(policy.model, input.obs, 3);
    const moved = actorOutputs(policy.model, permuteAgents(input.obs, 3, 5), 3);
    expect(maxAbsDiff(moved, permuteAgents(out, 3, 4))).toBeGreaterThan(1e-3);
    policy.model.dispose();
  });

  it("a gradient from agent 1's loss alone reaches every actor weight, the ones agents 0 and 2 act with, and no critic weight", () => {
    const policy = randomPolicy();
    const names = policy.model.params.entries().map(([name]) => name);
    const actorNames = names.filter((name) => name.startsWith('actor.'));
    for (const agent of [1, 0]) {
      const grads = agentLossGradients(policy, agent, 43);
      // the same tensors whichever agent's loss it is: there is no per-agent actor parameter
      expect([...grads.keys()].sort()).toEqual([...actorNames].sort());
      for (const [name, g] of grads) expect(Math.max(...g.map(Math.abs)), name).toBeGreaterThan(0);
    }
    expect(names.some((name) => name.startsWith('critic.'))).toBe(true);
    policy.model.dispose();
  });

  it("one gradient step on agent 1's loss alone moves agent 0's and agent 2's distributions and leaves the critic alone", () => {
    const policy = randomPolicy();
    const probe = randomInput(policy.model, 2, Rng.fromSeed(44));
    const before = actorOutputs(policy.model, probe.obs, 2);
    const valuesBefore = evaluateFlat(policy, probe, [0, 0, 0, 0, 0, 0]).values;
    const grads = agentLossGradients(policy, 1, 45);
    for (const [name, g] of grads) {
      const v = policy.model.params.get(name);
      tf.tidy(() => v.assign(tf.sub(v, tf.mul(tf.tensor(g, v.shape), 0.05))));
    }
    const after = actorOutputs(policy.model, probe.obs, 2);
    for (const agent of [0, 2]) {
      expect(
        maxAbsDiff(agentSlice(after, 1, agent, 3, 4), agentSlice(before, 1, agent, 3, 4)),
      ).toBeGreaterThan(1e-3);
    }
    expect(evaluateFlat(policy, probe, [0, 0, 0, 0, 0, 0]).values).toEqual(valuesBefore);
    policy.model.dispose();
  });
});

describe('MAPPO: the critic reads the state or the observations, never an action', () => {
  it("criticInput 'observations': no state is read; each value follows every agent's observation, not the actions", () => {
    const policy = randomPolicy({ criticInput: 'observations' });
    expect(policy.readsState).toBe(false);
    // the critic's input is n·O wide, not S
    expect(policy.model.params.get('critic.inputNorm.gamma').shape).toEqual([3 * 5 + 3]);
    const rng = Rng.fromSeed(46);
    const input = { ...randomInput(policy.model, 2, rng), state: null };
    const out = policy.act(input, false, rng);
    // acting equals teacher-forced evaluation, with no state anywhere
    const ev = evaluateFlat(policy, input, out.actions);
    expect(maxAbsDiff(ev.values, out.values)).toBeLessThan(1e-6);
    expect(maxAbsDiff(ev.logProbs, out.logProbs)).toBeLessThan(1e-5);
    // other actions: the same values
    const other = Float32Array.from(out.actions, (x) => (x + 1) % 4);
    expect(evaluateFlat(policy, input, other).values).toEqual(ev.values);
    // a new observation of agent 2 in env 0 changes every agent's value in env 0, and only there
    const obs = Float32Array.from(input.obs);
    obs.set(gaussian(5, rng), 2 * 5);
    const moved = policy.act({ ...input, obs }, true, rng).values;
    for (let i = 0; i < 3; i++) expect(Math.abs(moved[i]! - out.values[i]!)).toBeGreaterThan(1e-5);
    expect(Array.from(moved.subarray(3))).toEqual(Array.from(out.values.subarray(3)));
    policy.model.dispose();
  });

  it("criticInput 'state' without a state is refused, naming what is missing", () => {
    const policy = randomPolicy();
    const input = { ...randomInput(policy.model, 1, Rng.fromSeed(47)), state: null };
    expect(() => policy.act(input, true, Rng.fromSeed(1))).toThrow(/reads the global state/);
    policy.model.dispose();
  });
});
