/**
 * Helper threads for the trainer's gradient shards (src/core/algos/ppo/gradientShards.ts): each
 * runs gradientWorker.ts with its own tfjs backend and copy of the model. The trainer stays
 * synchronous: `post` hands one shard to each helper and returns, the trainer computes its own
 * shard meanwhile, and `collect` blocks on a shared signal per helper (Atomics.wait) and reads the
 * helper's reply with receiveMessageOnPort. Workers start through tsWorker.ts like every worker of
 * the app. A helper's error, its death, or no answer within `timeoutMs` is thrown from `collect`
 * with the helper's number and message, and the pool refuses further work.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort, receiveMessageOnPort, type Worker } from 'node:worker_threads';
import type { TrainConfig } from '../../core/algos/config.js';
import type { NetworkConfig } from '../../core/algos/marl.js';
import type { GradientWorkers, ShardResult, ShardTask } from '../../core/algos/ppo/gradientShards.js';
import type { Trainer } from '../../core/algos/ppo/trainer.js';
import * as tf from '../../core/nn/tf.js';
import { startTsWorker } from '../workers/tsWorker.js';

// --- the protocol between the pool and gradientWorker.ts ---

/** What the pool passes as the worker's task (workerData.task). */
export interface GradientWorkerInit {
  /** Backend name as `initBackend` takes it (the trainer's own). */
  readonly backend: string;
  readonly modelConfig: NetworkConfig;
  readonly trainConfig: TrainConfig;
  /** Int32 signal cell: the worker stores SIGNAL_DONE or SIGNAL_DEAD and notifies. */
  readonly signal: SharedArrayBuffer;
  /** Test hook: fail every task with this message (checks that a helper's failure surfaces). */
  readonly failWith?: string;
}

/** Signal values: a task is under way, its reply is posted, the thread has exited. */
export const SIGNAL_BUSY = 0;
export const SIGNAL_DONE = 1;
export const SIGNAL_DEAD = 2;

/**
 * Messages from the pool: first the port replies go to (transferred), then shards with the
 * weights to use.
 */
export type GradientWorkerMessage =
  | { readonly reply: MessagePort }
  | { readonly task: ShardTask; readonly weights: Float32Array };

/** Replies on the reply port. */
export type GradientWorkerReply =
  | { readonly result: ShardResult; readonly tensors: number }
  | { readonly error: string };

/** Sent once on parentPort when the backend and model are ready, or the start failed. */
export type GradientWorkerStatus =
  | { readonly ready: true }
  | { readonly ready: false; readonly error: string };

// --- the pool ---

/** What `startGradientWorkers` needs. */
export interface GradientWorkersOptions {
  /** Helper threads to start (≥ 1). */
  readonly helpers: number;
  /** tfjs backend name of the trainer ('wasm', 'cpu', …): the helpers load the same one. */
  readonly backend: string;
  readonly modelConfig: NetworkConfig;
  readonly trainConfig: TrainConfig;
  /** Longest wait for one shard [ms] before `collect` gives up (default 120 s). */
  readonly timeoutMs?: number;
  /** Test hook: every helper fails each task with this message. */
  readonly failWith?: string;
}

/** Default `timeoutMs`: far above a HORM minibatch (under 1 s) on a loaded machine. */
export const GRADIENT_WORKER_TIMEOUT_MS = 120_000;

/**
 * Helper threads worth starting for `shards` gradient shards on backend `tfjsBackend`: one per extra
 * core up to the shard count, and none for the native backends (libtensorflow already uses every
 * core) or a single core.
 */
export function gradientHelpers(shards: number, tfjsBackend: string, cores = availableParallelism()): number {
  if (tfjsBackend !== 'wasm' && tfjsBackend !== 'cpu') return 0;
  return Math.max(0, Math.min(shards, cores) - 1);
}

/**
 * Gives `trainer` the helper threads training uses: `threads` in all (this one included; default
 * one per core up to its shard count, see gradientHelpers), on the current tfjs backend. Shared
 * by `steer train` (runTraining) and `steer bench`. Resolves to the number of helpers started, or
 * to the error that kept them from starting: the trainer then computes every shard on its own
 * thread, with the same numbers, only slower (e.g. inside the packaged app's training worker:
 * gradientWorker.ts has no bundle there, and tsx cannot run from app.asar).
 */
