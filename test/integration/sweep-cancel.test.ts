/**
 * `steer sweep cancel`, end to end with tiny matrix:penalty0 runs (the set-up of
 * sweep-queue.test.ts: a real redis-server on a free loopback port, real `steer worker` processes):
 *
 * - a queued sweep with one worker, cancelled while one run trains and the others wait: the waiting
 *   jobs are gone, the training run is saved midway (checkpoint, not finished), the worker lives on
 *   idle, the command following the sweep stops with one line, and `sweep run --queue` again
 *   finishes every run, each update logged once (no gap, no repeat);
 * - a job taken while its sweep is cancelled ends at once, untrained;
 * - a sweep trained by a `steer sweep run` process on this machine: the cancel stops that process
 *   (its runs saved), and the same command completes every run.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processEnded } from '../../src/main/sweep/index.js';
import {
  CODE_VERSION_ENV,
  cancelMarkKey,
  markSweepCancelled,
  RUN_JOB_NAME,
  RUN_QUEUE_NAME,
} from '../../src/main/sweep/queue/index.js';
import { steer } from '../unit/main/cli/runCliInProcess.js';
import {
  childrenOf,
  logged,
  type SteerProcess,
  saved,
  spawnSteer,
  sweepFile,
  upTo,
  waitFor,
} from './queueTestKit.js';
import { RedisServer } from './redisServer.js';

/** The code version every process of these tests runs (the tree may be edited while they run). */
const VERSION = 'cancel-test';

let cwd: string;
let redis: RedisServer;
const groups: number[] = [];
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'steer-sweep-cancel-'));
  await mkdir(join(cwd, 'redis'));
  redis = await RedisServer.start(join(cwd, 'redis'));
  process.env[CODE_VERSION_ENV] = VERSION; // the in-process `steer sweep` commands
}, 60_000);
afterAll(async () => {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  redis?.kill();
  delete process.env[CODE_VERSION_ENV];
  await rm(cwd, { recursive: true, force: true });
});

/** Starts `node bin/steer.js …args` in the test's folder. */
function startSteer(args: readonly string[]): SteerProcess {
  return spawnSteer(args, { cwd, env: { [CODE_VERSION_ENV]: VERSION }, groups });
}

/** Starts `steer worker` on the test's Redis, and waits until it is taking jobs. */
async function startWorker(): Promise<SteerProcess> {
  const worker = startSteer(['worker', '--queue', redis.url, '--backend', 'cpu', '--lease', '3']);
  await waitFor(
    'the worker to start',
    () => worker.stderr().includes('steer worker, process') || worker.child.exitCode !== null,
  );
  return worker;
}

