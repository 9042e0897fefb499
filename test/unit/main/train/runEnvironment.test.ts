/**
 * Scenario files → HORM envs (src/core/envs/horm/fromScenario.ts through runEnvironment.ts): every
 * bundled scenario builds an env (density + 1 agents, or the CAVs of its vehicle list); what the
 * simulator does not support yet is refused with the validator's one-line shape.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hormOptionsFromScenario } from '../../../../src/core/envs/horm/fromScenario.js';
import { parseScenario } from '../../../../src/core/scenario/index.js';
import { loadScenario, ScenarioFileError } from '../../../../src/main/train/runEnvironment.js';
import { BUNDLED, bundled } from '../../core/scenario/bundledScenarios.js';

const ROOT = join(import.meta.dirname, '../../../..');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'steer-run-env-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Loads a scenario document written to a temporary file; returns the error lines or the result. */
async function load(document: unknown) {
  const path = join(dir, `s-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(path, JSON.stringify(document));
  try {
    return { ok: true as const, loaded: await loadScenario(path, 'my.json') };
  } catch (error) {
    if (!(error instanceof ScenarioFileError)) throw error;
    return { ok: false as const, lines: error.lines };
  }
}

describe('scenario → HORM env', () => {
  it.each(BUNDLED.map((s) => [s.file, s] as const))('%s builds an env', async (file, s) => {
    const traffic = s.json.traffic as { density?: number; vehicles?: { kind: string }[] };
    const agents =
      traffic.density !== undefined
        ? traffic.density + 1 // docs/spec/horm.md §5.1
        : traffic.vehicles!.filter((v) => v.kind === 'cav').length;
    const loaded = await loadScenario(join(ROOT, file), file);
    const env = loaded.makeEnv();
    expect(loaded.envName).toBe(
      traffic.density !== undefined ? `horm:density-${traffic.density}` : `horm:vehicles-${agents}-cavs`,
    );
    expect(env.spec.name).toBe(loaded.envName);
    expect(env.spec.numAgents).toBe(agents);
    expect(env.spec.obsDim).toBe(25 + agents); // §6.2
    expect(env.spec.episodeLimit).toBe(100); // 20 s at 5 Hz (§2.3)
    const step = env.reset(3);
    expect(step.obs).toHaveLength(agents * (25 + agents));
    expect(env.config).toMatchObject({ safetySupervisor: true, rewardType: 'regional' });
    expect(env.config.rewardWeights).toEqual({ collision: 200, highSpeed: 1, mergingLane: 4, headway: 4 });
  });

  it('maps supervisor, physics, quirks, priority rule and reward weights onto the env config', () => {
    const parsed = parseScenario(
      JSON.stringify({
        ...bundled('horm-medium.json').json,
        supervisor: false,
        priority: 'closest-to-merge-first',
        rewardWeights: { collision: 50, highSpeed: 2, mergingLaneCost: 0, headwayCost: 1 },
        seed: 42,
      }),
      'x.json',
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const result = hormOptionsFromScenario(parsed.scenario);
    expect(result).toEqual({
      ok: true,
      options: {
        traffic: 2,
        seed: 42,
        config: {
          safetySupervisor: false,
          physics: 'reference',
          quirks: {
            referenceCollision: false,
            shortLastStep: false,
            segmentLocalNeighbours: false,
            unclampedDesiredGap: false,
            speedIndexFromSpeed: false,
          },
          priority: 'closestToMerge',
          rewardWeights: { collision: 50, highSpeed: 2, mergingLane: 0, headway: 1 },
          road: { beforeMergeM: 220, convergingM: 100, mergeM: 100, afterMergeM: 100 },
          episodeSteps: 100,
        },
      },
    });
  });

  it('runs other road lengths and durations, and "dynamic" physics', async () => {
    const document = {
      ...bundled('horm-easy.json').json,
      durationS: 30,
      road: { beforeMergeM: 250, convergingM: 100, mergeM: 100, afterMergeM: 100 },
    };
    const runs = await load(document);
    if (!runs.ok) throw new Error(runs.lines.join('\n'));
    const env = runs.loaded.makeEnv();
    expect(env.spec.episodeLimit).toBe(150); // 30 s at 5 Hz (docs/spec/horm.md §2.3)
    expect(env.sim.world.road.mergeEndXM).toBe(450);
    const result = await load({ ...document, physics: 'dynamic' });
    if (!result.ok) throw new Error(result.lines.join('\n'));
    expect(result.loaded.makeEnv().sim.world.physics).toBe('dynamic');
  });

  it('gives the validator its say first: an invalid file fails with its issue lines', async () => {
    const result = await load({ ...bundled('horm-easy.json').json, traffic: { density: 4 } });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.lines).toEqual([
      expect.stringMatching(/^my\.json: traffic\.density: expected 1, 2 or 3/),
    ]);
    await expect(loadScenario(join(dir, 'missing.json'), 'missing.json')).rejects.toThrow(
      'missing.json: file not found',
    );
  });
});
