/**
 * `steer train` and `steer eval` end to end, in process, on the cpu backend with tiny budgets.
 * The resume test is the contract of runTraining.ts: a run interrupted (the SIGINT path: abort
 * signal → finish the update, checkpoint, exit 130) and resumed ends with bit-identical weights,
 * optimizer state and metrics (perf/* timings aside) to one that ran straight through.
 */
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../src/main/io/checkpoint.js';
import { type MetricsRecord, readMetrics } from '../../src/main/io/metricsLog.js';
import { steer } from '../unit/main/cli/runCliInProcess.js';

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'steer-cli-train-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

/** Few, tiny updates so a run takes a second or two on the cpu backend. */
const TINY = ['--backend', 'cpu', '--set', 'numEnvs=2', '--set', 'episodeLength=5', '--set', 'ppoEpochs=2'];

describe('steer train → steer eval', () => {
  it('writes a complete run folder and evaluates it', async () => {
    const train = await steer(
      ['train', '--env', 'matrix:penalty-100', '--seed', '3', '--out', 'runs/rt', '--updates', '3', ...TINY],
      cwd,
    );
    expect(train.code, train.stderr).toBe(0);
    expect(train.stderr).toContain('backend: cpu (requested)');
    expect(train.stderr).toMatch(/train 3\/3 \(100%\) \| return -?[\d.]+ \| \d+ steps\/s/);
    expect(train.stdout).toContain('matrix:penalty-100, seed 3, 3/3 updates');
    expect(train.stdout).toMatch(/converged +(yes|no)/);

    const dir = join(cwd, 'runs', 'rt');
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ kind: 'steer-run', env: 'matrix:penalty-100', totalUpdates: 3 });
    expect(config.train).toMatchObject({
      seed: 3,
      numEnvs: 2,
      episodeLength: 5,
      totalEnvSteps: 30,
      ppoEpochs: 2,
    });
    const argv = JSON.parse(await readFile(join(dir, 'argv.json'), 'utf8'));
    expect(argv.created.argv.slice(0, 3)).toEqual(['train', '--env', 'matrix:penalty-100']);
    expect(argv.created.backend).toBe('cpu');
    const { records } = await readMetrics(join(dir, 'metrics.jsonl'));
    expect(records.map((r) => r.update)).toEqual([1, 2, 3]);
    for (const key of [
      'loss/policy',
      'loss/value',
      'perf/stepsPerS',
      'eval/return/agent0',
      'eval/converged',
    ]) {
      expect(records[2]).toHaveProperty([key]);
    }
    expect((await loadCheckpoint(join(dir, 'checkpoints', 'latest'))).meta.update).toBe(3);

    const human = await steer(['eval', 'runs/rt', '--backend', 'cpu'], cwd);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/actions +\(\d,\d\)/);
    expect(human.stdout).toContain('target     agent 0: 10, agent 1: 10');

    const json = await steer(['eval', 'runs/rt', '--json', '--backend', 'cpu'], cwd);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ env: 'matrix:penalty-100', updates: 3, target: [10, 10], seed: 3 });
    expect(typeof report.converged).toBe('boolean');
    expect(report.returns).toHaveLength(2);
    expect(report.actions).toHaveLength(1);
    // §c.7: converged iff the greedy returns equal the target
    expect(report.converged).toBe(report.returns[0] === 10 && report.returns[1] === 10);
    // the last metrics line's greedy evaluation is the same policy's
    expect(records[2]!['eval/return/agent0']).toBe(report.returns[0]);
  });
});

/** Metrics without the perf/* timing keys. */
function withoutTimings(records: readonly MetricsRecord[]): Record<string, unknown>[] {
  return records.map((r) =>
    Object.fromEntries(Object.entries(r).filter(([key]) => !key.startsWith('perf/'))),
  );
}