/** A connection and the sweep queue, for `use`. */
async function withQueue<T>(use: (queue: Queue, connection: Redis) => Promise<T>): Promise<T> {
  const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  const queue = new Queue(RUN_QUEUE_NAME, { connection });
  try {
    return await use(queue, connection);
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

/** The job counts of the sweep queue. */
function jobCounts(): Promise<Record<string, number>> {
  return withQueue((queue) =>
    queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'),
  );
}

describe('steer sweep cancel', () => {
  it('a queued sweep: waiting runs removed, the training one saved midway, the worker idle; run again, every run completes', async () => {
    const dirs = await sweepFile(
      cwd,
      'queued',
      'algos: [steer]\nenvs: [matrix:penalty0]\nseeds: 3\nupdates: 60\ncheckpointEvery: 60\n',
    );
    const worker = await startWorker();
    const following = steer(['sweep', 'run', 'queued.yaml', '--queue', redis.url], cwd);
    await waitFor('the first run to train a few updates', () => logged(dirs[0]!).length >= 3);
    expect(await jobCounts()).toMatchObject({ active: 1, waiting: 2 });

    const cancel = await steer(['sweep', 'cancel', 'queued.yaml'], cwd); // the queue the status file records
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stderr).toContain(
      `sweep queued: cancelled on the queue ${redis.url}: 2 waiting runs removed; 1 run training, waiting up to 120 s`,
    );
    expect(cancel.stdout).toBe(
      'sweep queued: cancelled; 3 runs: 0 done, 0 running, 0 failed, 3 queued; ' +
        `'steer sweep run queued.yaml --queue ${redis.url}' continues it\n`,
    );
    expect(await jobCounts()).toMatchObject({ waiting: 0, active: 0, delayed: 0, prioritized: 0 });
    const stoppedAt = saved(dirs[0]!);
    expect(stoppedAt).toBeGreaterThanOrEqual(3); // saved at the update it reached, not at a checkpoint interval
    expect(stoppedAt).toBeLessThan(60);
    expect(logged(dirs[0]!)).toEqual(upTo(stoppedAt));
    expect(existsSync(dirs[1]!)).toBe(false);
    expect(existsSync(dirs[2]!)).toBe(false);
    expect(worker.stderr()).toContain(`seed-1: saved at update ${stoppedAt}`);
    expect(worker.stderr()).toContain('seed-1: stopped: sweep queued is cancelled; the job ends');
    expect(worker.child.exitCode).toBeNull(); // alive,
    expect(childrenOf(worker.pid, 'train')).toEqual([]); // and idle

    const followed = await following;
    expect(followed.code).toBe(1);
    expect(followed.stderr).toMatch(
      /\nsteer: error: sweep queued was cancelled \(steer sweep cancel, process \d+ on .+, at .+\): stopped following it with 3 runs not done, each saved where it stopped; the same command \(--queue redis:\/\/127\.0\.0\.1:\d+\) continues them\n$/,
    );
    const status = await steer(['sweep', 'status', 'queued.yaml'], cwd);
    expect(status.stdout).toMatch(
      new RegExp(`^steer/matrix-penalty0/set-[0-9a-f]{8}/seed-1 +queued +${stoppedAt}/60 `, 'm'),
    );
    expect(status.stdout).toContain('3 runs: 0 done, 0 running, 0 failed, 3 queued');

    const again = await steer(['sweep', 'run', 'queued.yaml', '--queue', redis.url], cwd);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('sweep queued was cancelled (steer sweep cancel, process');
    expect(again.stderr).toContain('; queuing its unfinished runs again');
    expect(again.stderr).toContain('sweep 3/3 (100%) | trained 2 | resumed 1 | skipped 0');
    for (const dir of dirs) expect(logged(dir)).toEqual(upTo(60)); // no gap, no update twice
    expect(await withQueue((_, connection) => connection.exists(cancelMarkKey('queued')))).toBe(0);

    worker.child.kill('SIGTERM');
    expect(await worker.exit).toBe(130);
  }, 240_000);

  it('a queued job taken while its sweep is cancelled ends at once, untrained', async () => {
    const [dir] = await sweepFile(
      cwd,
      'marked',
      'algos: [steer]\nenvs: [matrix:penalty0]\nseeds: 1\nupdates: 3\n',
    );
    const plan = await steer(['sweep', 'plan', 'marked.yaml', '--json'], cwd);
    const run = JSON.parse(plan.stdout);
    const mark = { by: 'a test', at: new Date().toISOString() };
    await withQueue(async (queue, connection) => {
      await markSweepCancelled(connection, 'marked', mark);
      await queue.add(RUN_JOB_NAME, { run, codeVersion: VERSION }, { jobId: `marked/${run.id}` });
    });
    const worker = await startWorker();
    await waitFor('the worker to take the job', () => worker.stderr().includes(': not started:'));
    expect(worker.stderr()).toContain(`${run.id}: not started: sweep marked is cancelled`);
    const job = await withQueue(async (queue) => {
      const found = await queue.getJob(`marked/${run.id}`);
      return { state: await found!.getState(), reason: found!.failedReason, attempts: found!.attemptsMade };
    });
    expect(job.state).toBe('failed');
    expect(job.reason).toMatch(/^cancelled with its sweep \(a test, at /);
    expect(existsSync(dir!)).toBe(false);
    const status = await steer(['sweep', 'status', 'marked.yaml', '--queue', redis.url], cwd);
    expect(status.stdout).toContain('1 run: 0 done, 0 running, 0 failed, 1 queued');
    worker.child.kill('SIGTERM');
    expect(await worker.exit).toBe(130);
  }, 120_000);

  it('a sweep run on this machine: its process saves its runs and exits; the same command completes them', async () => {
    const dirs = await sweepFile(
      cwd,
      'local',
      'algos: [steer]\nenvs: [matrix:penalty0]\nseeds: 2\nupdates: 60\ncheckpointEvery: 60\njobs: 1\n',
    );
    const running = startSteer(['sweep', 'run', 'local.yaml', '--backend', 'cpu']);
    await waitFor('the first run to train a few updates', () => logged(dirs[0]!).length >= 3);

    const cancel = await steer(['sweep', 'cancel', 'local.yaml'], cwd);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stderr).toMatch(
      new RegExp(
        `^sweep local: SIGTERM sent to process ${running.pid} \\(local pool of 1 process, since [^)]+\\); ` +
          'waiting up to 120 s for it to save its runs and exit\\n$',
      ),
    );
    expect(cancel.stdout).toBe(
      "sweep local: cancelled; 2 runs: 0 done, 0 running, 0 failed, 2 queued; 'steer sweep run local.yaml' continues it\n",
    );
    expect(await processEnded(running.pid)).toBe(true); // it exited before the cancel returned
    expect(await running.exit).toBe(130);
    expect(running.stderr()).toContain('interrupted after 0/2 runs; continue with the same command');
    const stoppedAt = saved(dirs[0]!);
    expect(stoppedAt).toBeGreaterThanOrEqual(3);
    expect(stoppedAt).toBeLessThan(60);
    expect(logged(dirs[0]!)).toEqual(upTo(stoppedAt));
    expect(existsSync(dirs[1]!)).toBe(false);
    const status = JSON.parse(await readFile(join(cwd, 'runs/local/sweep-status.json'), 'utf8'));
    expect(status.runner).toBeNull();

    const idle = await steer(['sweep', 'cancel', 'local.yaml'], cwd);
    expect(idle.code).toBe(0);
    expect(idle.stdout).toBe(
      'sweep local is not running: nothing to cancel (2 runs: 0 done, 0 running, 0 failed, 2 queued)\n',
    );

    const again = await steer(['sweep', 'run', 'local.yaml', '--backend', 'cpu'], cwd);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('sweep 2/2 (100%) | trained 1 | resumed 1 | skipped 0');
    for (const dir of dirs) expect(logged(dir)).toEqual(upTo(60));
  }, 240_000);
});
