/**
 * HORM simulator throughput for `steer bench --env horm` (docs/spec/performance.md "HORM simulator"):
 * policy steps per second with uniformly random actions, safety supervisor on, observations and
 * rewards included (src/core/sim/horm/bench.ts), per traffic density,
 *   - on one core: `benchHormSim` in this thread;
 *   - on a pool of worker threads (one simulator each, all started together): total policy steps
 *     of all workers / wall time from the common start to the last worker's end.
 * Each figure is the median of `repeats` measured runs after `warmup` unmeasured ones.
 */

import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { benchHormSim } from '../../core/sim/horm/bench.js';
import type { TrafficDensity } from '../../core/sim/horm/index.js';
import { startTsWorker } from '../workers/tsWorker.js';
import type { SimWorkerData, SimWorkerMessage } from './simWorker.js';

/** Reference policy steps/s of the Python merge simulator, one core (docs/spec/performance.md). */
export const SIM_REFERENCE_STEPS_PER_S: Readonly<Record<TrafficDensity, number>> = Object.freeze({
  1: 61,
  2: 42,
  3: 34,
});

/** Densities measured, in order. */
export const SIM_DENSITIES: readonly TrafficDensity[] = Object.freeze([1, 2, 3] as const);

/** One simulator figure, as `steer bench --env horm --json` prints it (one line each). */
export interface SimBenchFigure {
  readonly name: 'sim';
  readonly density: TrafficDensity;
  /** 1 = this thread; more = a worker pool. */
  readonly workers: number;
  readonly value: number;
  readonly unit: 'policy steps/s';
  /** Measured runs the value is the median of. */
  readonly median_of: number;
  /** The reference's one-core figure at this density. */
  readonly reference: number;
  /** value / reference (the target is ≥ 100 per core). */
  readonly ratio: number;
}

/** How much to measure. */
export interface SimBenchOptions {
  /** Policy steps per measured run (per worker in a pool). */
  readonly steps: number;
  readonly repeats: number;
  readonly warmup: number;
  /** Pool size; 1 measures this thread only. */
  readonly workers: number;
}

/** Default pool size: the cores Node may use. */
export function defaultSimWorkers(): number {
  return availableParallelism();
}

/** Median of a non-empty list. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((p, q) => p - q);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function figure(density: TrafficDensity, workers: number, values: readonly number[]): SimBenchFigure {
  const value = median(values);
  const reference = SIM_REFERENCE_STEPS_PER_S[density];
  return {
    name: 'sim',
    density,
    workers,
    value,
    unit: 'policy steps/s',
    median_of: values.length,
    reference,
    ratio: value / reference,
  };
}

/** Policy steps/s of one simulator in this thread. */
export function benchSimSingle(density: TrafficDensity, options: SimBenchOptions): SimBenchFigure {
  const values: number[] = [];
  for (let r = 0; r < options.warmup + options.repeats; r++) {
    const stepsPerS = benchHormSim(density, options.steps, r);
    if (r >= options.warmup) values.push(stepsPerS);
  }
  return figure(density, 1, values);
}

/** A started worker and a way to wait for its next message. */
interface PoolWorker {
  readonly worker: Worker;
  next(): Promise<SimWorkerMessage>;
}

/** The simulator worker's entry, next to this file (started like every worker: workers/tsWorker.ts). */
const SIM_WORKER_ENTRY = new URL('./simWorker.ts', import.meta.url);

function startWorker(data: SimWorkerData): PoolWorker {
  const worker = startTsWorker(SIM_WORKER_ENTRY, data);
  const queue: SimWorkerMessage[] = [];
  let waiting: { resolve: (m: SimWorkerMessage) => void; reject: (e: Error) => void } | null = null;
  let failure: Error | null = null;
  worker.on('message', (message: SimWorkerMessage) => {
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
  worker.on('exit', (code) => fail(new Error(`simulator worker exited with code ${code}`)));
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

/** Total policy steps/s of `options.workers` simulators in worker threads, started together. */
export async function benchSimPool(
  density: TrafficDensity,
  options: SimBenchOptions,
): Promise<SimBenchFigure> {
  const pool = Array.from({ length: options.workers }, (_, w) =>
    startWorker({
      density,
      steps: options.steps,
      warmupSteps: Math.min(options.steps, 500),
      seed: 1 + w,
    }),
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
    return figure(density, options.workers, values);
  } finally {
    for (const p of pool) {
      p.worker.removeAllListeners('exit');
      p.worker.on('error', () => {}); // errors while stopping are no longer news
      await p.worker.terminate();
    }
  }
}

function expectMessage(message: SimWorkerMessage, type: SimWorkerMessage['type']): void {
  if (message.type !== type) {
    throw new Error(`simulator worker: expected a "${type}" message, received ${JSON.stringify(message)}`);
  }
}

/** Every figure: per density, this thread, then the pool (when workers > 1). */
export async function benchSim(
  options: SimBenchOptions,
  onFigure: (figure: SimBenchFigure) => void = () => {},
): Promise<SimBenchFigure[]> {
  const figures: SimBenchFigure[] = [];
  for (const density of SIM_DENSITIES) {
    const single = benchSimSingle(density, options);
    figures.push(single);
    onFigure(single);
    if (options.workers > 1) {
      const pooled = await benchSimPool(density, options);
      figures.push(pooled);
      onFigure(pooled);
    }
  }
  return figures;
}
