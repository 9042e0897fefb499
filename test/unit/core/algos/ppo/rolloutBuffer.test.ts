/**
 * Rollout storage (rolloutBuffer.ts): what goes in by (step, env, agent) comes out at that index,
 * and `gather` returns it in each row's priority order; policy outputs in priority order land with
 * the right agent; an env without a global state stores concatenated observations; the last row
 * carries over to the next rollout.
 */
import { describe, expect, it } from 'vitest';
import { RolloutBuffer, type RolloutShape } from '../../../../../src/core/algos/ppo/rolloutBuffer.js';
import type { EnvStep } from '../../../../../src/core/envs/types.js';
import { Rng } from '../../../../../src/core/rng.js';

const SHAPE: RolloutShape = {
  steps: 3,
  envs: 2,
  agents: 3,
  obsDim: 2,
  stateDim: 4,
  actionDim: 3,
  actionWidth: 1,
  discrete: true,
};

/** Observation value k of `agent` at step t of env e: readable from the number. */
const obsValue = (t: number, e: number, agent: number, k: number) => 1000 * t + 100 * e + 10 * agent + k;

/** A random decision order (a permutation of the agents). */
function permutation(n: number, rng: Rng): Int32Array {
  const out = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Env e's observation at step t: numbered obs, a state, every agent active, a random priority. */
function envStep(t: number, e: number, rng: Rng, withState = true): EnvStep {
  const { agents: n, obsDim: o } = SHAPE;
  return {
    obs: Float32Array.from({ length: n * o }, (_, i) => obsValue(t, e, Math.floor(i / o), i % o)),
    state: withState
      ? Float32Array.from({ length: SHAPE.stateDim }, (_, k) => -(100 * t + 10 * e + k))
      : new Float32Array(0),
    availActions: null,
    active: Uint8Array.from({ length: n }, (_, j) => ((t + e + j) % 4 === 0 ? 0 : 1)),
    priority: permutation(n, rng),
  };
}

describe('RolloutBuffer', () => {
  it('gather equals a plain lookup by (step, env, agent) in each row’s priority order', () => {
    const rng = Rng.fromSeed(1);
    const { steps, envs: r, agents: n, obsDim: o } = SHAPE;
    const buffer = new RolloutBuffer(SHAPE);
    const observed: EnvStep[][] = [];
    // what the policy chose at (t, e), in priority order, and the env action written for it
    const chosen: { actions: number[]; logProbs: number[]; values: number[] }[][] = [];
    const envActions: number[][][] = [];
    for (let t = 0; t <= steps; t++) {
      observed.push([]);
      chosen.push([]);
      envActions.push([]);
      for (let e = 0; e < r; e++) {
        const step = envStep(t, e, rng);
        observed[t]!.push(step);
        buffer.writeStep(t, e, step);
      }
      if (t === steps) break;
      // one act() output for the R envs of the step, as a policy returns it (priority order)
      const out = {
        actions: Float32Array.from({ length: r * n }, () => Math.floor(rng.uniform() * 3)),
        logProbs: Float32Array.from({ length: r * n }, () => -rng.uniform()),
        values: Float32Array.from({ length: r * n }, () => rng.normal()),
      };
      for (let e = 0; e < r; e++) {
        const env = new Float64Array(n).fill(-1);
        buffer.storeActing(t * r + e, e, out, env);
        envActions[t]!.push(Array.from(env));
        const slice = (x: Float32Array) => Array.from(x.subarray(e * n, (e + 1) * n));
        chosen[t]!.push({
          actions: slice(out.actions),
          logProbs: slice(out.logProbs),
          values: slice(out.values),
        });
      }
    }
    const advantages = Float32Array.from({ length: steps * r * n }, () => rng.normal());
    const returns = Float32Array.from({ length: steps * r * n }, () => rng.normal());

    // every env got its joint action in agent order: agent priority[p] took the p-th choice
    for (let t = 0; t < steps; t++) {
      for (let e = 0; e < r; e++) {
        const priority = observed[t]![e]!.priority;
        for (let p = 0; p < n; p++) {
          expect(envActions[t]![e]![priority[p]!]).toBe(chosen[t]![e]!.actions[p]);
        }
      }
    }

    const rows = Int32Array.from([5, 0, 3, 2]); // (t, e) = (2, 1), (0, 0), (1, 1), (1, 0)
    const actRows = Int32Array.from([4, 1, 3, 0]);
    const batch = buffer.gather(rows, actRows, advantages, returns);
    rows.forEach((row, i) => {
      const [t, e] = [Math.floor(row / r), row % r];
      const [at, ae] = [Math.floor(actRows[i]! / r), actRows[i]! % r];
      const step = observed[t]![e]!;
      expect(Array.from(batch.state.subarray(i * 4, (i + 1) * 4))).toEqual(Array.from(step.state));
      for (let p = 0; p < n; p++) {
        const agent = step.priority[p]!;
        const dst = i * n + p;
        expect(batch.order[dst]).toBe(agent);
        expect(Array.from(batch.obs.subarray(dst * o, (dst + 1) * o))).toEqual([
          obsValue(t, e, agent, 0),
          obsValue(t, e, agent, 1),
        ]);
        expect(batch.active[dst]).toBe(step.active[agent]);
        expect(batch.advantages[dst]).toBe(advantages[(t * r + e) * n + agent]);
        expect(batch.returns[dst]).toBe(returns[(t * r + e) * n + agent]);
        expect(batch.values[dst]).toBe(chosen[t]![e]!.values[p]);
        // actions come from row actRows[i], for the same agent: its position there may differ
        const actPosition = observed[at]![ae]!.priority.indexOf(agent);
        expect(batch.actions[dst]).toBe(chosen[at]![ae]!.actions[actPosition]);
        expect(batch.logProbs[dst]).toBe(chosen[at]![ae]!.logProbs[actPosition]);
      }
    });
    expect(batch.avail).toBeNull(); // no env reported a mask
  });

  it('stores values in agent order, and masks for ended agents and ended episodes', () => {
    const rng = Rng.fromSeed(2);
    const { steps, envs: r, agents: n } = SHAPE;
    const buffer = new RolloutBuffer(SHAPE);
    for (let e = 0; e < r; e++) buffer.writeStep(steps, e, envStep(steps, e, rng));
    buffer.storeValues(steps, Float32Array.from([10, 11, 12, 20, 21, 22])); // [R, n], priority order
    for (let e = 0; e < r; e++) {
      const row = steps * r + e;
      for (let p = 0; p < n; p++) {
        expect(buffer.values[row * n + buffer.priority[row * n + p]!]).toBe(10 * (e + 1) + p);
      }
    }
    expect(Array.from(buffer.masks)).toEqual(new Array((steps + 1) * r * n).fill(1));
    buffer.storeMasks(1, 0, Uint8Array.from([0, 1, 0]));
    buffer.storeMasks(1, 1, null);
    expect(Array.from(buffer.masks.subarray(1 * r * n, 2 * r * n))).toEqual([1, 0, 1, 0, 0, 0]);
    buffer.storeRewards(3, [0.5, -1, 2]);
    expect(Array.from(buffer.rewards.subarray(3 * n, 4 * n))).toEqual([0.5, -1, 2]);
  });

  it('without a global state stores the concatenated observations; masks appear once an env reports them', () => {
    const shape = { ...SHAPE, stateDim: SHAPE.agents * SHAPE.obsDim };
    const rng = Rng.fromSeed(3);
    const buffer = new RolloutBuffer(shape);
    const plain = envStep(0, 0, rng, false);
    buffer.writeStep(0, 0, plain);
    const avail = Uint8Array.from([1, 0, 1, 1, 1, 0, 0, 1, 1]); // [n, A], agent order
    buffer.writeStep(0, 1, { ...envStep(0, 1, rng, false), availActions: avail });
    const batch = buffer.gather(Int32Array.from([0, 1]), Int32Array.from([0, 1]));
    expect(Array.from(batch.state.subarray(0, 6))).toEqual(Array.from(plain.obs));
    expect(batch.avail).not.toBeNull();
    expect(Array.from(batch.avail!.subarray(0, 9))).toEqual(new Array(9).fill(1)); // env 0: all available
    const order = batch.order.subarray(3, 6);
    const expected = Array.from(order).flatMap((agent) =>
      Array.from(avail.subarray(agent * 3, agent * 3 + 3)),
    );
    expect(Array.from(batch.avail!.subarray(9, 18))).toEqual(expected);
  });

  it('copyRow carries the last row’s observation, masks and order over to row 0', () => {
    const rng = Rng.fromSeed(4);
    const { steps, envs: r } = SHAPE;
    const buffer = new RolloutBuffer(SHAPE);
    for (let e = 0; e < r; e++) {
      buffer.writeStep(0, e, envStep(0, e, rng));
      buffer.writeStep(steps, e, { ...envStep(steps, e, rng), availActions: new Uint8Array(9).fill(e) });
    }
    buffer.storeMasks(steps, 1, null);
    const last = Int32Array.from({ length: r }, (_, e) => steps * r + e);
    const before = buffer.gather(last, last);
    buffer.copyRow(steps, 0);
    const first = buffer.gather(Int32Array.from([0, 1]), Int32Array.from([0, 1]));
    for (const key of ['obs', 'state', 'active', 'avail', 'order'] as const) {
      expect(Array.from(first[key]!), key).toEqual(Array.from(before[key]!));
    }
    expect(Array.from(buffer.masks.subarray(0, r * 3))).toEqual([1, 1, 1, 0, 0, 0]);
  });
});
