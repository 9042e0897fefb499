/**
 * noCopyKernels.ts on the wasm backend: Identity and same-dtype Cast share their input's data
 * (values right, memory released only when the last tensor goes), a real dtype conversion still
 * converts, and gradients through them are those of the backend's own kernels.
 */
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { installNoCopyKernels } from '../../../../src/core/nn/noCopyKernels.js';
import * as tf from '../../../../src/core/nn/tf.js';

let own: tf.KernelConfig[] = [];
const use = (kernels: tf.KernelConfig[]) => {
  for (const k of kernels) {
    tf.unregisterKernel(k.kernelName, 'wasm');
    tf.registerKernel(k);
  }
};

beforeAll(async () => {
  await tf.setBackend('wasm');
  own = ['Identity', 'Cast'].map((name) => tf.getKernel(name, 'wasm')!);
  installNoCopyKernels('wasm');
  installNoCopyKernels('wasm'); // a second call changes nothing
});

describe('no-copy Identity and Cast (wasm)', () => {
  it('share the data: more tensors, no more data buffers; the data lives until the last tensor goes', () => {
    const x = tf.tensor([1, 2, 3, 4], [2, 2]);
    const before = tf.memory();
    const copy = tf.clone(x); // Identity
    const same = tf.cast(x, 'float32'); // Cast to its own dtype
    expect(tf.memory().numTensors).toBe(before.numTensors + 2);
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers);
    x.dispose();
    copy.dispose();
    expect(Array.from(same.dataSync())).toEqual([1, 2, 3, 4]);
    expect(same.shape).toEqual([2, 2]);
    same.dispose();
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers - 1);
  });

  it('a real conversion still converts', () => {
    const x = tf.tensor([1.7, -2.2, 0], [3]);
    const i = tf.cast(x, 'int32');
    expect(i.dtype).toBe('int32');
    expect(Array.from(i.dataSync())).toEqual([1, -2, 0]);
    const before = tf.memory().numDataBuffers;
    const f = tf.cast(i, 'float32');
    expect(tf.memory().numDataBuffers).toBe(before + 1); // a conversion has data of its own
    expect(Array.from(f.dataSync())).toEqual([1, -2, 0]);
    tf.dispose([x, i, f]);
  });

  it('gradients equal those with the backend’s own kernels, and leave no tensor behind', () => {
    const grad = () =>
      tf.tidy(() => {
        const x = tf.tensor([
          [0.5, -1, 2],
          [3, 0.1, -0.7],
        ]);
        const w = tf.tensor([
          [1, 2],
          [-1, 0.5],
          [0.3, 0.3],
        ]);
        const f = (a: tf.Tensor) =>
          tf.sum(tf.mul(tf.erf(tf.matMul(a as tf.Tensor2D, w as tf.Tensor2D)), a.sum(1, true)));
        return Array.from(tf.grad(f)(x).dataSync());
      });
    const start = tf.memory().numTensors;
    const fast = grad();
    use(own);
    const reference = grad();
    installNoCopyKernels('wasm');
    expect(fast).toEqual(reference);
    expect(tf.memory().numTensors).toBe(start);
  });
});
