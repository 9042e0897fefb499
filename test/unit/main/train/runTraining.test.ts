/**
 * runTraining (src/main/train/runTraining.ts) without its final evaluation: the app's jobs ask for
 * none, so a stop does not spend seconds on 32 HORM episodes whose result nothing shows.
 */
import '@tensorflow/tfjs-backend-cpu';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '../../../../src/core/nn/tf.js';
import { runTraining } from '../../../../src/main/train/runTraining.js';

const MODEL = new URL('../../../../models/horm-easy', import.meta.url).pathname;
let root: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'steer-run-training-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('runTraining', () => {
  it('stops without evaluating the saved policy when finalEvaluation is false (the app’s jobs)', async () => {
    const runDir = join(root, 'horm-easy');
    await cp(MODEL, runDir, { recursive: true });
    // A stop before the next update (the bundled run is at 648 of 1250): nothing is trained.
    const signal = AbortSignal.abort();
    const started = performance.now();
    const result = await runTraining({ runDir, signal, finalEvaluation: false, updateThreads: 1 });
    expect(result.status).toBe('interrupted');
    expect(result.update).toBe(result.startUpdate);
    // Its 32 HORM episodes took ~9 s after every stop; none are played now.
    expect(performance.now() - started).toBeLessThan(8000);
    expect(result.hormEvaluation).toBeNull();
    expect(result.evaluation).toBeNull();
  });
});
