/** The hand-written layer gradients and normalCdf on the wasm backend (its Elu and Step kernels differ from cpu's). */
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll } from 'vitest';
import * as tf from '../../../../src/core/nn/tf.js';
import { layerGradientSuite } from './layerGradientSuite.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

layerGradientSuite('wasm');
