/**
 * `steer train` and `steer eval` end to end, in process, on the cpu backend with tiny budgets.
 * The resume test is the contract of runTraining.ts: a run interrupted (the SIGINT path: abort
 * signal → finish the update, checkpoint, exit 130) and resumed ends with bit-identical weights,
 * optimizer state and metrics (perf/* timings aside) to one that ran straight through.
 */
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
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