describe('steer train --resume', () => {
  // nstep episodes (10 steps) cross the 15-step rollouts, so the env snapshots matter too
  it.each([
    ['nstep:coordination', ['--set', 'numEnvs=2', '--set', 'episodeLength=15', '--set', 'totalEnvSteps=150']],
    ['matrix:penalty-100', ['--set', 'numEnvs=2', '--set', 'episodeLength=5', '--set', 'totalEnvSteps=50']],
  ])('interrupted and resumed, %s ends exactly where an uninterrupted run does', async (env, budget) => {
    const base = [
      'train',
      '--env',
      env,
      '--seed',
      '7',
      '--backend',
      'cpu',
      '--set',
      'ppoEpochs=2',
      ...budget,
    ];
    const name = env.replace(':', '-');

    const straight = await steer([...base, '--out', `runs/${name}-straight`], cwd);
    expect(straight.code, straight.stderr).toBe(0);

    // stop after update 2 the way SIGINT does: the signal aborts, the update finishes, state is saved
    const controller = new AbortController();
    const stopped = await steer(
      [...base, '--out', `runs/${name}-resumed`, '--checkpoint-every', '100'],
      cwd,
      {
        signal: controller.signal,
        onTrainingUpdate: (update) => {
          if (update === 2) controller.abort();
        },
      },
    );
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain(`interrupted at update 2/`);
    expect(stopped.stderr).toContain(`steer train --resume runs/${name}-resumed`);
    const dir = join(cwd, 'runs', `${name}-resumed`);
    expect((await loadCheckpoint(join(dir, 'checkpoints', 'latest'))).meta.update).toBe(2);

    // a run killed after writing a metrics line but before checkpointing it, mid-way through the next
    await appendFile(join(dir, 'metrics.jsonl'), '{"update":3,"loss/policy":1}\n{"update":4,"loss/po');

    const resumed = await steer(['train', '--resume', `runs/${name}-resumed`, '--backend', 'cpu'], cwd);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resuming runs/${name}-resumed at update 2/`);

    const a = await loadCheckpoint(join(cwd, 'runs', `${name}-straight`, 'checkpoints', 'latest'));
    const b = await loadCheckpoint(join(dir, 'checkpoints', 'latest'));
    expect(b.meta).toEqual(a.meta); // counters, RNG state, value normaliser, env snapshots, Adam step
    expect(b.tensors.map((t) => t.name)).toEqual(a.tensors.map((t) => t.name));
    a.tensors.forEach((t, i) => {
      expect(Buffer.from(b.tensors[i]!.data.buffer).equals(Buffer.from(t.data.buffer)), t.name).toBe(true);
    });

    const ma = (await readMetrics(join(cwd, 'runs', `${name}-straight`, 'metrics.jsonl'))).records;
    const mb = await readMetrics(join(dir, 'metrics.jsonl'));
    expect(mb.truncatedLastLine).toBe(false);
    expect(withoutTimings(mb.records)).toEqual(withoutTimings(ma));

    const argv = JSON.parse(await readFile(join(dir, 'argv.json'), 'utf8'));
    expect(argv.resumes).toHaveLength(1);
    expect(argv.resumes[0].argv).toEqual(['train', '--resume', `runs/${name}-resumed`, '--backend', 'cpu']);
  });

  it('resuming a finished run changes nothing and says so', async () => {
    const args = ['train', '--env', 'matrix:penalty0', '--out', 'runs/done', '--updates', '1', ...TINY];
    expect((await steer(args, cwd)).code).toBe(0);
    const before = await readFile(join(cwd, 'runs', 'done', 'metrics.jsonl'), 'utf8');
    const again = await steer(['train', '--resume', 'runs/done', '--backend', 'cpu'], cwd);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('runs/done is already complete (1/1 updates)');
    expect(await readFile(join(cwd, 'runs', 'done', 'metrics.jsonl'), 'utf8')).toBe(before);
  });
});

/** Runs `train` into `runs/<name>` and stops it after update `stopAt` as SIGINT does (exit 130). */
async function trainAndStop(name: string, updates: number, stopAt: number): Promise<string> {
  const controller = new AbortController();
  const stopped = await steer(
    ['train', '--env', 'matrix:penalty0', '--out', `runs/${name}`, '--updates', String(updates), ...TINY],
    cwd,
    {
      signal: controller.signal,
      onTrainingUpdate: (update) => {
        if (update === stopAt) controller.abort();
      },
    },
  );
  expect(stopped.code, stopped.stderr).toBe(130);
  return join(cwd, 'runs', name);
}

async function readArgv(
  dir: string,
): Promise<{ created: { backend: string }; resumes: Record<string, unknown>[] }> {
  return JSON.parse(await readFile(join(dir, 'argv.json'), 'utf8'));
}

/** Runs `body` with $STEER_BACKEND unset (auto would pick wasm here, never cpu). */
async function withoutBackendVariable<T>(body: () => Promise<T>): Promise<T> {
  const saved = process.env.STEER_BACKEND;
  delete process.env.STEER_BACKEND;
  try {
    return await body();
  } finally {
    if (saved !== undefined) process.env.STEER_BACKEND = saved;
  }
}

describe('steer train --resume: which backend', () => {
  it("continues on the run's own backend when --backend is not given", async () => {
    const dir = await trainAndStop('same-backend', 2, 1);
    const resumed = await withoutBackendVariable(() =>
      steer(['train', '--resume', 'runs/same-backend'], cwd),
    );
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain("backend: cpu (the run's, from argv.json; --backend to switch)");
    expect(resumed.stderr).not.toContain('note:');
    expect(resumed.stdout).toContain('backend cpu');
    const argv = await readArgv(dir);
    expect(argv.resumes).toEqual([
      expect.objectContaining({ argv: ['train', '--resume', 'runs/same-backend'], backend: 'cpu' }),
    ]);
  });

  it('switches only with an explicit --backend, says so in one line and records it', async () => {
    const dir = await trainAndStop('switched', 3, 1);
    const controller = new AbortController();
    const switched = await steer(['train', '--resume', 'runs/switched', '--backend', 'wasm'], cwd, {
      signal: controller.signal,
      onTrainingUpdate: (update) => {
        if (update === 2) controller.abort();
      },
    });
    expect(switched.code, switched.stderr).toBe(130);
    const notes = switched.stderr.split('\n').filter((line) => line.startsWith('note:'));
    expect(notes).toEqual([
      'note: runs/switched trained on cpu until now (argv.json); this session runs on wasm, as --backend asks ' +
        '(the numbers need not match a cpu run bit for bit)',
    ]);
    expect((await readArgv(dir)).resumes).toEqual([
      expect.objectContaining({
        argv: ['train', '--resume', 'runs/switched', '--backend', 'wasm'],
        backend: 'wasm',
      }),
    ]);

    // From now on the run's backend is the one it last trained on.
    const again = await withoutBackendVariable(() => steer(['train', '--resume', 'runs/switched'], cwd));
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain("backend: wasm (the run's, from argv.json; --backend to switch)");
    expect((await readArgv(dir)).resumes.map((r) => r.backend)).toEqual(['wasm', 'wasm']);
  });

  it("refuses, changing nothing, when the run's backend cannot start here", async () => {
    const dir = await trainAndStop('native', 2, 1);
    const argvFile = join(dir, 'argv.json');
    const argv = await readArgv(dir);
    argv.created.backend = 'tfjs-node'; // a run made on a machine with libtensorflow
    await writeFile(argvFile, `${JSON.stringify(argv, null, 2)}\n`);
    const before = await readFile(argvFile, 'utf8');
    const metrics = await readFile(join(dir, 'metrics.jsonl'), 'utf8');

    const resumed = await withoutBackendVariable(() => steer(['train', '--resume', 'runs/native'], cwd));
    expect(resumed.code).toBe(1);
    expect(resumed.stderr).toMatch(
      /^steer: error: runs\/native trained on tfjs-node \(argv\.json\), which cannot start here: backend 'tfjs-node' was requested but is unavailable: .*; continue it on another backend with --backend <name>\n$/,
    );
    expect(await readFile(argvFile, 'utf8')).toBe(before);
    expect(await readFile(join(dir, 'metrics.jsonl'), 'utf8')).toBe(metrics);
  });
});

describe('steer train --resume records itself in argv.json only once it starts', () => {
  it('a refused resume (damaged checkpoint) leaves argv.json and metrics.jsonl as they were', async () => {
    const dir = await trainAndStop('refused', 3, 1);
    const tensors = join(dir, 'checkpoints', 'latest', 'tensors.bin');
    const bytes = await readFile(tensors);
    bytes.writeFloatLE(0.5, 0);
    await writeFile(tensors, bytes);
    await appendFile(join(dir, 'metrics.jsonl'), '{"update":2,"loss/policy":1}\n'); // would be dropped
    const argv = await readFile(join(dir, 'argv.json'), 'utf8');
    const metrics = await readFile(join(dir, 'metrics.jsonl'), 'utf8');

    const resumed = await steer(['train', '--resume', 'runs/refused', '--backend', 'cpu'], cwd);
    expect(resumed.code).toBe(1);
    expect(resumed.stderr).toContain(`steer: error: ${tensors}: sha256: expected `);
    expect(await readFile(join(dir, 'argv.json'), 'utf8')).toBe(argv);
    expect(await readFile(join(dir, 'metrics.jsonl'), 'utf8')).toBe(metrics);
  });

  it('resuming a finished run records nothing', async () => {
    const args = ['train', '--env', 'matrix:penalty0', '--out', 'runs/finished', '--updates', '1', ...TINY];
    expect((await steer(args, cwd)).code).toBe(0);
    const argv = await readFile(join(cwd, 'runs', 'finished', 'argv.json'), 'utf8');
    const again = await steer(['train', '--resume', 'runs/finished', '--backend', 'cpu'], cwd);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('runs/finished is already complete (1/1 updates)');
    expect(await readFile(join(cwd, 'runs', 'finished', 'argv.json'), 'utf8')).toBe(argv);
  });
});

describe('steer train --resume of a checkpoint written before checksums (format 1)', () => {
  it('says it was verified by its structure only, and writes format 2 from then on', async () => {
    const dir = await trainAndStop('format1', 3, 1);
    const file = join(dir, 'checkpoints', 'latest', 'checkpoint.json');
    const manifest = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    delete manifest.manifestSha256;
    delete manifest.tensorsFile;
    await writeFile(file, JSON.stringify({ ...manifest, formatVersion: 1 }));

    const resumed = await steer(['train', '--resume', 'runs/format1', '--backend', 'cpu'], cwd);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(
      /^note: .*checkpoint\.json: format 1, written before checksums: verified by its structure only; the next checkpoint is written as format 2$/m,
    );
    expect((await loadCheckpoint(join(dir, 'checkpoints', 'latest'))).formatVersion).toBe(2);
  });
});
