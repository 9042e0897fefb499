/**
 * A sweep file from disk: the file-level refusals (name, missing, folder), and its scenarios opened
 * through the scenario gate with located issues, at another density rewritten into the runs folder.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSweep, readSweepFile, SweepFileError, targetOf } from '../../../../src/main/sweep/index.js';

const ROOT = resolve(import.meta.dirname, '../../../..');
const SCENARIOS = join(ROOT, 'scenarios');

let cwd: string;
const inCwd = (path: string) => join(cwd, path);
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'steer-sweep-open-'));
  await mkdir(inCwd('scenarios'));
  for (const name of ['horm-easy.json', 'two-ramp-vehicles.json']) {
    await copyFile(join(SCENARIOS, name), inCwd(`scenarios/${name}`));
  }
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

/** The lines a SweepFileError from `promise` prints. */
async function linesOf(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SweepFileError) return error.lines;
    throw error;
  }
  throw new Error('expected a SweepFileError');
}

describe('readSweepFile', () => {
  it('refuses a file it cannot read, one line naming the file', async () => {
    expect(await linesOf(readSweepFile(inCwd('none.yaml'), 'none.yaml'))).toEqual([
      'none.yaml: file not found',
    ]);
    expect(await linesOf(readSweepFile(inCwd('scenarios'), 'scenarios.json'))).toEqual([
      'scenarios.json: is a directory, expected a sweep file',
    ]);
    expect(await linesOf(readSweepFile(inCwd('sweep.txt'), 'sweep.txt'))).toEqual([
      'sweep.txt: expected a sweep file ending in .json, .yaml, .yml (JSON or YAML)',
    ]);
  });

  it("prints a bad file's issues as file: path: message", async () => {
    await writeFile(
      inCwd('bad.yml'),
      'name: bad\nalgos: [nope]\nenvs: [matrix:penalty0]\nseeds: 1\nupdates: 1\n',
    );
    const lines = await linesOf(readSweepFile(inCwd('bad.yml'), 'bad.yml'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^bad\.yml: algos\[0\]: unknown algorithm "nope"; the algorithms are steer, /);
  });
});

describe('the bundled example', () => {
  it('sweeps/matrix-penalty.yaml is valid: STEER and MAPPO × Penalty k = -100 × 2 seeds', async () => {
    const file = 'sweeps/matrix-penalty.yaml';
    const opened = await openSweep(join(ROOT, file), file, (path) => join(ROOT, path));
    expect(opened.runs.map((run) => run.id)).toEqual([
      'steer/matrix-penalty-100/seed-1',
      'mappo/matrix-penalty-100/seed-1',
      'steer/matrix-penalty-100/seed-2',
      'mappo/matrix-penalty-100/seed-2',
    ]);
  });
});

describe('openSweep: scenarios', () => {
  it('opens each scenario through the gate; a density is rewritten into the runs folder before training', async () => {
    await writeFile(
      inCwd('horm.yaml'),
      'name: horm\nalgos: [steer]\nscenarios:\n  - file: scenarios/horm-easy.json\n' +
        '  - {file: scenarios/horm-easy.json, density: 2}\nseeds: 1\nupdates: 2\nrunsDir: runs/h\n',
    );
    const opened = await openSweep(inCwd('horm.yaml'), 'horm.yaml', inCwd);
    const [asIs, dense] = opened.runs.map((run) => targetOf(run, opened.targets));
    expect(asIs).toMatchObject({
      envName: 'horm:density-1',
      scenarioPath: inCwd('scenarios/horm-easy.json'),
    });
    const copy = inCwd('runs/h/horm-easy-density-2.json');
    expect(dense).toMatchObject({ envName: 'horm:density-2', scenarioPath: copy });
    await dense!.prepare();
    expect(JSON.parse(await readFile(copy, 'utf8')).traffic.density).toBe(2);
  });

  it("locates a scenario's problems at its entry", async () => {
    await writeFile(
      inCwd('broken.yaml'),
      'name: broken\nalgos: [steer]\nscenarios:\n  - file: scenarios/nope.json\n' +
        '  - {file: scenarios/two-ramp-vehicles.json, density: 2}\nseeds: 1\nupdates: 2\n',
    );
    expect(await linesOf(openSweep(inCwd('broken.yaml'), 'broken.yaml', inCwd))).toEqual([
      'broken.yaml: scenarios[0].file: scenarios/nope.json: file not found',
      `broken.yaml: scenarios[1]: --density 2: scenarios/two-ramp-vehicles.json lists its vehicles (traffic.vehicles), it has no traffic density to change`,
    ]);
  });
});
