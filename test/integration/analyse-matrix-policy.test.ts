/**
 * `npm run analyse:matrix-policy` end to end, in process on the cpu backend: tiny runs trained with
 * `steer train` (two updates) are found under their folder, loaded whatever their algorithm, and
 * reported with their exact joint distribution; a multi-step run found beside them is skipped, and
 * one named on the command line, a missing folder or a run without a checkpoint is an error naming it.
 */
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseMatrixPolicy, type MatrixPolicyJson } from '../../src/main/analysis/matrixPolicyCommand.js';
import { BufferSink } from '../../src/main/cli/context.js';
import { steer } from '../unit/main/cli/runCliInProcess.js';

let cwd: string;
const TINY = [
  '--backend',
  'cpu',
  '--updates',
  '2',
  '--set',
  'numEnvs=2',
  '--set',
  'episodeLength=5',
  '--quiet',
];

/** The script on `argv` in `cwd`, output captured. */
async function analyse(argv: readonly string[]) {
  const stdout = new BufferSink();
  const stderr = new BufferSink();
  const code = await analyseMatrixPolicy([...argv, '--backend', 'cpu'], { stdout, stderr, cwd });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'steer-analyse-matrix-'));
  for (const [algo, env, game] of [
    ['steer', 'matrix:mixing', 'mixing'],
    ['mappo', 'matrix:mixing', 'mixing'],
    ['steer', 'nstep:cooperation', 'cooperation'],
  ] as const) {
    const out = `runs/batch/${algo}/${game}/seed-1`;
    const train = await steer(
      ['train', '--env', env, '--algo', algo, '--seed', '1', '--out', out, ...TINY],
      cwd,
    );
    expect(train.code, train.stderr).toBe(0);
  }
  // a run folder whose training never saved a checkpoint
  await mkdir(join(cwd, 'runs', 'unsaved'), { recursive: true });
  await copyFile(
    join(cwd, 'runs/batch/steer/mixing/seed-1/config.json'),
    join(cwd, 'runs/unsaved/config.json'),
  );
}, 300_000);
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('npm run analyse:matrix-policy', () => {
  it('reports every single-step run under a folder as JSON, greedy cell as steer eval plays it', async () => {
    const result = await analyse(['runs/batch', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as MatrixPolicyJson;
    expect(report.runs.map((run) => [run.algo, run.env, run.seed, run.updates])).toEqual([
      ['mappo', 'matrix:different_order', 1, 2],
      ['steer', 'matrix:different_order', 1, 2],
    ]);
    for (const run of report.runs) {
      const joint = run.joint.flat();
      expect(joint.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 5);
      expect(run.target).toEqual([0, 0]);
      expect(run.targetProbability).toBe(run.joint[0]![0]);
      expect(run.greedyProbability).toBe(run.joint[run.greedy[0]]![run.greedy[1]]);
      const evaluation = await steer(['eval', run.runDir, '--json', '--backend', 'cpu'], cwd);
      expect(run.greedy).toEqual(JSON.parse(evaluation.stdout).actions[0]);
    }
    // MAPPO's follower does not see the leader's action; STEER's does
    const [mappo, steerRun] = report.runs;
    expect(
      mappo!.answers[0]!.map((p, a1) => p - mappo!.answers[2]![a1]!).every((d) => Math.abs(d) < 1e-6),
    ).toBe(true);
    expect(steerRun!.answers[0]).not.toEqual(steerRun!.answers[2]);
    expect(report.groups.map((g) => [g.algo, g.label, g.settings, g.runs, g.updates])).toEqual([
      ['mappo', 'mixing', '', 1, [2, 2]],
      ['steer', 'mixing', '', 1, [2, 2]],
    ]);
    expect(report.games.map((g) => g.equilibria.length)).toEqual([3]);
    expect(report.skipped).toHaveLength(1);
    expect(report.skipped[0]!.runDir).toMatch(/runs\/batch\/steer\/cooperation\/seed-1$/);
    expect(report.skipped[0]!.reason).toMatch(/trained on nstep:cooperation, a multi-step matrix game/);
    expect(report.failed).toEqual([]);
    expect(result.stderr).toMatch(/skipped .*cooperation\/seed-1: trained on nstep:cooperation/);
  });

  it('prints the runs, the per-(algorithm, game) summary and the equilibria as text', async () => {
    const result = await analyse(['runs/batch/steer/mixing/seed-1', 'runs/batch/mappo']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^\| steer +\| mixing +\| 1 +\| \(\d,\d\) +\| \d\.\d\d +\| \d\.\d\d +\|/m);
    expect(result.stdout).toMatch(/^\| mappo +\| mixing +\| – +\| 1 +\| 2 +\| [01]\/1 +\|/m);
    expect(result.stdout).toContain(
      '  NE3 mixed: agent 0 0.83/0.00/0.17, agent 1 0.29/0.00/0.71, payoffs -5.71, 4.17',
    );
  });

  it('names a multi-step run given by name, a missing folder and a run without a checkpoint; exit code 1', async () => {
    const nstep = await analyse(['runs/batch/steer/cooperation/seed-1']);
    expect(nstep.code).toBe(1);
    expect(nstep.stderr).toMatch(
      /^analyse:matrix-policy: error: .*runs\/batch\/steer\/cooperation\/seed-1: trained on nstep:cooperation, a multi-step matrix game; this analysis reads single-step matrix games \(matrix:…\) only$/m,
    );
    const mixed = await analyse(['runs/nope', 'runs/unsaved', 'runs/batch/steer/mixing', '--json']);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toMatch(/error: .*runs\/nope: no such folder$/m);
    expect(mixed.stderr).toMatch(/error: .*runs\/unsaved: no checkpoint yet \(checkpoints\/latest\)/m);
    const report = JSON.parse(mixed.stdout) as MatrixPolicyJson;
    expect(report.runs).toHaveLength(1); // the folder that could be analysed still is
    expect(report.failed.map((f) => f.path.replace(/.*runs\//, 'runs/'))).toEqual([
      'runs/nope',
      'runs/unsaved',
    ]);
  });

  it('refuses unknown options and a call without folders, with the usage', async () => {
    const unknown = await analyse(['--nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^analyse:matrix-policy: error: Unknown option '--nope'/);
    expect(unknown.stderr).toContain('usage: npm run analyse:matrix-policy --');
    const none = await analyse([]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/expected at least one run folder or folder of runs/);
  });
});
