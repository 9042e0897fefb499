/**
 * Sweeps on a queue, end to end and under faults, with a real redis-server (Debian's, started on a
 * free loopback port with its append-only file on: redisServer.ts) and real `steer worker`
 * processes training tiny matrix:penalty0 runs:
 *
 * - two workers train a sweep; `sweep status` reads it from the queue and the run store with
 *   progress bars; the same sweep queued again adds no job and trains nothing;
 * - a worker killed with SIGKILL mid-run: its child dies with it, another worker resumes the run
 *   from its last checkpoint, and metrics.jsonl holds every update once (no gap, no repeat); one
 *   stopped by SIGTERM saves the run where it is and hands the job back;
 * - Redis stopped and started again mid-sweep: no run lost, none trained to its end twice;
 * - the run lease: a run whose lease another holds is not touched until the lease ends, and a
 *   worker whose lease is taken kills its child at once (nothing more written) and the run resumes;
 * - what cannot be used is one clear line and nothing written: a bad sweep file, a Redis refusing or
 *   silent (bounded wait), a run store that cannot be written (at the command and at a worker), and
 *   a job queued by another code version (that worker stops; the job waits for a right one).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODE_VERSION_ENV, RUN_QUEUE_NAME } from '../../src/main/sweep/queue/index.js';
import { steer } from '../unit/main/cli/runCliInProcess.js';
import {
  childrenOf,
  logged,
  STEER_BIN,
  type SteerProcess,
  saved,
  spawnSteer,
  sweepFile,
  TINY,
  upTo,
  waitFor,
} from './queueTestKit.js';
import { freePort, RedisServer } from './redisServer.js';

/** The code version every process of these tests runs (the tree may be edited while they run). */
const VERSION = 'queue-test';

let cwd: string;
let redis: RedisServer;
const groups: number[] = [];
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'steer-sweep-queue-'));
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

/** Starts `steer worker` on the test's Redis, and waits until it is taking jobs. */
async function startWorker(args: readonly string[] = [], version = VERSION): Promise<SteerProcess> {
  const worker = spawnSteer(['worker', '--queue', redis.url, '--backend', 'cpu', '--lease', '3', ...args], {
    cwd,
    env: { [CODE_VERSION_ENV]: version },
    groups,
  });
  await waitFor(
    'the worker to start',
    () => worker.stderr().includes('steer worker, process') || worker.child.exitCode !== null,
  );
  return worker;
}

/** Stops a worker as SIGTERM does (runs saved, jobs handed back) and waits for its exit code. */
async function stopWorker(worker: SteerProcess): Promise<number | null> {
  if (worker.child.exitCode === null) worker.child.kill('SIGTERM');
  return worker.exit;
}

