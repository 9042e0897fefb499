import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKEND_ENV_VAR, BackendError } from '../../../../src/core/nn/backend.js';
import { initBackend } from '../../../../src/core/nn/node/backends.js';

/** 1 + 2 and 3 + 4 computed on whatever backend is active. */
function addOnActiveBackend(): number[] {
  return tf.tidy(() => Array.from(tf.add(tf.tensor1d([1, 3]), tf.tensor1d([2, 4])).dataSync()));
}

describe('initBackend (real packages)', () => {
  const savedEnv = process.env[BACKEND_ENV_VAR];
  afterEach(() => {
    if (savedEnv === undefined) delete process.env[BACKEND_ENV_VAR];
    else process.env[BACKEND_ENV_VAR] = savedEnv;
  });

  it.each(['cpu', 'wasm'] as const)('runs on %s when requested', async (name) => {
    const lines: string[] = [];
    const choice = await initBackend(name, (m) => lines.push(m));
    expect(choice).toEqual({ name, tfjsName: name, tried: [] });
    expect(tf.getBackend()).toBe(name);
    expect(lines).toEqual([`backend: ${name} (requested)`]);
    expect(addOnActiveBackend()).toEqual([3, 7]);
  });

  it(`takes the request from ${BACKEND_ENV_VAR} when none is given`, async () => {
    process.env[BACKEND_ENV_VAR] = 'cpu';
    const choice = await initBackend(undefined, () => {});
    expect(choice.name).toBe('cpu');
  });

  it('picks the first available backend and prints one line about it', async () => {
    delete process.env[BACKEND_ENV_VAR];
    const lines: string[] = [];
    const choice = await initBackend(undefined, (m) => lines.push(m));
    expect(tf.getBackend()).toBe(choice.tfjsName);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^backend: ${choice.name}( \\(.+ unavailable: .+\\))?$`));
    expect(addOnActiveBackend()).toEqual([3, 7]);
  });

  // Holds both here (tfjs-node not installed) and on a machine where it is installed.
  it('gives tfjs-node when installed, else a clear error naming it and why', async () => {
    try {
      const choice = await initBackend('tfjs-node', () => {});
      expect(choice).toEqual({ name: 'tfjs-node', tfjsName: 'tensorflow', tried: [] });
      expect(addOnActiveBackend()).toEqual([3, 7]);
    } catch (error) {
      expect(error).toBeInstanceOf(BackendError);
      expect((error as Error).message).toMatch(
        /^backend 'tfjs-node' was requested but is unavailable: .+npm install @tensorflow\/tfjs-node.+Valid backends: tfjs-node-gpu, tfjs-node, wasm, cpu/,
      );
    }
  });

  it('refuses an unknown name', async () => {
    await expect(initBackend('webgpu', () => {})).rejects.toThrow(
      /unknown backend 'webgpu': expected one of/,
    );
  });
});
