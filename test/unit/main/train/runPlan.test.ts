/**
 * One planner for every new run (src/main/train/runPlan.ts): its defaults, its refusals naming the
 * field, and the command line it writes for an app job, which `steer train` turns into the same
 * config.json (so the app and the CLI cannot plan the same request two ways).
 */
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALGORITHM_NAMES } from '../../../../src/core/algos/registry.js';
import { openScenario } from '../../../../src/core/envs/horm/index.js';
import {
  type NewRunRequest,
  planNewRun,
  RUN_DEFAULTS,
  RunPlanError,
  trainCommandLine,
} from '../../../../src/main/train/runPlan.js';
import { REPOSITORY_ROOT } from '../../../../src/main/web/browserHarness.js';
import { steer } from '../cli/runCliInProcess.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'steer-runplan-'));
  await cp(join(REPOSITORY_ROOT, 'scenarios'), join(dir, 'scenarios'), { recursive: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function easyScenario() {
  const text = await readFile(join(dir, 'scenarios', 'horm-easy.json'), 'utf8');
  const gate = openScenario(text, 'scenarios/horm-easy.json');
  if (!gate.ok) throw new Error('horm-easy does not open');
  return gate.opened;
}

function planError(run: () => unknown): RunPlanError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RunPlanError);
    return error as RunPlanError;
  }
  throw new Error('expected a RunPlanError');
}

describe('planNewRun', () => {
  it('fills the shared defaults: seed 1 and checkpoints every 10 for a registry env', () => {
    const { run, scenarioText } = planNewRun({ env: 'matrix:penalty-0' });
    expect(run.env).toBe('matrix:penalty0'); // the canonical name
    expect(run.train.seed).toBe(RUN_DEFAULTS.seed);
    expect(run.checkpointEvery).toBe(RUN_DEFAULTS.checkpointEvery);
    expect(run.scenario).toBeUndefined();
    expect(scenarioText).toBeNull();
  });

  it("takes a scenario run's seed from the scenario and its training-time evaluation from the defaults", async () => {
    const scenario = await easyScenario();
    const { run, scenarioText } = planNewRun({ env: scenario, updates: 2, evaluation: { episodes: 4 } });
    expect(run.env).toBe('horm:density-1');
    expect(run.train.seed).toBe(scenario.scenario.seed);
    expect(run.totalUpdates).toBe(2);
    expect(run.scenario).toEqual({
      file: 'scenario.json',
      source: 'scenarios/horm-easy.json',
      name: 'HORM easy',
    });
    expect(run.evaluation).toEqual({ ...RUN_DEFAULTS.trainingEvaluation, episodes: 4 });
    expect(scenarioText).toBe(scenario.text);
  });

  it('refuses what cannot become a run, naming the field', () => {
    expect(planError(() => planNewRun({ env: 'matrix:nope' })).field).toBe('env');
    expect(planError(() => planNewRun({ env: 'matrix:penalty0', overrides: { seed: 3 } })).field).toBe(
      'seed',
    );
    const bad = planError(() => planNewRun({ env: 'matrix:penalty0', overrides: { embedDim: 2048 } }));
    expect(bad.field).toBe('config');
    expect(bad.message).toMatch(/embedDim: expected at most 256, received 2048/);
    const zero = planError(() => planNewRun({ env: 'matrix:penalty0', overrides: { totalEnvSteps: 1 } }));
    expect(zero.message).toMatch(/this config trains 0 updates/);
    expect(planError(() => planNewRun({ env: 'matrix:penalty0', evaluation: { every: 2 } })).field).toBe(
      'evaluation',
    );
  });

  it('puts the algorithm into the config: steer by default, else the one asked for (or given with --set)', () => {
    expect(planNewRun({ env: 'matrix:penalty0' }).run.train.algo).toBe('steer');
    for (const algo of ALGORITHM_NAMES) {
      expect(planNewRun({ env: 'matrix:penalty0', algo }).run.train.algo).toBe(algo);
      expect(planNewRun({ env: 'matrix:penalty0', overrides: { algo } }).run.train.algo).toBe(algo);
      // the same name both ways is no conflict
      expect(planNewRun({ env: 'matrix:penalty0', algo, overrides: { algo } }).run.train.algo).toBe(algo);
    }
  });

  it('refuses an algorithm the registry does not have, listing those it has', () => {
    const unknown = planError(() => planNewRun({ env: 'matrix:penalty0', algo: 'nope' }));
    expect(unknown.field).toBe('algo');
    expect(unknown.message).toBe(
      `unknown algorithm "nope"; the algorithms are ${ALGORITHM_NAMES.join(', ')}`,
    );
    // through the config override it is the config's key that is wrong
    const viaSet = planError(() => planNewRun({ env: 'matrix:penalty0', overrides: { algo: 'nope' } }));
    expect(viaSet.field).toBe('config');
    expect(viaSet.message).toBe(`algo: ${unknown.message}`);
    // two different names: neither wins silently
    const twice = planError(() =>
      planNewRun({ env: 'matrix:penalty0', algo: 'steer', overrides: { algo: 'other-algo' } }),
    );
    expect(twice.field).toBe('algo');
    expect(twice.message).toMatch(/"steer".*"other-algo"/);
  });
});

