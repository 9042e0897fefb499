/**
 * `steer worker --queue redis://host:6379`: takes runs of queued sweeps (`steer sweep run FILE
 * --queue …`) from the BullMQ queue on that Redis and trains them, each in a child `steer train`
 * as a local sweep does, with the run folders on the shared run store (docs/sweeps.md "On a
 * queue", docs/deploy/). Runs until Ctrl-C or SIGTERM: then no new run, each child saves its run and
 * the jobs go back to the queue for any worker to resume (exit code 130); a second signal ends it at
 * once (the runs resume from their last checkpoints). A job queued by another code version stops
 * the worker (exit code 1). Engine: src/main/sweep/queue/worker.ts.
 */
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { initBackend } from '../../core/nn/node/backends.js';
import { type CommandContext, EXIT_INTERRUPTED } from '../cli/context.js';
import { CliError, errorLine } from '../cli/errors.js';
import { integerInRange } from '../cli/options.js';
import { MAX_SWEEP_JOBS } from '../sweep/index.js';
import {
  closeRedis,
  codeVersion,
  connectRedis,
  parseQueueAddress,
  type QueueAddress,
  SweepWorker,
} from '../sweep/queue/index.js';
import { threadsPerJob } from '../workers/steerChildren.js';

/** A run's lease and job lock by default [s]: generous, so that one PPO update never outlasts it. */
export const DEFAULT_LEASE_S = 60;

/** Options of `steer worker`. */
export interface WorkerOptions {
  queue: string;
  jobs?: number;
  backend?: string;
  dir?: string;
  lease?: number;
  updateThreads?: number;
}

/** Adds `worker` to the program. */
export function registerWorkerCommand(
  program: Command,
  action: (options: WorkerOptions) => Promise<void>,
): void {
  program
    .command('worker')
    .description('train the runs of queued sweeps (steer sweep run FILE --queue …) until stopped')
    .requiredOption('--queue <url>', 'the Redis of the queue, e.g. redis://host:6379')
    .option(
      '--jobs <n>',
      'runs at the same time (child processes; default 1)',
      integerInRange(1, MAX_SWEEP_JOBS),
    )
    .option(
      '--backend <name>',
      'tfjs-node-gpu, tfjs-node, wasm, cpu or auto (default: $STEER_BACKEND or auto)',
    )
    .option(
      '--dir <path>',
      "the folder the sweeps' paths are relative to: where their runs folders (on the shared run store) and scenario files are (default: the working directory)",
    )
    .option(
      '--lease <seconds>',
      `term of a run's lease and job lock, renewed every third of it; a killed worker's runs are taken over after it (default ${DEFAULT_LEASE_S})`,
      integerInRange(3, 3600),
    )
    .option(
      '--update-threads <n>',
      "each child's --update-threads (default: the cores split among --jobs, at least 1)",
      integerInRange(1, 1024),
    )
    .action(action);
}

/** Runs `steer worker`; returns the exit code (130 when stopped by a signal, 1 when it refused a job). */
export async function workerCommand(options: WorkerOptions, ctx: CommandContext): Promise<number> {
  let address: QueueAddress;
  try {
    address = parseQueueAddress(options.queue);
  } catch (error) {
    throw new CliError(errorLine(error));
  }
  const jobs = options.jobs ?? 1;
  const log = (line: string) => ctx.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const backend = (await initBackend(options.backend, (line) => ctx.stderr.write(`${line}\n`))).name;
  const version = await codeVersion();
  const dir = resolve(ctx.cwd, options.dir ?? '.');
  const leaseS = options.lease ?? DEFAULT_LEASE_S;
  const connection = await connectRedis(address, { log });
  try {
    const holder = `steer worker, process ${process.pid} on ${hostname()}`;
    const worker = new SweepWorker({
      connection,
      jobs,
      backend,
      updateThreads: options.updateThreads ?? threadsPerJob(jobs),
      resolvePath: (path) => resolve(dir, path),
      codeVersion: version,
      leaseMs: leaseS * 1000,
      holder,
      log,
    });
    log(
      `${holder}: queue ${address.label}, ${jobs} run${jobs === 1 ? '' : 's'} at a time, backend ${backend}, ` +
        `code version ${version}, paths relative to ${dir}, lease ${leaseS} s`,
    );
    const stop = () => {
      log('stopping: no new run; running ones save and go back to the queue');
      void worker.stop();
    };
    if (ctx.signal?.aborted) stop();
    else ctx.signal?.addEventListener('abort', stop, { once: true });
    const end = await worker.run();
    ctx.signal?.removeEventListener('abort', stop);
    if (end.kind === 'refused') throw new CliError(end.reason);
    log('stopped');
    return EXIT_INTERRUPTED;
  } finally {
    await closeRedis(connection);
  }
}
