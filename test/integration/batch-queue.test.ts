/**
 * `steer table1` and `steer compare` are sweeps: with `--queue` their runs are trained by real
 * `steer worker` processes through a real redis-server (Debian's, on a free loopback port), and the
 * commands judge or evaluate each run here and write their cards: the five-algorithm Table 1 card
 * with all five rows, and a comparison's final table. Tiny matrix:penalty0 runs.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODE_VERSION_ENV } from '../../src/main/sweep/queue/index.js';
import { steer } from '../unit/main/cli/runCliInProcess.js';
import { RedisServer } from './redisServer.js';

const STEER_BIN = fileURLToPath(new URL('../../bin/steer.js', import.meta.url));
/** The code version every process of these tests runs (the tree may be edited while they run). */
const VERSION = 'batch-queue-test';
const TINY = ['--set', 'numEnvs=1', '--set', 'episodeLength=4', '--set', 'ppoEpochs=1', '--updates', '1'];

let cwd: string;
let redis: RedisServer;
let worker: ChildProcess;
let workerLog = '';
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'steer-batch-queue-'));
  await mkdir(join(cwd, 'redis'));
  redis = await RedisServer.start(join(cwd, 'redis'));
  process.env[CODE_VERSION_ENV] = VERSION; // the in-process table1 and compare commands
  worker = spawn(
    process.execPath,
    [STEER_BIN, 'worker', '--queue', redis.url, '--backend', 'cpu', '--jobs', '2'],
    {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, [CODE_VERSION_ENV]: VERSION },
    },
  );
  worker.stderr!.on('data', (chunk: Buffer) => {
    workerLog += chunk.toString();
  });
  const deadline = Date.now() + 60_000;
  while (!workerLog.includes('steer worker, process')) {
    if (Date.now() > deadline || worker.exitCode !== null)
      throw new Error(`the worker did not start: ${workerLog}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}, 90_000);
afterAll(async () => {
  worker?.kill('SIGKILL');
  redis?.kill();
  delete process.env[CODE_VERSION_ENV];
  await rm(cwd, { recursive: true, force: true });
});

describe('table1 and compare on a queue', () => {
  it('steer table1 --algos steer,step,mat,happo,mappo --queue: the workers train, the card has all five rows', async () => {
    const run = await steer(
      [
        'table1',
        '--algos',
        'steer,step,mat,happo,mappo',
        '--games',
        'penalty0',
        '--seeds',
        '1',
        ...TINY,
        '--backend',
        'cpu',
        '--queue',
        redis.url,
        '--runs-dir',
        'runs/tq',
        '--results',
        'out/tq.md',
        '--json',
        'out/tq.json',
      ],
      cwd,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`on the queue ${redis.url}, in runs/tq`);
    // the worker, not this process, trained every run
    for (const algo of ['steer', 'step', 'mat', 'happo', 'mappo']) {
      expect(workerLog).toContain(`${algo}/matrix-penalty0/set-`);
    }
    const card = await readFile(join(cwd, 'out', 'tq.md'), 'utf8');
    for (const method of ['STEER', 'STEP', 'MAT', 'HAPPO', 'MAPPO']) {
      expect(card).toMatch(new RegExp(`^\\| ${method} \\| Penalty k=0 \\| [01] \\| 1 \\| 0 \\|`, 'm'));
    }
    const raw = JSON.parse(await readFile(join(cwd, 'out', 'tq.json'), 'utf8'));
    expect(
      raw.results.map(
        (r: { algo: string; status: string; updates: number }) => `${r.algo} ${r.status} ${r.updates}`,
      ),
    ).toEqual(['steer ok 1', 'step ok 1', 'mat ok 1', 'happo ok 1', 'mappo ok 1']);
    // the batch is a sweep on the queue: its status file names the queue and every run done, in table1's folders
    const status = JSON.parse(await readFile(join(cwd, 'runs', 'tq', 'sweep-status.json'), 'utf8'));
    expect(status.sweep).toBe('tq');
    expect(status.queue).toBe(redis.url);
    const entries = Object.entries(status.runs) as [string, { state: string; runDir: string }][];
    expect(entries).toHaveLength(5);
    for (const [, entry] of entries) expect(entry.state).toBe('done');
    expect(entries.find(([id]) => id.startsWith('mat/'))![1].runDir).toBe('runs/tq/mat/penalty0/seed-1');

    // on this machine instead, while it says queued: refused, naming the queue to continue with
    const local = await steer(
      ['table1', '--games', 'penalty0', '--seeds', '1', ...TINY, '--runs-dir', 'runs/tq'],
      cwd,
    );
    expect(local.code).toBe(1);
    expect(local.stderr).toContain(
      `runs/tq: sweep tq was queued on ${redis.url}; continue it with --queue ${redis.url}`,
    );
  }, 300_000);

  it('steer compare --queue: trained by the workers, evaluated here, the card written', async () => {
    const run = await steer(
      [
        'compare',
        '--env',
        'matrix:penalty0',
        '--algos',
        'steer,mappo',
        '--seeds',
        '2',
        ...TINY,
        '--backend',
        'cpu',
        '--queue',
        redis.url,
        '--runs-dir',
        'runs/cq',
        '--out',
        'out/cq.md',
      ],
      cwd,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(workerLog).toContain('mappo/matrix-penalty0/set-');
    const card = await readFile(join(cwd, 'out', 'cq.md'), 'utf8');
    // both algorithms evaluated over their 2 runs, none failed
    expect(card).toMatch(/^\| steer +\| 2 +\| \S/m);
    expect(card).toMatch(/^\| mappo +\| 2 +\| \S/m);
    const status = JSON.parse(await readFile(join(cwd, 'runs', 'cq', 'sweep-status.json'), 'utf8'));
    expect(
      Object.values(status.runs)
        .map((r) => (r as { runDir: string }).runDir)
        .sort(),
    ).toEqual([
      'runs/cq/mappo/seed-1',
      'runs/cq/mappo/seed-2',
      'runs/cq/steer/seed-1',
      'runs/cq/steer/seed-2',
    ]);
  }, 300_000);
});
