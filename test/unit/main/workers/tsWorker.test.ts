/**
 * runTsWorkerTask (src/main/workers/tsWorker.ts), the one-shot worker of the dashboard's evaluations
 * and the editor's sim.run: its result comes back, a refusal becomes the caller's error, and a
 * worker that throws or exits without a result becomes an ServiceError naming the method, never a wait
 * that does not end. With useBundledWorkers (the built app), an entry's `<name>.mjs` bundle runs
 * instead of its source when there is one.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../../../src/main/services/serviceError.js';
import {
  bundledWorkerFile,
  runTsWorkerTask,
  useBundledWorkers,
} from '../../../../src/main/workers/tsWorker.js';
import type { OneShotMessage, OneShotTask } from './fixtures/oneShotWorker.js';

const ENTRY = new URL('./fixtures/oneShotWorker.ts', import.meta.url);

/** Runs the fixture worker on `task`: its answer, or the error the caller gets. */
function run(task: OneShotTask): Promise<number> {
  return runTsWorkerTask<OneShotTask, OneShotMessage, number>(ENTRY, task, 'test.method', (message) => {
    if (message.type === 'answer') return { result: message.value };
    if (message.type === 'refused') return { error: new ServiceError('refused', message.message) };
    return null; // progress: keep waiting
  });
}

describe('runTsWorkerTask', () => {
  it('resolves with the result the worker posts, past its other messages', async () => {
    await expect(run({ kind: 'answer', value: 21 })).resolves.toBe(42);
  });

  it("rejects with the caller's error for a failure the worker reports", async () => {
    await expect(run({ kind: 'refuse', message: 'no such run' })).rejects.toMatchObject({
      code: 'refused',
      message: 'no such run',
    });
  });

  it('turns a worker that throws into an internal ServiceError with its message', async () => {
    const error = await run({ kind: 'throw', message: 'the backend is gone' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ code: 'internal' });
    expect((error as ServiceError).message).toMatch(
      /^test\.method: the worker failed: .*the backend is gone/,
    );
  });

  it('turns a worker that exits without a result into an internal ServiceError with its exit code', async () => {
    const error = await run({ kind: 'exit', code: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).message).toBe('test.method: the worker exited (code 3) without a result');
  });

  it('runs the bundle of an entry from the bundle folder when there is one, else the source', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'steer-worker-bundles-'));
    try {
      // A stand-in bundle that answers ×3 (the source answers ×2) and gets its task without tsx's
      // fields, with the bundles' folder (so that the workers it starts run from bundles too).
      await writeFile(
        join(dir, 'oneShotWorker.mjs'),
        [
          "import { parentPort, workerData } from 'node:worker_threads';",
          `const bare = Object.keys(workerData).sort().join() === 'bundledWorkerDir,task' && workerData.bundledWorkerDir === ${JSON.stringify(dir)};`,
          "parentPort.postMessage({ type: 'answer', value: bare ? workerData.task.value * 3 : -1 });",
        ].join('\n'),
      );
      useBundledWorkers(dir);
      expect(bundledWorkerFile(ENTRY)).toBe(join(dir, 'oneShotWorker.mjs'));
      await expect(run({ kind: 'answer', value: 21 })).resolves.toBe(63);
      expect(bundledWorkerFile(new URL('./fixtures/notBundled.ts', import.meta.url))).toBeNull();
      useBundledWorkers(null);
      await expect(run({ kind: 'answer', value: 21 })).resolves.toBe(42);
    } finally {
      useBundledWorkers(null);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