describe("the preset's leaderAdvantageScale (STEER's own mechanism) in config.json", () => {
  it('is 0.3 for STEER, 1 for MAPPO on nstep:coordination; an explicit --set is kept', () => {
    const scale = (request: Omit<NewRunRequest, 'env'>) =>
      planNewRun({ env: 'nstep:coordination', ...request }).run.train.leaderAdvantageScale;
    expect(scale({})).toBe(0.3);
    expect(scale({ algo: 'mappo' })).toBe(1);
    expect(scale({ algo: 'mappo', overrides: { leaderAdvantageScale: 0.3 } })).toBe(0.3);
    expect(scale({ overrides: { algo: 'mat', leaderAdvantageScale: 0.5 } })).toBe(0.5);
    expect(scale({ algo: 'steer', overrides: { leaderAdvantageScale: 1 } })).toBe(1);
  });

  it('refuses a HAPPO value other than 1 in one line naming the key', () => {
    const error = planError(() =>
      planNewRun({ env: 'nstep:coordination', algo: 'happo', overrides: { leaderAdvantageScale: 0.3 } }),
    );
    expect(error.field).toBe('config');
    expect(error.message).toBe(
      "Invalid training configuration: config.leaderAdvantageScale: happo's update has no leader whose " +
        'advantages it could scale; expected 1, received 0.3',
    );
  });

  it('steer train writes what was used: 1 for MAPPO by default, the --set value when given', async () => {
    for (const [label, set, expected] of [
      ['default', [], 1],
      ['set', ['--set', 'leaderAdvantageScale=0.3'], 0.3],
    ] as const) {
      const out = `runs/scale-${label}`;
      const argv = [
        'train',
        '--env',
        'nstep:coordination',
        '--algo',
        'mappo',
        '--updates',
        '1',
        '--out',
        out,
      ];
      const rollout = ['--set', 'numEnvs=2', '--set', 'episodeLength=5', '--set', 'ppoEpochs=1'];
      const trained = await steer([...argv, ...rollout, ...set, '--backend', 'cpu', '--quiet'], dir);
      expect(trained.code, trained.stderr).toBe(0);
      const written = JSON.parse(await readFile(join(dir, out, 'config.json'), 'utf8'));
      expect(written.train.leaderAdvantageScale, label).toBe(expected);
    }
  });
});

describe('trainCommandLine', () => {
  it('is a steer train command that makes the same config.json as the plan', async () => {
    const scenario = await easyScenario();
    for (const [label, request] of [
      [
        'matrix',
        {
          env: 'matrix:penalty0',
          seed: 7,
          updates: 1,
          overrides: { algo: 'steer', numEnvs: 2, episodeLength: 5, ppoEpochs: 1 },
          checkpointEvery: 3,
        },
      ],
      [
        'scenario',
        {
          env: scenario,
          algo: 'steer',
          updates: 1,
          referenceQuirks: true,
          overrides: { numEnvs: 2, episodeLength: 5 },
          evaluation: { every: 1, episodes: 1 },
        },
      ],
    ] as const) {
      const plan = planNewRun(request);
      const out = `runs/${label}`;
      const argv = trainCommandLine(
        plan,
        request,
        out,
        'cpu',
        typeof request.env === 'string' ? undefined : 'scenarios/horm-easy.json',
      );
      // the algorithm has its own option, never a --set
      expect(argv.slice(argv.indexOf('--algo'), argv.indexOf('--algo') + 2)).toEqual(['--algo', 'steer']);
      expect(argv.filter((a) => a.startsWith('algo='))).toEqual([]);
      const trained = await steer([...argv, '--quiet'], dir);
      expect(trained.code, trained.stderr).toBe(0);
      const written = JSON.parse(await readFile(join(dir, out, 'config.json'), 'utf8'));
      expect(written).toEqual(JSON.parse(JSON.stringify(plan.run)));
    }
  });
});
