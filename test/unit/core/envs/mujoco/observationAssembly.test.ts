/**
 * Final observations and states (docs/spec/bridges.md §1.6–§1.8): zero padding, one-hot id, and
 * standardisation by the row's own mean and population std, checked against a plain re-computation
 * from the worked example's index lists.
 */
import { describe, expect, it } from 'vitest';
import {
  assembleLocalObservations,
  assembleObservations,
  assembleStandardisedState,
  assembleStateVariantObservations,
  buildAgentLayout,
  localObsDim,
  observationDim,
  standardiseInPlace,
} from '../../../../../src/core/envs/mujoco/graph/index.js';
import type { SimState } from '../../../../../src/core/envs/mujoco/types.js';

function namingState(nq: number, nv: number): SimState {
  return {
    qpos: Float64Array.from({ length: nq }, (_, i) => 100 + i),
    qvel: Float64Array.from({ length: nv }, (_, i) => 200 + i),
    qfrcActuator: new Float64Array(nv),
    cfrcExt: new Float64Array(6 * 8),
    xpos: new Float64Array(3 * 8),
  };
}

/** numpy's (x − mean(x)) / std(x), written out plainly. */
function standardised(values: number[]): number[] {
  const mean = values.reduce((sum, x) => sum + x, 0) / values.length;
  const variance = values.reduce((sum, x) => sum + (x - mean) ** 2, 0) / values.length;
  return values.map((x) => (x - mean) / Math.sqrt(variance));
}

function oneHot(agent: number, numAgents: number): number[] {
  return Array.from({ length: numAgents }, (_, i) => (i === agent ? 1 : 0));
}

function expectClose(actual: ArrayLike<number>, expected: number[], digits = 12): void {
  expect(actual.length).toBe(expected.length);
  for (const [i, value] of expected.entries()) expect(actual[i], `entry ${i}`).toBeCloseTo(value, digits);
}

const mean = (xs: number[]) => xs.reduce((sum, x) => sum + x, 0) / xs.length;

describe('standardiseInPlace', () => {
  it('gives the slice mean 0 and population std 1, leaving the rest untouched', () => {
    const vec = Float64Array.from([7, 1, 2, 3, 4, 10, 7]);
    standardiseInPlace(vec, 1, 5);
    const slice = Array.from(vec.subarray(1, 6));
    expect(mean(slice)).toBeCloseTo(0, 12);
    expect(Math.sqrt(mean(slice.map((x) => x ** 2)))).toBeCloseTo(1, 12);
    // mean 4, population variance (9 + 4 + 1 + 0 + 36) / 5 = 10.
    expectClose(
      slice,
      [-3, -2, -1, 0, 6].map((x) => x / Math.sqrt(10)),
    );
    expect([vec[0], vec[6]]).toEqual([7, 7]);
  });

  it('writes zeros when every entry is equal (std 0), instead of NaN', () => {
    const vec = Float32Array.from([5, 5, 5]);
    standardiseInPlace(vec, 0, 3);
    expect(Array.from(vec)).toEqual([0, 0, 0]);
  });
});

