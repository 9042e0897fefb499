/**
 * The TensorFlow.js core the whole project uses, with every op's gradient registered. tfjs-core
 * alone ships ops without gradients, and its ESM `register_all_gradients` entry cannot be loaded
 * by Node's ESM resolver (extension-less imports), so the gradients come from the union package's
 * Node bundle, which registers them into the same global registry. Core code imports `tf` from
 * here, never from a tfjs package directly.
 */
import '@tensorflow/tfjs';

export * from '@tensorflow/tfjs-core';
