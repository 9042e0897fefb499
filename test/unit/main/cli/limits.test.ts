/**
 * The bounds of TRAIN_LIMITS (src/core/algos/config.ts) on the command line: `--set` values,
 * products of allowed values, `--updates`, `--checkpoint-every`, `--eval-every` and the evaluation
 * episodes are refused in one line naming the bound, before the backend starts or anything is
 * written.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { steer } from './runCliInProcess.js';

const REPOSITORY = join(import.meta.dirname, '..', '..', '..', '..');
const SCENARIO = join(REPOSITORY, 'scenarios', 'horm-easy.json');

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'steer-cli-limits-'));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

/** One line on stderr (commander adds its usage hint), exit code 1, nothing on stdout; the line. */
async function refused(argv: string[]): Promise<string> {
  const run = await steer(argv, cwd);
  expect(run.code, argv.join(' ')).toBe(1);
  expect(run.stdout).toBe('');
  const lines = run.stderr
    .trim()
    .split('\n')
    .filter((line) => line !== '(add --help for usage)');
  expect(lines, run.stderr).toHaveLength(1);
  return lines[0]!;
}

/**
 * Before the bounds existed these commands went on to train; a backend that cannot start ends
 * them there (another message) instead of after minutes of training.
 */
const NO_BACKEND = ['--backend', 'no-such-backend'];
const TRAIN = ['train', '--env', 'matrix:penalty0', '--out', 'runs/x', ...NO_BACKEND];

describe('steer: bounds of what sizes memory or time', () => {
  it('train --set refuses a value above its bound, naming it', async () => {
    expect(await refused([...TRAIN, '--set', 'embedDim=2048'])).toContain(
      '--set embedDim=2048: embedDim: expected at most 256, received 2048',
    );
    expect(await refused([...TRAIN, '--set', 'numBlocks=16'])).toContain(
      'numBlocks: expected at most 8, received 16',
    );
    expect(await refused([...TRAIN, '--set', 'numEnvs=100000'])).toContain(
      'numEnvs: expected at most 512, received 100000',
    );
    expect(existsSync(join(cwd, 'runs'))).toBe(false);
  });

  it('train refuses products of allowed values that are too large', async () => {
    const rollout = await refused([...TRAIN, '--set', 'numEnvs=512', '--set', 'episodeLength=1000']);
    expect(rollout).toContain(
      'numEnvs × episodeLength (joint samples per rollout): expected at most 32768, received 512000',
    );
    const updates = await refused([
      ...TRAIN,
      '--set',
      'numEnvs=1',
      '--set',
      'episodeLength=1',
      '--set',
      'totalEnvSteps=1000000',
    ]);
    expect(updates).toContain('PPO updates');
    expect(updates).toContain('expected at most 100000, received 1000000');
    expect(existsSync(join(cwd, 'runs'))).toBe(false);
  });

  it('train --updates, --checkpoint-every, --eval-every and --eval-episodes have maxima', async () => {
    expect(await refused([...TRAIN, '--updates', '100001'])).toMatch(
      /option '--updates <n>' argument '100001' is invalid\. expected at most 100000, received 100001/,
    );
    expect(await refused([...TRAIN, '--checkpoint-every', '1000000'])).toMatch(
      /--checkpoint-every <n>' argument '1000000' is invalid\. expected at most 100000, received 1000000/,
    );
    const scenario = ['train', '--scenario', SCENARIO, '--out', 'runs/x'];
    expect(await refused([...scenario, '--eval-episodes', '10001', ...NO_BACKEND])).toMatch(
      /--eval-episodes <n>' argument '10001' is invalid\. expected at most 10000, received 10001/,
    );
    expect(await refused([...scenario, '--eval-every', '100001', ...NO_BACKEND])).toMatch(
      /expected at most 100000, received 100001/,
    );
    expect(existsSync(join(cwd, 'runs'))).toBe(false);
    // a small rollout with --updates is no refusal for the preset's budget (5,000,000 HORM steps
    // would be 5 million updates of 1 step): the command gets past the checks, to the signal
    // that was aborted before it started (exit 130, nothing written)
    const budget = await steer(
      [...scenario, '--set', 'numEnvs=1', '--set', 'episodeLength=1', '--updates', '5', '--backend', 'cpu'],
      cwd,
      { signal: AbortSignal.abort() },
    );
    expect(budget.stderr).not.toContain('expected at most');
    expect(budget.code).toBe(130);
    expect(existsSync(join(cwd, 'runs'))).toBe(false);
  });

  it('eval, baseline and table1 bound their episodes and updates', async () => {
    expect(await refused(['eval', 'models/horm-easy', '--episodes', '10001'])).toMatch(
      /--episodes <n>' argument '10001' is invalid\. expected at most 10000, received 10001/,
    );
    expect(
      // (options are parsed in order: before the bound, the unknown policy was the refusal)
      await refused(['baseline', '--scenario', SCENARIO, '--episodes', '1000000', '--policy', 'nope']),
    ).toMatch(/--episodes <n>' argument '1000000' is invalid\. expected at most 10000, received 1000000/);
    expect(await refused(['table1', '--updates', '100001', '--games', 'nope'])).toMatch(
      /--updates <n>' argument '100001' is invalid\. expected at most 100000, received 100001/,
    );
  });
});
