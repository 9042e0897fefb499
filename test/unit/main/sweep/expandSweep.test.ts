import { describe, expect, it } from 'vitest';
import {
  expandSweep,
  overridesHash,
  parseSweep,
  type SweepFile,
  SweepRunSchema,
} from '../../../../src/main/sweep/index.js';

function sweepOf(text: string): SweepFile {
  const result = parseSweep(text, 'yaml');
  if (!result.ok) throw new Error(result.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return result.sweep;
}

const GRID =
  'name: grid\nalgos: [steer, mappo]\nenvs: [matrix:penalty0, nstep:coordination]\n' +
  'scenarios: [{file: scenarios/horm-easy.json, density: 2}]\nseeds: 2\nupdates: 4\n';

describe('expandSweep', () => {
  it('gives algorithms × envs and scenarios × seeds runs, seed-major, with readable ids and folders', () => {
    const runs = expandSweep(sweepOf(GRID));
    expect(runs).toHaveLength(2 * 3 * 2);
    expect(runs.map((run) => run.id)).toEqual([
      'steer/matrix-penalty0/seed-1',
      'mappo/matrix-penalty0/seed-1',
      'steer/nstep-coordination/seed-1',
      'mappo/nstep-coordination/seed-1',
      'steer/horm-easy-density-2/seed-1',
      'mappo/horm-easy-density-2/seed-1',
      'steer/matrix-penalty0/seed-2',
      'mappo/matrix-penalty0/seed-2',
      'steer/nstep-coordination/seed-2',
      'mappo/nstep-coordination/seed-2',
      'steer/horm-easy-density-2/seed-2',
      'mappo/horm-easy-density-2/seed-2',
    ]);
    expect(runs[4]).toEqual({
      id: 'steer/horm-easy-density-2/seed-1',
      sweep: 'grid',
      algo: 'steer',
      env: null,
      scenario: { file: 'scenarios/horm-easy.json', density: 2 },
      seed: 1,
      updates: 4,
      overrides: {},
      referenceQuirks: false,
      checkpointEvery: 10,
      evaluation: { every: 10, episodes: 32 },
      runsDir: 'runs/sweeps/grid',
      runDir: 'runs/sweeps/grid/steer/horm-easy-density-2/seed-1',
    });
    expect(runs[0]!.evaluation).toBeNull(); // registry envs have no training-time evaluation
  });

  it('gives MA-MuJoCo runs the evaluation the file writes, with the MuJoCo defaults for what it leaves out', () => {
    const mixed =
      'name: m\nalgos: [steer]\nenvs: [matrix:penalty0, mujoco:Swimmer-2x1]\n' +
      'scenarios: [{file: scenarios/horm-easy.json}]\nseeds: 1\nupdates: 4\n';
    const evaluations = (text: string) => expandSweep(sweepOf(text)).map((run) => run.evaluation);
    // not written: scenario runs take the scenario defaults, MuJoCo runs their own at planning (null here)
    expect(evaluations(mixed)).toEqual([null, null, { every: 10, episodes: 32 }]);
    expect(evaluations(`${mixed}evaluation: {every: 5}\n`)).toEqual([
      null,
      { every: 5, episodes: 5 },
      { every: 5, episodes: 32 },
    ]);
    const mujocoOnly = 'name: m\nalgos: [steer]\nenvs: [mujoco:Swimmer-2x1]\nseeds: 1\nupdates: 4\n';
    expect(evaluations(`${mujocoOnly}evaluation: {episodes: 2}\n`)).toEqual([{ every: 25, episodes: 2 }]);
  });

  it('gives the same ids for the same file, whatever the order of its lists', () => {
    const reordered =
      'name: grid\nalgos: [mappo, steer]\nenvs: [nstep:coordination, matrix:penalty0]\n' +
      'scenarios: [{file: scenarios/horm-easy.json, density: 2}]\nseeds: [2, 1]\nupdates: 4\n';
    const ids = (text: string) => expandSweep(sweepOf(text)).map((run) => run.runDir);
    expect(ids(GRID)).toEqual(ids(GRID));
    expect(new Set(ids(reordered))).toEqual(new Set(ids(GRID)));
  });

  it('puts a hash of the overrides in the ids: one per config, not per spelling', () => {
    const withOverrides = (overrides: string) =>
      expandSweep(
        sweepOf(`name: o\nalgos: [steer]\nenvs: [matrix:penalty0]\nseeds: 1\nupdates: 3\n${overrides}`),
      );
    const [plain] = withOverrides('');
    const [a] = withOverrides('overrides: {lr: 0.001, ppoEpochs: 2}\n');
    const [b] = withOverrides('overrides: {ppoEpochs: 2, lr: 1e-3}\n');
    const [c] = withOverrides('overrides: {ppoEpochs: 3, lr: 1e-3}\n');
    const [quirks] = withOverrides('referenceQuirks: true\n');
    expect(plain!.id).toBe('steer/matrix-penalty0/seed-1');
    expect(a!.id).toMatch(/^steer\/matrix-penalty0\/set-[0-9a-f]{8}\/seed-1$/);
    expect(b!.id).toBe(a!.id);
    expect(c!.id).not.toBe(a!.id);
    expect(quirks!.id).not.toBe(plain!.id);
    expect(a!.id).toBe(
      `steer/matrix-penalty0/set-${overridesHash({ ppoEpochs: 2, lr: 0.001 }, false)}/seed-1`,
    );
    expect(overridesHash({}, false)).toBeNull();
  });

  it('makes runs that survive a trip through JSON (what a queue would carry)', () => {
    for (const run of expandSweep(sweepOf(`${GRID}overrides: {ppoEpochs: 2, valueLoss: mse}\n`))) {
      const carried = SweepRunSchema.parse(JSON.parse(JSON.stringify(run)));
      expect(carried).toEqual(run);
    }
    const [run] = expandSweep(sweepOf(GRID));
    expect(() => SweepRunSchema.parse({ ...run, scenario: { file: 'x.json', density: null } })).toThrow(
      /exactly one of env and scenario/,
    );
  });
});
