import { describe, expect, it } from 'vitest';
import { readTidy } from '../../../../src/core/nn/readTidy.js';
import * as tf from '../../../../src/core/nn/tf.js';

describe('readTidy', () => {
  it("returns the tensor's values and frees every tensor the computation made", async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    const values = readTidy(() => tf.add(tf.tensor([1, 2, 3]), tf.scalar(1)));
    expect(Array.from(values)).toEqual([2, 3, 4]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