/** Whether `pid` has ended (gone, or a zombie no one reaped). */
function ended(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** The job counts of the sweep queue. */
async function jobCounts(): Promise<Record<string, number>> {
  const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  const queue = new Queue(RUN_QUEUE_NAME, { connection });
  try {
    return await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

/** A lease file for `runDir` held by someone else until `ms` from now. */
async function intruderLease(runDir: string, ms: number): Promise<void> {
  const lease = {
    kind: 'steer-run-lease',
    run: 'intruded',
    owner: 'intruder',
    holder: 'a test intruder',
    acquiredAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + ms).toISOString(),
  };
  await writeFile(`${runDir}.tmp-lease`, JSON.stringify(lease));
  await rename(`${runDir}.tmp-lease`, `${runDir}.lease.json`); // atomically, as a worker writes it
}

describe('steer sweep --queue and steer worker', () => {
  it('trains a sweep on two workers; status reads the queue; queued again, it adds and trains nothing', async () => {
    const dirs = await sweepFile(
      cwd,
      'two',
      'algos: [steer, mappo]\nenvs: [matrix:penalty0]\nseeds: 2\nupdates: 6\n',
    );
    const workers = [await startWorker(), await startWorker()];
    const run = await steer(['sweep', 'run', 'two.yaml', '--queue', redis.url], cwd);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`sweep two: 4 runs, queue ${redis.url}, in runs/two`);
    expect(run.stderr).toContain('sweep 4/4 (100%) | trained 4 | resumed 0 | skipped 0');
    expect(run.stdout).toContain('4 runs: 4 done, 0 running, 0 failed, 0 queued');
    for (const dir of dirs) expect(logged(dir)).toEqual(upTo(6));
    const trainedBy = workers.map((w) => (w.stderr().match(/: done \(trained/g) ?? []).length);
    expect(trainedBy.reduce((a, b) => a + b)).toBe(4);

    const status = await steer(['sweep', 'status', 'two.yaml'], cwd);
    expect(status.stdout).toContain(`sweep two (two.yaml), runs in runs/two; on the queue ${redis.url}`);
    expect(status.stdout).toMatch(
      /^steer\/matrix-penalty0\/set-[0-9a-f]{8}\/seed-1 +done +6\/6 +\[#{20}\] 100%$/m,
    );
    expect(JSON.parse(await readFile(join(cwd, 'runs/two/sweep-status.json'), 'utf8')).queue).toBe(redis.url);

    const before = await jobCounts();
    const again = await steer(['sweep', 'run', 'two.yaml', '--queue', redis.url], cwd);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('sweep 4/4 (100%) | trained 0 | resumed 0 | skipped 4');
    expect(await jobCounts()).toEqual(before);
    const local = await steer(['sweep', 'run', 'two.yaml', '--backend', 'cpu'], cwd);
    expect(local.code).toBe(1);
    expect(local.stderr).toContain(
      `runs/two: sweep two was queued on ${redis.url}; continue it with --queue`,
    );
    for (const worker of workers) expect(await stopWorker(worker)).toBe(130);
  }, 240_000);

  it('a worker killed mid-run: its child dies too, another resumes the run from its checkpoint, no update lost or repeated', async () => {
    const [dir] = await sweepFile(
      cwd,
      'kill',
      'algos: [steer]\nenvs: [matrix:penalty0]\nseeds: 1\nupdates: 60\ncheckpointEvery: 5\n',
    );
    const first = await startWorker();
    const run = steer(['sweep', 'run', 'kill.yaml', '--queue', redis.url], cwd);
    await waitFor('a checkpoint and more updates', () => saved(dir!) >= 5 && logged(dir!).length >= 8);
    const [training] = childrenOf(first.pid, 'train');
    expect(training).toBeDefined();
    const second = await startWorker();
    first.child.kill('SIGKILL');
    await waitFor('the killed worker’s child to end', () => ended(training!), 10_000);
    const atKill = logged(dir!).length;

    const result = await run;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('sweep 1/1 (100%) | trained 0 | resumed 1 | skipped 0');
    expect(second.stderr()).toMatch(/seed-1: resuming/);
    expect(logged(dir!)).toEqual(upTo(60)); // no gap, no update twice
    expect(saved(dir!)).toBe(60);
    const argv = JSON.parse(await readFile(join(dir!, 'argv.json'), 'utf8'));
    expect(argv.resumes).toHaveLength(1);
    expect(atKill).toBeLessThan(60);
    expect(existsSync(`${dir}.lease.json`)).toBe(false); // released by the second worker
    expect(await stopWorker(second)).toBe(130);
  }, 240_000);

  it('a worker stopped by SIGTERM saves its run and hands the job back; another resumes it', async () => {
    const [dir] = await sweepFile(
      cwd,
      'term',
      'algos: [steer]\nenvs: [matrix:penalty0]\nseeds: 1\nupdates: 60\ncheckpointEvery: 50\n',
    );
    const first = await startWorker();
    const run = steer(['sweep', 'run', 'term.yaml', '--queue', redis.url], cwd);
    await waitFor('a few updates', () => logged(dir!).length >= 5);
    expect(await stopWorker(first)).toBe(130);
    const stoppedAt = saved(dir!);
    expect(stoppedAt).toBeGreaterThanOrEqual(5); // saved at the update it reached, not at a checkpoint interval
    expect(logged(dir!)).toEqual(upTo(stoppedAt));
    expect(first.stderr()).toContain(`seed-1: saved at update ${stoppedAt}`);
    expect(await jobCounts()).toMatchObject({ waiting: 1, active: 0 });

    const second = await startWorker();
    const result = await run;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('sweep 1/1 (100%) | trained 0 | resumed 1 | skipped 0');
    expect(logged(dir!)).toEqual(upTo(60));
    expect(await stopWorker(second)).toBe(130);
  }, 240_000);

  it('Redis stopped and started again mid-sweep: no run lost, none trained to its end twice', async () => {
    const dirs = await sweepFile(
      cwd,
      'restart',
      'algos: [steer]\nenvs: [matrix:penalty0]\nseeds: 3\nupdates: 30\n',
    );
    const worker = await startWorker(['--lease', '20']);
    const run = steer(['sweep', 'run', 'restart.yaml', '--queue', redis.url], cwd);
    await waitFor('the second run to train', () => logged(dirs[1]!).length >= 3);
    await redis.stop();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await redis.resume();

    const result = await run;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`lost the connection to Redis at ${redis.url}`);
    expect(result.stderr).toContain(`connected to Redis at ${redis.url} again`);
    expect(result.stdout).toContain('3 runs: 3 done, 0 running, 0 failed, 0 queued');
    for (const dir of dirs) expect(logged(dir)).toEqual(upTo(30));
    for (const seed of [1, 2, 3]) {
      const trainedToTheEnd = new RegExp(`seed-${seed}: done \\((trained|resumed)`, 'g');
      expect(worker.stderr().match(trainedToTheEnd)).toHaveLength(1);
    }
    expect(await stopWorker(worker)).toBe(130);
  }, 240_000);

  it('the lease: a run held by another waits for its term; a worker whose lease is taken kills its child', async () => {
    const [dir] = await sweepFile(
      cwd,
      'lease',
      'algos: [steer]\nenvs: [matrix:penalty0]\nseeds: 1\nupdates: 60\ncheckpointEvery: 5\n',
    );
    await mkdir(join(dir!, '..'), { recursive: true });
    await intruderLease(dir!, 4000);
    const worker = await startWorker();
    const run = steer(['sweep', 'run', 'lease.yaml', '--queue', redis.url], cwd);
    await waitFor('the worker to find the lease held', () =>
      worker.stderr().includes('held by a test intruder'),
    );
    expect(existsSync(dir!)).toBe(false); // not touched while held

    await waitFor('a checkpoint and more updates', () => saved(dir!) >= 5 && logged(dir!).length >= 8);
    const [training] = childrenOf(worker.pid, 'train');
    await intruderLease(dir!, 3000);
    await waitFor(
      'the worker to lose its lease',
      () => worker.stderr().includes('stopped its training'),
      10_000,
    );
    await waitFor('its child to end', () => ended(training!), 5000);
    const frozen = logged(dir!).length;
    expect(worker.stderr()).toContain('a test intruder holds it now');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(logged(dir!).length).toBe(frozen); // nothing written after the lease was lost

    const result = await run;
    expect(result.code, result.stderr).toBe(0);
    expect(logged(dir!)).toEqual(upTo(60));
    expect(await stopWorker(worker)).toBe(130);
  }, 240_000);

  describe('refuses what it cannot use, in one line, writing nothing', () => {
    it('a bad sweep file, before any connection', async () => {
      await writeFile(
        join(cwd, 'bad.yaml'),
        'name: bad\nalgos: [nope]\nenvs: [matrix:penalty0]\nseeds: 1\nupdates: 3\n',
      );
      const before = await jobCounts();
      const run = await steer(['sweep', 'run', 'bad.yaml', '--queue', redis.url], cwd);
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^bad\.yaml: algos\[0\]: unknown algorithm "nope"; the algorithms are steer, /),
      ]);
      expect(await jobCounts()).toEqual(before);
      expect(existsSync(join(cwd, 'runs/bad'))).toBe(false);
    });

    it('a Redis that refuses or does not answer, within a bounded time', async () => {
      await sweepFile(cwd, 'far', 'algos: [steer]\nenvs: [matrix:penalty0]\nseeds: 1\nupdates: 3\n');
      const closed = `redis://127.0.0.1:${await freePort()}`;
      const refused = await steer(['sweep', 'run', 'far.yaml', '--queue', closed], cwd);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        new RegExp(`^steer: error: cannot reach Redis at ${closed}: connect ECONNREFUSED [^\\n]*\\n$`),
      );

      const silent: Server = createServer(() => {}); // accepts, never answers
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const port = (silent.address() as { port: number }).port;
      const started = Date.now();
      const mute = await steer(['sweep', 'status', 'far.yaml', '--queue', `redis://127.0.0.1:${port}`], cwd);
      silent.close();
      expect(mute.code).toBe(1);
      expect(mute.stderr).toBe(
        `steer: error: cannot reach Redis at redis://127.0.0.1:${port}: no answer within 5 s\n`,
      );
      expect(Date.now() - started).toBeLessThan(15_000);

      const worker = spawn(process.execPath, [STEER_BIN, 'worker', '--queue', closed, '--backend', 'cpu'], {
        cwd,
      });
      let stderr = '';
      worker.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const code = await new Promise((resolve) => worker.on('exit', resolve));
      expect(code).toBe(1);
      expect(stderr).toContain(`steer: error: cannot reach Redis at ${closed}: connect ECONNREFUSED`);
      expect(existsSync(join(cwd, 'runs/far'))).toBe(false);
    }, 60_000);

    it('a run store that cannot be written: at the command before any job, at a worker per run', async () => {
      await writeFile(join(cwd, 'blocked'), 'a file where the runs folder should be');
      await writeFile(
        join(cwd, 'store.yaml'),
        `name: store\nalgos: [steer]\nenvs: [matrix:penalty0]\nseeds: 1\nupdates: 3\n${TINY}runsDir: blocked/store\n`,
      );
      const before = await jobCounts();
      const command = await steer(['sweep', 'run', 'store.yaml', '--queue', redis.url], cwd);
      expect(command.code).toBe(1);
      expect(command.stderr).toMatch(
        /^steer: error: cannot write \S*blocked\/store\/sweep-status\.json: .*blocked is not a folder; nothing was run\n$/,
      );
      expect(await jobCounts()).toEqual(before);

      // the command's view of the store is fine, a worker's is not (its mount is broken)
      const [dir] = await sweepFile(
        cwd,
        'mount',
        'algos: [steer]\nenvs: [matrix:penalty0]\nseeds: 1\nupdates: 3\n',
      );
      await mkdir(join(cwd, 'broken'));
      await writeFile(join(cwd, 'broken', 'runs'), 'not a folder');
      const worker = await startWorker(['--dir', 'broken']);
      const run = await steer(['sweep', 'run', 'mount.yaml', '--queue', redis.url, '--attempts', '1'], cwd);
      expect(run.code).toBe(1);
      const failure = run.stderr.split('\n').filter((line) => line.startsWith('failed: '));
      expect(failure).toEqual([
        expect.stringMatching(
          /^failed: steer\/.*\/seed-1: cannot write the lease .*broken\/runs\/mount\/.* is not a folder$/,
        ),
      ]);
      expect(existsSync(dir!)).toBe(false);
      expect(await stopWorker(worker)).toBe(130);
    }, 120_000);

    it('a job of another code version: that worker stops, the job waits for a worker of its version', async () => {
      const [dir] = await sweepFile(
        cwd,
        'version',
        'algos: [steer]\nenvs: [matrix:penalty0]\nseeds: 1\nupdates: 3\n',
      );
      const stale = await startWorker([], 'old-version');
      const run = steer(['sweep', 'run', 'version.yaml', '--queue', redis.url], cwd);
      expect(await stale.exit).toBe(1);
      expect(stale.stderr()).toContain(
        `steer: error: run ${dir!.split('runs/version/')[1]} of sweep version was queued by code version ${VERSION}, ` +
          'and this worker runs old-version; run one code version on every worker',
      );
      expect(existsSync(dir!)).toBe(false);
      const right = await startWorker();
      const result = await run;
      expect(result.code, result.stderr).toBe(0);
      expect(logged(dir!)).toEqual(upTo(3));
      expect(await stopWorker(right)).toBe(130);
    }, 120_000);
  });
});
