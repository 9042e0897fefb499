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
import { benchHormSim } from '../../core/sim/horm/bench.js';
import type { TrafficDensity } from '../../core/sim/horm/index.js';
import { benchEnvPool, median } from './envBenchPool.js';

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

/** Total policy steps/s of `options.workers` simulators in worker threads, started together. */
export async function benchSimPool(
  density: TrafficDensity,
  options: SimBenchOptions,
): Promise<SimBenchFigure> {
  return figure(density, options.workers, await benchEnvPool({ kind: 'horm', density }, options));
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
