/**
 * `steer train --algo` and what follows from it, in process on the cpu backend with tiny budgets:
 * the algorithm is checked against the registry before anything is written, recorded in the run's
 * config.json and argv.json, named by the train and eval reports (text and JSON), and kept by a
 * resume. Only "steer" trains here: every other algorithm is trained, evaluated and recorded in
 * horm-algos-replay.test.ts, and put in a Table 1 batch in cli-table1.test.ts.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALGORITHM_NAMES } from '../../src/core/algos/registry.js';
import { steer } from '../unit/main/cli/runCliInProcess.js';

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'steer-cli-algo-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const TINY = ['--backend', 'cpu', '--updates', '2', '--set', 'numEnvs=2', '--set', 'episodeLength=5'];
const readJson = async (path: string) => JSON.parse(await readFile(join(cwd, path), 'utf8'));

describe('steer train --algo', () => {
  it('lists the registry in its help', async () => {
    const help = await steer(['train', '--help'], cwd);
    expect(help.stdout).toContain('--algo <name>');
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(ALGORITHM_NAMES.join(', '));
  });

  it('records the algorithm in config.json and argv.json; train and eval name it', async () => {
    const train = await steer(
      ['train', '--env', 'matrix:penalty0', '--algo', 'steer', '--out', 'runs/a', ...TINY],
      cwd,
    );
    expect(train.code, train.stderr).toBe(0);
    expect(train.stdout).toMatch(/^algo +steer$/m);
    expect((await readJson('runs/a/config.json')).train.algo).toBe('steer');
    const argv = (await readJson('runs/a/argv.json')).created.argv as string[];
    expect(argv.slice(argv.indexOf('--algo'), argv.indexOf('--algo') + 2)).toEqual(['--algo', 'steer']);

    const text = await steer(['eval', 'runs/a', '--backend', 'cpu'], cwd);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^algo +steer$/m);
    const json = await steer(['eval', 'runs/a', '--backend', 'cpu', '--json'], cwd);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ algo: 'steer', env: 'matrix:penalty0', updates: 2 });
  });

  it('defaults to steer, and --set algo= still chooses it; the JSON summary names it', async () => {
    for (const [out, extra] of [
      ['runs/default', []],
      ['runs/set', ['--set', 'algo=steer']],
    ] as const) {
      const train = await steer(
        ['train', '--env', 'matrix:penalty0', '--out', out, ...TINY, ...extra, '--json', '--quiet'],
        cwd,
      );
      expect(train.code, train.stderr).toBe(0);
      expect(JSON.parse(train.stdout)).toMatchObject({ status: 'completed', algo: 'steer' });
      expect((await readJson(`${out}/config.json`)).train.algo).toBe('steer');
    }
  });

  it('refuses an unknown algorithm before anything is written, listing the registry', async () => {
    const run = await steer(['train', '--env', 'matrix:penalty0', '--algo', 'nope', '--out', 'runs/b'], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      `steer: error: --algo: unknown algorithm "nope"; the algorithms are ${ALGORITHM_NAMES.join(', ')}`,
    );
    expect(existsSync(join(cwd, 'runs', 'b'))).toBe(false);
    const twice = await steer(
      ['train', '--env', 'matrix:penalty0', '--algo', 'steer', '--set', 'algo=nope', '--out', 'runs/b'],
      cwd,
    );
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/--algo: the algorithm is given twice, "steer" and.*"nope"/);
    expect(existsSync(join(cwd, 'runs', 'b'))).toBe(false);
  });

  it("a resume keeps the run's algorithm: --algo is refused with --resume, and the report names it", async () => {
    const refused = await steer(['train', '--resume', 'runs/a', '--algo', 'steer'], cwd);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/--resume continues the run with its own config\.json; drop --algo/);
    const resumed = await steer(['train', '--resume', 'runs/a', '--backend', 'cpu'], cwd);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/^algo +steer$/m);
  });
});
