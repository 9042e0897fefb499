/**
 * Worker thread of `startGradientWorkers` (gradientWorkers.ts): one helper computing gradient shards
 * (src/core/algos/ppo/gradientShards.ts) with its own tfjs backend and its own copy of the model.
 * It loads the backend the trainer uses, builds the model, says "ready", then answers each task
 * message: load the weights it carries, compute the shard, post the result on the reply port and
 * wake the trainer through the shared signal (the trainer waits synchronously, so it reads the
 * reply with receiveMessageOnPort rather than an event). An error is posted as a reply too; if the
 * thread dies anyway, its exit hook still raises the signal, so the trainer never waits forever.
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import type { MarlPolicy } from '../../core/algos/marl.js';
import {
  computeShard,
  type ShardResult,
  type ShardTask,
  unflattenTensors,
} from '../../core/algos/ppo/gradientShards.js';
import { algorithmNamed } from '../../core/algos/registry.js';
import { initBackend } from '../../core/nn/node/backends.js';
import * as tf from '../../core/nn/tf.js';
import type { TsWorkerData } from '../workers/tsWorker.js';
import {
  type GradientWorkerInit,
  type GradientWorkerMessage,
  type GradientWorkerReply,
  type GradientWorkerStatus,
  SIGNAL_DEAD,
  SIGNAL_DONE,
} from './gradientWorkers.js';

const port = parentPort;
if (port === null) throw new Error('gradientWorker.ts runs in a worker thread (see gradientWorkers.ts)');
const init = (workerData as TsWorkerData<GradientWorkerInit>).task;
const signal = new Int32Array(init.signal);

function raise(value: number): void {
  Atomics.store(signal, 0, value);
  Atomics.notify(signal, 0);
}

process.on('exit', () => raise(SIGNAL_DEAD));

async function start(): Promise<MarlPolicy> {
  await initBackend(init.backend, () => {});
  // the trainer's algorithm, on a network of the same config (its weights come with every task)
  return algorithmNamed(init.trainConfig.algo).makePolicy(init.modelConfig, 0);
}

start().then(
  (policy) => {
    const params = policy.model.params.list();
    let replies: MessagePort | null = null;
    port.on('message', (message: GradientWorkerMessage) => {
      if ('reply' in message) {
        replies = message.reply;
        return;
      }
      let reply: GradientWorkerReply;
      try {
        if (init.failWith !== undefined) throw new Error(init.failWith);
        const result = compute(policy, params, message.task, message.weights);
        reply = { result, tensors: tf.memory().numTensors };
      } catch (error) {
        reply = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
      }
      if (replies === null) throw new Error('gradientWorker: a task came before the reply port');
      if ('result' in reply) replies.postMessage(reply, [reply.result.grads.buffer as ArrayBuffer]);
      else replies.postMessage(reply);
      raise(SIGNAL_DONE);
    });
    port.postMessage({ ready: true } satisfies GradientWorkerStatus);
  },
  (error: unknown) => {
    port.postMessage({
      ready: false,
      error: error instanceof Error ? error.message : String(error),
    } satisfies GradientWorkerStatus);
  },
);

function compute(
  policy: MarlPolicy,
  params: tf.Variable[],
  task: ShardTask,
  weights: Float32Array,
): ShardResult {
  tf.tidy(() => {
    unflattenTensors(weights, params).forEach((value, i) => {
      params[i]!.assign(value);
    });
  });
  return computeShard(policy, params, task.shard, task.denominators, init.trainConfig);
}
