/**
 * The sample replays (samples/replays/, docs/app.md) are generated, not hand-made: regenerating
 * each from its own header gives the committed bytes exactly, and `steer replay sample` writes
 * one with a summary line.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplayReader } from '../../../../src/core/replay/index.js';
import {
  recordSampleReplay,
  SAMPLE_POLICIES,
  type SamplePolicy,
  sampleReplayName,
} from '../../../../src/main/replay/recordSampleReplay.js';
import { steer } from '../cli/runCliInProcess.js';

const SAMPLES = new URL('../../../../samples/replays/', import.meta.url);

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'steer-sample-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('sample replays', () => {
  it('regenerate bit for bit from their headers', async () => {
    const files = (await readdir(SAMPLES)).filter((f) => f.endsWith('.replay'));
    expect(files).toEqual(
      expect.arrayContaining(['horm-hard-random-seed0.replay', 'horm-hard-random-seed4.replay']),
    );
    for (const file of files) {
      const committed = new Uint8Array(await readFile(new URL(file, SAMPLES)));
      const { header } = ReplayReader.open(committed);
      const policy = header.model.name as SamplePolicy;
      expect(SAMPLE_POLICIES).toContain(policy);
      const density = header.scenario.density!;
      expect(sampleReplayName({ density, seed: header.scenario.seed, policy })).toBe(file);
      const regenerated = recordSampleReplay({
        density,
        seed: header.scenario.seed,
        policy,
        policySeed: header.model.seed ?? 0,
        createdAt: header.createdAt,
        ...(header.generator === undefined ? {} : { generator: header.generator }),
      });
      const same = Buffer.from(regenerated.bytes).equals(Buffer.from(committed));
      expect(
        same,
        `samples/replays/${file} no longer matches the simulator: regenerate it with ` +
          `steer replay sample --density ${density} --seed ${header.scenario.seed} --policy ${policy} --created-at ${header.createdAt}`,
      ).toBe(true);
    }
  });

  it('are a full 100-step episode and one ended by a crash', async () => {
    const full = ReplayReader.open(
      new Uint8Array(await readFile(new URL('horm-hard-random-seed0.replay', SAMPLES))),
    );
    expect(full.footer.summary.steps).toBe(100);
    expect(full.footer.summary.crashedAgents).toEqual([]);
    const crash = ReplayReader.open(
      new Uint8Array(await readFile(new URL('horm-hard-random-seed4.replay', SAMPLES))),
    );
    expect(crash.footer.summary.crashedAgents.length).toBeGreaterThan(0);
  });
});

describe('steer replay sample', () => {
  it('records a seeded episode and prints where it went', async () => {
    const run = await steer(
      [
        'replay',
        'sample',
        '--seed',
        '4',
        '--out',
        'out/crash.replay',
        '--created-at',
        '2026-11-25T12:00:00.000Z',
      ],
      cwd,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^out\/crash\.replay: \d+ decisions \(ended by a crash\), [\d,]+ bytes/);
    const written = new Uint8Array(await readFile(join(cwd, 'out', 'crash.replay')));
    const committed = new Uint8Array(await readFile(new URL('horm-hard-random-seed4.replay', SAMPLES)));
    expect(ReplayReader.open(written).footer).toEqual(ReplayReader.open(committed).footer);
  });

  it('names the option and the value it cannot use', async () => {
    const cases: [string[], RegExp][] = [
      [['--density', '4'], /--density: expected 1, 2 or 3, received 4/],
      [['--seed', 'x'], /--seed <n>' argument 'x' is invalid\. expected an integer ≥ 0, received "x"/],
      [['--policy', 'steer'], /--policy: expected random or idle, received "steer"/],
      [['--created-at', 'yesterday'], /--created-at: expected an ISO 8601 time, received "yesterday"/],
    ];
    for (const [args, message] of cases) {
      const run = await steer(['replay', 'sample', '--out', 'x.replay', ...args], cwd);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(message);
    }
  });

  it('refuses a negative seed as every other command does (the shared seed parser)', async () => {
    for (const option of ['--seed', '--policy-seed']) {
      const sample = await steer(['replay', 'sample', '--out', 'negative.replay', option, '-1'], cwd);
      expect(sample.code, option).toBe(1);
      expect(sample.stdout).toBe('');
      expect(sample.stderr).toContain(
        `option '${option} <n>' argument '-1' is invalid. expected an integer ≥ 0, received "-1"`,
      );
    }
    // the same words as `steer baseline --seed -1` (and train, eval)
    const baseline = await steer(
      ['baseline', '--scenario', 'scenarios/horm-easy.json', '--policy', 'idle', '--seed', '-1'],
      cwd,
    );
    expect(baseline.code).toBe(1);
    expect(baseline.stderr).toContain(
      `option '--seed <n>' argument '-1' is invalid. expected an integer ≥ 0, received "-1"`,
    );
    expect(await readdir(cwd)).not.toContain('negative.replay');
  });
});
