/**
 * Worker thread of `steer bench --env horm` (simBench.ts): warms the simulator up, says "ready",
 * then runs `benchHormSim` once per "go" message and answers with its policy steps per second.
 * Started by simBench.ts through workers/tsWorker.ts, like every worker thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { benchHormSim } from '../../core/sim/horm/bench.js';
import type { TrafficDensity } from '../../core/sim/horm/index.js';
import type { TsWorkerData } from '../workers/tsWorker.js';

/** What the parent passes in `workerData`. */
export interface SimWorkerData {
  readonly density: TrafficDensity;
  /** Policy steps per measured run. */
  readonly steps: number;
  /** Policy steps run before "ready" (JIT warm-up). */
  readonly warmupSteps: number;
  /** Seed of this worker's episodes and actions (differs per worker). */
  readonly seed: number;
}

/** Messages to the parent. */
export type SimWorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly stepsPerS: number };

const port = parentPort;
if (port === null) throw new Error('simWorker.ts runs in a worker thread (see simBench.ts)');
const data = (workerData as TsWorkerData<SimWorkerData>).task;
let run = 0;
if (data.warmupSteps > 0) benchHormSim(data.density, data.warmupSteps, data.seed);
port.on('message', (message: unknown) => {
  if (message !== 'go') return;
  const stepsPerS = benchHormSim(data.density, data.steps, data.seed + 1_000 * ++run);
  port.postMessage({ type: 'done', stepsPerS } satisfies SimWorkerMessage);
});
port.postMessage({ type: 'ready' } satisfies SimWorkerMessage);
