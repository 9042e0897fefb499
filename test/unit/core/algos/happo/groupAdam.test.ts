/**
 * GroupOptimizers: the trainer's one Adam split into an optimiser per parameter group (each actor,
 * the critic), as HARL gives each its own. A group's steps must equal those of an Adam that only
 * ever knew that group (its own moments, its own gradient-norm clip), the other groups must not
 * move, and the trainer's Adam must hold every group's moments afterwards (that is what checkpoints
 * store).
 */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { GroupOptimizers } from '../../../../../src/core/algos/happo/groupAdam.js';
import { Adam, type AdamConfig } from '../../../../../src/core/nn/adam.js';
import { ParamStore } from '../../../../../src/core/nn/layers.js';
import * as tf from '../../../../../src/core/nn/tf.js';
import { Rng } from '../../../../../src/core/rng.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const CONFIG: AdamConfig = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-5 };
/** Parameter names and sizes: two groups, `a.` (5 values) and `b.` (4 values), interleaved. */
const LAYOUT: [string, number][] = [
  ['a.w', 3],
  ['b.w', 4],
  ['a.b', 2],
];

function store(seed: number): ParamStore {
  const rng = Rng.fromSeed(seed);
  const p = new ParamStore();
  for (const [name, size] of LAYOUT)
    p.add(
      name,
      [size],
      Float32Array.from({ length: size }, () => rng.normal()),
    );
  return p;
}

function values(p: ParamStore, prefix: string): number[] {
  return p
    .entries()
    .filter(([name]) => name.startsWith(prefix))
    .flatMap(([, v]) => Array.from(v.dataSync()));
}

function gradients(rng: Rng, size: number): Float32Array {
  return Float32Array.from({ length: size }, () => 3 * rng.normal());
}

describe('GroupOptimizers', () => {
  it('a group steps like an Adam over that group alone (own moments, own clip); the others stay', () => {
    const rng = Rng.fromSeed(1);
    // the trainer's Adam over all 9 values, with one step of history (no clip, so it is elementwise)
    const shared = store(2);
    const adam = new Adam(shared.list(), CONFIG);
    const history = gradients(rng, 9);
    adam.apply(history.slice(), null);
    // the reference: group a's parameters alone (a.w is [0, 3), a.b is [7, 9)), the same history
    const before = store(2);
    const alone = new ParamStore();
    alone.add('a.w', [3], Float32Array.from(before.get('a.w').dataSync()));
    alone.add('a.b', [2], Float32Array.from(before.get('a.b').dataSync()));
    const aloneAdam = new Adam(alone.list(), CONFIG);
    aloneAdam.apply(Float32Array.from([...history.subarray(0, 3), ...history.subarray(7, 9)]), null);
    expect(values(alone, 'a.')).toEqual(values(shared, 'a.'));
    const bMoment = Array.from(adam.moments().m[1]!);

    const groups = new GroupOptimizers(adam, shared);
    const bBefore = values(shared, 'b.');
    for (let k = 0; k < 2; k++) {
      const g = gradients(rng, 5);
      // a small max norm: the clip is active, and must use group a's norm only
      groups.group('a.').apply(g.slice(), 0.5);
      aloneAdam.apply(g.slice(), 0.5);
    }
    expect(values(shared, 'a.')).toEqual(values(alone, 'a.'));
    expect(values(shared, 'b.')).toEqual(bBefore);
    for (let k = 0; k < 2; k++) groups.group('b.').apply(gradients(rng, 4), 0.5);
    groups.finish();

    // the trainer's Adam: 1 + 2 steps, group a's moments the reference's, group b's moved too
    expect(adam.step).toBe(3);
    const { m, v } = adam.moments();
    const ref = aloneAdam.moments();
    expect(Array.from(m[0]!)).toEqual(Array.from(ref.m[0]!));
    expect(Array.from(v[2]!)).toEqual(Array.from(ref.v[1]!));
    expect(Array.from(m[1]!)).not.toEqual(bMoment);
    for (const p of [shared, alone, before]) p.dispose();
  });

  it('refuses groups that took different numbers of steps, and a prefix no parameter has', () => {
    const p = store(3);
    const groups = new GroupOptimizers(new Adam(p.list(), CONFIG), p);
    groups.group('a.').apply(new Float32Array(5), null);
    groups.group('b.');
    expect(() => groups.finish()).toThrow(/different step counts \(1, 0\)/);
    expect(() => groups.group('c.')).toThrow(/no parameter starts with "c\."/);
    p.dispose();
  });
});
