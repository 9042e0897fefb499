/**
 * MuJoCo env throughput for `steer bench --env mujoco[:<game>]` (docs/envs/mujoco.md "Speed"): env
 * steps per second with uniformly random actions, observations, state and rewards included
 * (src/core/envs/mujoco/bench.ts), in this thread and on a pool of worker threads (one env each, all
 * started together: total steps / wall time). Each figure is the median of `repeats` measured runs
 * after `warmup` unmeasured ones. Issue #11's target: ≥ 20,000 HalfCheetah env steps/s per core.
 */

import { benchMujocoEnv } from '../../core/envs/mujoco/bench.js';
import { makeEnv, prepareEnv } from '../../core/envs/registry.js';
import { benchEnvPool, median } from './envBenchPool.js';

/** The env `--env mujoco` measures: the reference's preset. */
export const DEFAULT_MUJOCO_BENCH_ENV = 'mujoco:HalfCheetah-6x1';
/** Issue #11's target, env steps/s per core. */
export const MUJOCO_TARGET_STEPS_PER_CORE = 20_000;

/** One figure, as `steer bench --env mujoco --json` prints it. */
export interface MujocoBenchFigure {
  readonly name: 'mujoco';
  readonly env: string;
  /** 1 = this thread; more = a worker pool. */
  readonly workers: number;
  readonly value: number;
  readonly unit: 'env steps/s';
  /** value / workers. */
  readonly per_worker: number;
  readonly median_of: number;
}

/** How much to measure. */
export interface MujocoBenchOptions {
  readonly env: string;
  /** Env steps per measured run (per worker in a pool). */
  readonly steps: number;
  readonly repeats: number;
  readonly warmup: number;
  /** Pool size; 1 measures this thread only. */
  readonly workers: number;
}

function figure(env: string, workers: number, values: readonly number[]): MujocoBenchFigure {
  const value = median(values);
  return {
    name: 'mujoco',
    env,
    workers,
    value,
    unit: 'env steps/s',
    per_worker: value / workers,
    median_of: values.length,
  };
}

/** This thread's figure, then the pool's (when workers > 1). */
export async function benchMujoco(
  options: MujocoBenchOptions,
  onFigure: (figure: MujocoBenchFigure) => void = () => {},
): Promise<MujocoBenchFigure[]> {
  await prepareEnv(options.env);
  const env = makeEnv(options.env);
  const values: number[] = [];
  try {
    benchMujocoEnv(env, Math.min(options.steps, 500), 0); // JIT warm-up
    for (let r = 0; r < options.warmup + options.repeats; r++) {
      const stepsPerS = benchMujocoEnv(env, options.steps, 1 + r);
      if (r >= options.warmup) values.push(stepsPerS);
    }
  } finally {
    env.close?.();
  }
  const figures = [figure(options.env, 1, values)];
  onFigure(figures[0]!);
  if (options.workers > 1) {
    const pooled = figure(
      options.env,
      options.workers,
      await benchEnvPool({ kind: 'mujoco', env: options.env }, options),
    );
    figures.push(pooled);
    onFigure(pooled);
  }
  return figures;
}
