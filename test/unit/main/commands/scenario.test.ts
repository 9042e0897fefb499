/**
 * `steer scenario validate` and `steer scenario show`: "FILE: ok" for good files; for bad ones one
 * line per problem naming file and path, exit code 1, no stack trace; missing files named.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../../../src/core/scenario/index.js';
import { steer } from '../cli/runCliInProcess.js';

const REPO = join(import.meta.dirname, '../../../..');
const EASY = join(REPO, 'scenarios/horm-easy.json');
const PLATOON = join(REPO, 'scenarios/dense-platoon.json');

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'steer-scenario-'));
  await writeFile(
    join(cwd, 'bad.json'),
    JSON.stringify({
      version: 1,
      name: 'bad',
      seed: 0,
      physics: 'fast',
      traffic: { vehicles: [{ kind: 'cav', lane: 'a-b-0', positionM: 10, speedMps: 'fast' }] },
    }),
  );
  await writeFile(join(cwd, 'cut.json'), '{"version": 1, "name": "cut", "seed": ');
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

/** No line of a stack trace ("    at f (file:1:2)"). */
function expectNoStack(text: string): void {
  expect(text).not.toMatch(/^\s+at /m);
}

describe('steer scenario validate', () => {
  it('prints FILE: ok for every bundled scenario and exits 0', async () => {
    const run = await steer(
      ['scenario', 'validate', 'scenarios/horm-easy.json', 'scenarios/dense-platoon.json'],
      REPO,
    );
    expect(run).toEqual({
      code: 0,
      stdout: 'scenarios/horm-easy.json: ok\nscenarios/dense-platoon.json: ok\n',
      stderr: '',
    });
  });

  it('prints one line per problem, file: path: message, and exits 1', async () => {
    const run = await steer(['scenario', 'validate', 'bad.json'], cwd);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      'bad.json: traffic.vehicles[0].speedMps: expected number in [0, 40] m/s, received "fast"',
      'bad.json: physics: expected one of "reference", "dynamic", received "fast"',
    ]);
  });

  it('reports good, bad, truncated and missing files together, then a count; exit 1', async () => {
    const run = await steer(['scenario', 'validate', EASY, 'bad.json', 'cut.json', 'nope.json', '.'], cwd);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(`${EASY}: ok\n`);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines.slice(2)).toEqual([
      'cut.json: (root): invalid JSON at line 1, column 39: unexpected end of the file inside an object (truncated?)',
      'nope.json: file not found',
      '.: is a directory, expected a scenario JSON file',
      'steer: 4 of 5 scenario files have problems',
    ]);
    expectNoStack(run.stderr);
  });

  it('without a file, commander explains the usage', async () => {
    const run = await steer(['scenario', 'validate'], cwd);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("missing required argument 'files'");
    expectNoStack(run.stderr);
  });
});

describe('steer scenario show', () => {
  it('prints the resolved scenario, defaults filled, which validates again', async () => {
    await writeFile(
      join(cwd, 'min.json'),
      '{"version": 1, "name": "min", "seed": 5, "traffic": {"density": 3}}',
    );
    const run = await steer(['scenario', 'show', 'min.json'], cwd);
    expect(run.code).toBe(0);
    const shown = JSON.parse(run.stdout);
    expect(shown).toMatchObject({
      seed: 5,
      durationS: 20,
      road: { beforeMergeM: 220, convergingM: 100, mergeM: 100, afterMergeM: 100 },
      supervisor: true,
      physics: 'reference',
      priority: 'index',
      rewardWeights: { collision: 200 },
    });
    const again = parseScenario(run.stdout, 'shown.json');
    expect(again.ok && again.scenario).toEqual(shown);
  });

  it('refuses an invalid file with its problems and exit 1', async () => {
    const run = await steer(['scenario', 'show', 'bad.json'], cwd);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('bad.json: physics: expected one of');
  });
});

describe('the steer binary', () => {
  it('exits 1 with located problems and no stack trace, in a real process', () => {
    const child = spawnSync(
      process.execPath,
      [join(REPO, 'bin/steer.js'), 'scenario', 'validate', PLATOON, 'bad.json'],
      {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, STEER_DEBUG: '' },
        timeout: 60_000,
      },
    );
    expect(child.status).toBe(1);
    expect(child.stdout).toBe(`${PLATOON}: ok\n`);
    expect(child.stderr).toContain('bad.json: traffic.vehicles[0].speedMps: expected number in [0, 40] m/s');
    expectNoStack(child.stderr);
  });
});
