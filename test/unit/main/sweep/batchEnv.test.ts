import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  prepareCompareEnv,
  registryCompareEnv,
  scenarioCompareEnv,
  withDensity,
} from '../../../../src/main/sweep/batchEnv.js';

const EASY = resolve(import.meta.dirname, '../../../../scenarios/horm-easy.json');
const VEHICLES = resolve(import.meta.dirname, '../../../../scenarios/two-ramp-vehicles.json');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'steer-compare-env-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('registryCompareEnv', () => {
  it('takes an alias, records the canonical name, and refuses an unknown name naming --env', () => {
    const env = registryCompareEnv('matrix:mixing');
    expect(env).toMatchObject({
      envName: 'matrix:different_order',
      horm: false,
      envArgs: ['--env', 'matrix:mixing'],
    });
    expect(env.slug).toBe('matrix-different_order');
    expect(() => registryCompareEnv('matrix:nope')).toThrow(/^--env matrix:nope: Unknown env "matrix:nope"/);
  });
});

describe('scenarioCompareEnv', () => {
  it('opens a scenario as it is', async () => {
    const env = await scenarioCompareEnv('scenarios/horm-easy.json', EASY, undefined, dir);
    expect(env).toMatchObject({
      envName: 'horm:density-1',
      horm: true,
      slug: 'horm-easy',
      scenarioCopy: null,
    });
    expect(env.envArgs).toEqual(['--scenario', EASY]);
  });

  it('--density rewrites the traffic density into a copy in the runs folder, which the runs train on', async () => {
    const env = await scenarioCompareEnv('scenarios/horm-easy.json', EASY, 2, dir);
    expect(env.envName).toBe('horm:density-2');
    expect(env.slug).toBe('horm-easy-density-2');
    expect(env.label).toBe('"HORM easy (density 2)" (scenarios/horm-easy.json, density 2)');
    const copy = join(dir, 'horm-easy-density-2.json');
    expect(env.envArgs).toEqual(['--scenario', copy]);
    await prepareCompareEnv(env);
    const written = JSON.parse(await readFile(copy, 'utf8'));
    expect(written.traffic).toEqual({ density: 2 });
    expect(written.road).toEqual(JSON.parse(await readFile(EASY, 'utf8')).road);
  });

  it('refuses a density the scenario format lacks, and a scenario with a vehicle list', async () => {
    await expect(scenarioCompareEnv('easy.json', EASY, 4, dir)).rejects.toThrow(
      /^easy\.json with --density 4: traffic\.density/,
    );
    await expect(scenarioCompareEnv('two.json', VEHICLES, 2, dir)).rejects.toThrow(
      '--density 2: two.json lists its vehicles (traffic.vehicles), it has no traffic density to change',
    );
    const missing = join(dir, 'missing.json');
    await expect(scenarioCompareEnv('missing.json', missing, undefined, dir)).rejects.toThrow(
      /^--scenario missing\.json: /,
    );
  });

  it('withDensity keeps every other field', async () => {
    const text = await readFile(EASY, 'utf8');
    const out = JSON.parse(withDensity(text, 'f', 3));
    const original = JSON.parse(text);
    expect({ ...out, traffic: original.traffic, name: original.name }).toEqual(original);
  });
});