export async function attachGradientWorkers(trainer: Trainer, threads?: number): Promise<number | Error> {
  const backend = tf.getBackend();
  const shards = trainer.gradientShardCount;
  const helpers = threads === undefined ? gradientHelpers(shards, backend) : Math.min(threads, shards) - 1;
  if (helpers < 1) return 0;
  try {
    const workers = await startGradientWorkers({
      helpers,
      backend,
      modelConfig: trainer.model.config,
      trainConfig: trainer.config,
    });
    trainer.attachGradientWorkers(workers);
    return helpers;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** Starts `options.helpers` helpers and waits until each has loaded its backend and model. */
export async function startGradientWorkers(options: GradientWorkersOptions): Promise<GradientWorkerPool> {
  const entry = new URL('./gradientWorker.ts', import.meta.url);
  const helpers = Array.from({ length: options.helpers }, (_, i) => {
    const signal = new SharedArrayBuffer(4);
    const init: GradientWorkerInit = {
      backend: options.backend,
      modelConfig: options.modelConfig,
      trainConfig: options.trainConfig,
      signal,
      ...(options.failWith === undefined ? {} : { failWith: options.failWith }),
    };
    const worker = startTsWorker(entry, init);
    const channel = new MessageChannel();
    worker.postMessage({ reply: channel.port2 } satisfies GradientWorkerMessage, [channel.port2]);
    return { number: i + 1, worker, signal: new Int32Array(signal), replies: channel.port1 };
  });
  const pool = new GradientWorkerPool(helpers, options.timeoutMs ?? GRADIENT_WORKER_TIMEOUT_MS);
  try {
    await Promise.all(helpers.map((h) => ready(h.worker, h.number)));
  } catch (error) {
    pool.dispose();
    throw error;
  }
  pool.watch();
  return pool;
}

/** Resolves on the helper's "ready"; rejects with its start error, crash or exit. */
function ready(worker: Worker, number: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      worker.removeAllListeners();
      reject(new Error(`gradient worker ${number} could not start: ${why}`));
    };
    worker.once('message', (status: GradientWorkerStatus) => {
      worker.removeAllListeners();
      if (status.ready) resolve();
      else fail(status.error);
    });
    worker.once('error', (error) => fail(error.message));
    worker.once('exit', (code) => fail(`it exited with code ${code}`));
  });
}

interface Helper {
  readonly number: number;
  readonly worker: Worker;
  readonly signal: Int32Array;
  readonly replies: MessagePort;
}

/** The Node implementation of GradientWorkers (see the file comment). */
export class GradientWorkerPool implements GradientWorkers {
  /** Why the pool can no longer be used, once something went wrong. */
  private failure: Error | null = null;
  private posted = 0;
  /** Tensors alive in each helper after its last shard (flat across updates unless a helper leaks). */
  readonly helperTensors: number[];

  constructor(
    private readonly helpers: readonly Helper[],
    private readonly timeoutMs: number,
  ) {
    this.helperTensors = helpers.map(() => 0);
  }

  get size(): number {
    return this.helpers.length;
  }

  /** After start: remember a helper that fails or exits while the trainer is not waiting on it. */
  watch(): void {
    for (const h of this.helpers) {
      h.worker.on('error', (error) => {
        this.failure ??= new Error(`gradient worker ${h.number} failed: ${error.message}`);
      });
      h.worker.on('exit', (code) => {
        this.failure ??= new Error(`gradient worker ${h.number} exited with code ${code}`);
      });
      h.worker.unref(); // an idle helper does not keep the process alive
    }
  }

  post(tasks: readonly ShardTask[], weights: Float32Array): void {
    if (this.failure) throw this.failure;
    if (this.posted > 0) throw new Error('GradientWorkers.post: the previous tasks were not collected');
    if (tasks.length > this.helpers.length) {
      throw new Error(`GradientWorkers.post: ${tasks.length} tasks for ${this.helpers.length} helpers`);
    }
    tasks.forEach((task, i) => {
      const h = this.helpers[i]!;
      Atomics.store(h.signal, 0, SIGNAL_BUSY);
      const s = task.shard;
      const buffers = [
        s.obs,
        s.state,
        s.actions,
        s.avail,
        s.advantages,
        s.logProbs,
        s.values,
        s.targets,
        s.active,
      ]
        .filter((a) => a !== null)
        .map((a) => a.buffer as ArrayBuffer);
      h.worker.postMessage({ task, weights } satisfies GradientWorkerMessage, buffers);
    });
    this.posted = tasks.length;
  }

  collect(): ShardResult[] {
    const count = this.posted;
    this.posted = 0;
    const results: ShardResult[] = [];
    for (let i = 0; i < count; i++) {
      const h = this.helpers[i]!;
      const started = performance.now();
      while (Atomics.load(h.signal, 0) === SIGNAL_BUSY) {
        const waited = performance.now() - started;
        if (waited >= this.timeoutMs) {
          throw this.fail(`gradient worker ${h.number} gave no result within ${this.timeoutMs / 1000} s`);
        }
        Atomics.wait(h.signal, 0, SIGNAL_BUSY, Math.min(1000, this.timeoutMs - waited));
      }
      if (Atomics.load(h.signal, 0) === SIGNAL_DEAD) {
        throw this.fail(`gradient worker ${h.number} exited while computing a shard`);
      }
      const received = receiveMessageOnPort(h.replies);
      if (received === undefined) throw this.fail(`gradient worker ${h.number} signalled but sent no reply`);
      const reply = received.message as GradientWorkerReply;
      if ('error' in reply) throw this.fail(`gradient worker ${h.number} failed: ${reply.error}`);
      this.helperTensors[i] = reply.tensors;
      results.push(reply.result);
    }
    return results;
  }

  private fail(message: string): Error {
    this.failure = new Error(message);
    return this.failure;
  }

  dispose(): void {
    this.failure ??= new Error('GradientWorkers: disposed');
    for (const h of this.helpers) {
      h.worker.removeAllListeners();
      h.worker.on('error', () => {}); // errors while stopping are no longer news
      void h.worker.terminate();
      h.replies.close();
    }
  }
}
