/**
 * The worker-pool half of the env benchmarks (`steer bench --env horm|mujoco`): `workers` worker
 * threads, one env each, all told to go together; a run's figure is the total steps of all workers
 * over the wall time from the common start to the last worker's end. The workers warm up before the
 * first measured run, and `warmup` whole runs are left out as well.
 */

import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../workers/tsWorker.js';
import type { BenchedEnv, EnvBenchWorkerData, EnvBenchWorkerMessage } from './envBenchWorker.js';

/** How much a pool measures. */
export interface EnvBenchPoolOptions {
  /** Steps per measured run, per worker. */
  readonly steps: number;
  readonly repeats: number;
  readonly warmup: number;
  readonly workers: number;
}

/** A started worker and a way to wait for its next message. */
interface PoolWorker {
  readonly worker: Worker;
  next(): Promise<EnvBenchWorkerMessage>;
}

/** The worker's entry, next to this file (started like every worker: workers/tsWorker.ts). */
const WORKER_ENTRY = new URL('./envBenchWorker.ts', import.meta.url);

function startWorker(data: EnvBenchWorkerData): PoolWorker {
  const worker = startTsWorker(WORKER_ENTRY, data);
  const queue: EnvBenchWorkerMessage[] = [];
  let waiting: { resolve: (m: EnvBenchWorkerMessage) => void; reject: (e: Error) => void } | null = null;
  let failure: Error | null = null;
  worker.on('message', (message: EnvBenchWorkerMessage) => {
    if (waiting) {
      waiting.resolve(message);
      waiting = null;
    } else queue.push(message);
  });
  const fail = (error: Error) => {
    failure = error;
    waiting?.reject(error);
    waiting = null;
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`bench worker exited with code ${code}`)));
  return {
    worker,
    next: () => {
      const ready = queue.shift();
      if (ready) return Promise.resolve(ready);
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
      });
    },
  };
}

/** Total steps/s of the pool, one value per measured run. */
export async function benchEnvPool(benched: BenchedEnv, options: EnvBenchPoolOptions): Promise<number[]> {
  const pool = Array.from({ length: options.workers }, (_, w) =>
    startWorker({ benched, steps: options.steps, warmupSteps: Math.min(options.steps, 500), seed: 1 + w }),
  );
  try {
    await Promise.all(pool.map(async (p) => expectMessage(await p.next(), 'ready')));
    const values: number[] = [];
    for (let r = 0; r < options.warmup + options.repeats; r++) {
      const started = performance.now();
      for (const p of pool) p.worker.postMessage('go');
      await Promise.all(pool.map(async (p) => expectMessage(await p.next(), 'done')));
      const seconds = (performance.now() - started) / 1000;
      if (r >= options.warmup) values.push((options.workers * options.steps) / seconds);
    }
    return values;
  } finally {
    for (const p of pool) {
      p.worker.removeAllListeners('exit');
      p.worker.on('error', () => {}); // errors while stopping are no longer news
      await p.worker.terminate();
    }
  }
}

function expectMessage(message: EnvBenchWorkerMessage, type: EnvBenchWorkerMessage['type']): void {
  if (message.type !== type) {
    throw new Error(`bench worker: expected a "${type}" message, received ${JSON.stringify(message)}`);
  }
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((p, q) => p - q);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
