import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { steer } from '../cli/runCliInProcess.js';

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'steer-cli-args-'));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

/** The error is one line on stderr, nothing on stdout, exit code non-zero, no stack trace. */
function expectOneLineError(run: { code: number; stdout: string; stderr: string }): string {
  expect(run.code).not.toBe(0);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  return lines[0]!;
}

describe('steer: argument errors are one clear line', () => {
  it('an unknown env lists the valid names', async () => {
    const line = expectOneLineError(await steer(['train', '--env', 'matrix:nope', '--out', 'runs/x'], cwd));
    expect(line).toContain('Unknown env "matrix:nope"');
    expect(line).toContain('matrix:penalty-100');
    expect(line).toContain('nstep:coordination');
  });

  it('an unknown --set key is named, with the valid keys', async () => {
    const line = expectOneLineError(
      await steer(
        ['train', '--env', 'matrix:penalty-100', '--out', 'runs/x', '--set', 'learningRate=1'],
        cwd,
      ),
    );
    expect(line).toContain('unknown training config key "learningRate"');
    expect(line).toContain('ppoEpochs');
  });

  it('a --set value of the wrong type names key and expectation', async () => {
    const line = expectOneLineError(
      await steer(
        ['train', '--env', 'matrix:penalty-100', '--out', 'runs/x', '--set', 'ppoEpochs=many'],
        cwd,
      ),
    );
    expect(line).toMatch(/--set ppoEpochs=many: ppoEpochs: .*expected number/);
  });

  it('a --set without "=" is refused', async () => {
    const line = expectOneLineError(
      await steer(['train', '--env', 'matrix:penalty-100', '--out', 'runs/x', '--set', 'ppoEpochs'], cwd),
    );
    expect(line).toContain('expected key=value');
  });

  it('a budget of zero updates is refused before anything is written', async () => {
    const line = expectOneLineError(
      await steer(
        ['train', '--env', 'matrix:penalty-100', '--out', 'runs/x', '--set', 'totalEnvSteps=10'],
        cwd,
      ),
    );
    expect(line).toContain('0 updates');
  });

  it('an existing run folder is not overwritten; the message suggests --resume', async () => {
    await mkdir(join(cwd, 'runs', 'taken'), { recursive: true });
    await writeFile(join(cwd, 'runs', 'taken', 'config.json'), '{}');
    const line = expectOneLineError(
      await steer(['train', '--env', 'matrix:penalty-100', '--out', 'runs/taken'], cwd),
    );
    expect(line).toContain('runs/taken already exists');
    expect(line).toContain('steer train --resume runs/taken');
  });

  it('--resume refuses options that would change the run', async () => {
    const line = expectOneLineError(
      await steer(['train', '--resume', 'runs/x', '--env', 'matrix:penalty0', '--set', 'lr=0.1'], cwd),
    );
    expect(line).toContain('drop --env, --set');
  });

  it('--resume of a folder that is not a run says so', async () => {
    await mkdir(join(cwd, 'empty'));
    const line = expectOneLineError(await steer(['train', '--resume', 'empty'], cwd));
    expect(line).toContain('not a run folder (no config.json)');
  });

  it('train without --env or --out says what is missing', async () => {
    expect(expectOneLineError(await steer(['train', '--out', 'runs/x'], cwd))).toContain('missing --env');
    expect(expectOneLineError(await steer(['train', '--env', 'matrix:penalty0'], cwd))).toContain(
      'missing --out',
    );
  });

  it('a malformed integer option is refused by the parser', async () => {
    const run = await steer(['train', '--env', 'matrix:penalty0', '--out', 'r', '--seed', 'one'], cwd);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("option '--seed <n>' argument 'one' is invalid");
  });

  it('eval of a missing run folder is an error', async () => {
    const line = expectOneLineError(await steer(['eval', 'runs/none'], cwd));
    expect(line).toContain('run folder not found');
  });

  it('table1 with an unknown game lists the valid ones', async () => {
    const line = expectOneLineError(await steer(['table1', '--games', 'penalty0,chess'], cwd));
    expect(line).toContain('unknown game "chess"');
    expect(line).toContain('penalty-100');
  });

  it('bench with an unknown shape lists the valid ones', async () => {
    const line = expectOneLineError(await steer(['bench', '--shapes', 'ATARI'], cwd));
    expect(line).toContain('valid: MATRIX, HORM');
  });
});

describe('steer --help', () => {
  it.each(['train', 'eval', 'table1', 'bench'])(
    'steer %s --help prints usage and exits 0',
    async (command) => {
      const run = await steer([command, '--help'], cwd);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Usage: steer ${command}`);
    },
  );

  it('an unknown command is an error', async () => {
    const run = await steer(['fly'], cwd);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("unknown command 'fly'");
  });
});