describe('local variant (docs/spec/bridges.md §1.6)', () => {
  const tail = [102, 101, 200, 202, 201];
  // HalfCheetah 6x1, k = 1: the worked example's raw vectors as values of the naming state.
  const RAW_6X1 = [
    [105, 205, 104, ...tail],
    [104, 204, 105, 103, ...tail],
    [103, 203, 104, 106, ...tail],
    [108, 208, 107, ...tail],
    [107, 207, 108, 106, ...tail],
    [106, 206, 103, 107, ...tail],
  ];

  it('pads each raw vector to 9, appends the one-hot id of 6 and standardises the row of 15', () => {
    const layout = buildAgentLayout('HalfCheetah-v2', '6x1', 1);
    const out = new Float64Array(6 * 15).fill(Number.NaN);
    assembleLocalObservations(layout, namingState(9, 9), out);
    RAW_6X1.forEach((raw, agent) => {
      const padded = [...raw, ...Array.from({ length: 9 - raw.length }, () => 0)];
      expectClose(out.subarray(agent * 15, (agent + 1) * 15), standardised([...padded, ...oneHot(agent, 6)]));
    });
  });

  it('puts the one-hot id after the padding: with a zero state, agent i’s largest entry is at 9 + i', () => {
    const layout = buildAgentLayout('HalfCheetah-v2', '6x1', 1);
    const zero = { ...namingState(9, 9), qpos: new Float64Array(9), qvel: new Float64Array(9) };
    const out = new Float32Array(6 * 15);
    assembleLocalObservations(layout, zero, out);
    for (let agent = 0; agent < 6; agent++) {
      const row = Array.from(out.subarray(agent * 15, (agent + 1) * 15));
      expect(row.indexOf(Math.max(...row)), `agent ${agent}`).toBe(9 + agent);
    }
  });

  it('writes the same numbers into a Float32Array, to float32 precision', () => {
    const layout = buildAgentLayout('Ant-v2', '4x2', 2, { variant: 'local' });
    const state = namingState(15, 14);
    const exact = new Float64Array(4 * localObsDim(layout));
    const single = new Float32Array(exact.length);
    assembleLocalObservations(layout, state, exact);
    assembleLocalObservations(layout, state, single);
    expectClose(single, Array.from(exact), 5);
  });

  it('refuses a buffer too small for every agent’s row', () => {
    const layout = buildAgentLayout('HalfCheetah-v2', '6x1', 1);
    expect(() => assembleLocalObservations(layout, namingState(9, 9), new Float32Array(89))).toThrow(
      /assembleLocalObservations: output buffer holds 89 numbers, needs 90/,
    );
  });

  it('has no local size when agents read the full observation', () => {
    expect(() => localObsDim(buildAgentLayout('HalfCheetah-v2', '6x1', 2))).toThrow(
      /observes the full task observation/,
    );
  });
});

describe('full observations and states (docs/spec/bridges.md §1.7–§1.8)', () => {
  const full = Float64Array.from({ length: 17 }, (_, i) => ((i * 7) % 5) - 1.5 + i / 10);

  it('state variant and k = null: full obs ⊕ one-hot, standardised per agent', () => {
    const out = new Float64Array(3 * 20);
    assembleStateVariantObservations(full, 3, out);
    for (let agent = 0; agent < 3; agent++) {
      expectClose(out.subarray(agent * 20, (agent + 1) * 20), standardised([...full, ...oneHot(agent, 3)]));
    }
  });

  it('local variant state: the full obs standardised, without id', () => {
    const out = new Float32Array(17);
    assembleStandardisedState(full, out);
    expectClose(out, standardised([...full]), 5);
    expect(() => assembleStandardisedState(full, new Float32Array(16))).toThrow(/holds 16 numbers, needs 17/);
  });

  it.each([
    // [k, variant, obs size] for HalfCheetah 6x1 (full obs 17, 6 agents).
    [0, 'local', 13],
    [1, 'local', 15],
    [2, 'state', 23],
    [null, 'local', 23],
    [0, 'state', 23],
  ] as const)('HalfCheetah 6x1, k = %s, %s variant: obs %i per agent', (k, variant, obsSize) => {
    const layout = buildAgentLayout('HalfCheetah-v2', '6x1', k, { variant });
    expect(observationDim(layout, 17)).toBe(obsSize);
  });

  it('assembleObservations reads the full obs for the state variant and k = null', () => {
    const state = namingState(9, 9);
    for (const k of [2, null]) {
      const obs = new Float64Array(6 * 23);
      assembleObservations(buildAgentLayout('HalfCheetah-v2', '6x1', k), state, full, obs);
      expectClose(obs.subarray(23, 46), standardised([...full, ...oneHot(1, 6)]));
    }
  });

  it('assembleObservations observes the neighbourhood for the local variant with k set', () => {
    const state = namingState(9, 9);
    const layout = buildAgentLayout('HalfCheetah-v2', '6x1', 1);
    const obs = new Float64Array(6 * 15);
    const viaLocal = new Float64Array(6 * 15);
    assembleObservations(layout, state, full, obs);
    assembleLocalObservations(layout, state, viaLocal);
    expect(Array.from(obs)).toEqual(Array.from(viaLocal));
  });
});
