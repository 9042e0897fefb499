import { describe, expect, it } from 'vitest';
import { parseSweep, type SweepFile } from '../../../../src/main/sweep/index.js';
import { RUN_DEFAULTS } from '../../../../src/main/train/runPlan.js';

/** The issues of `text` as `path: message` lines (the file name is added by the caller). */
function issuesOf(text: string, format: 'json' | 'yaml' = 'yaml'): string[] {
  const result = parseSweep(text, format);
  if (result.ok) throw new Error(`expected issues, the sweep was accepted: ${JSON.stringify(result.sweep)}`);
  return result.issues.map((issue) => `${issue.path}: ${issue.message}`);
}

function sweepOf(text: string, format: 'json' | 'yaml' = 'yaml'): SweepFile {
  const result = parseSweep(text, format);
  if (!result.ok) throw new Error(result.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return result.sweep;
}

const MINIMAL = 'name: demo\nalgos: [steer]\nenvs: [matrix:penalty0]\nseeds: 2\nupdates: 3\n';

describe('parseSweep: a valid file', () => {
  it('fills in every default and makes env names canonical', () => {
    expect(
      sweepOf('name: demo\nalgos: [steer, mappo]\nenvs: [matrix:mixing]\nseeds: 3\nupdates: 5\n'),
    ).toEqual({
      name: 'demo',
      algos: ['steer', 'mappo'],
      envs: ['matrix:different_order'],
      scenarios: [],
      seeds: [1, 2, 3],
      updates: 5,
      overrides: {},
      referenceQuirks: false,
      checkpointEvery: RUN_DEFAULTS.checkpointEvery,
      evaluation: null,
      mujocoEvaluation: null,
      runsDir: 'runs/sweeps/demo',
      jobs: 2,
    });
  });

  it('reads the same sweep from JSON and from YAML', () => {
    const yaml = [
      'version: 1',
      'name: both',
      'algos: [steer]',
      'scenarios:',
      '  - file: scenarios/horm-easy.json',
      '    density: 2',
      'seeds: [4, 1]',
      'updates: 7',
      'overrides:',
      '  ppoEpochs: 2',
      '  lr: 1e-3',
      '  valueLoss: mse',
      'referenceQuirks: true',
      'checkpointEvery: 5',
      'evaluation: {every: 2}',
      'runsDir: runs/elsewhere',
      'jobs: 3',
    ].join('\n');
    const json = JSON.stringify({
      version: 1,
      name: 'both',
      algos: ['steer'],
      scenarios: [{ file: 'scenarios/horm-easy.json', density: 2 }],
      seeds: [4, 1],
      updates: 7,
      overrides: { ppoEpochs: 2, lr: 0.001, valueLoss: 'mse' },
      referenceQuirks: true,
      checkpointEvery: 5,
      evaluation: { every: 2 },
      runsDir: 'runs/elsewhere',
      jobs: 3,
    });
    const fromYaml = sweepOf(yaml, 'yaml');
    expect(sweepOf(json, 'json')).toEqual(fromYaml);
    expect(fromYaml.seeds).toEqual([4, 1]); // a list is kept in its order
    expect(fromYaml.evaluation).toEqual({ every: 2, episodes: RUN_DEFAULTS.trainingEvaluation.episodes });
  });
});

describe('parseSweep: located problems', () => {
  it('names the field of an unknown algorithm and env and lists the valid names', () => {
    const issues = issuesOf(
      'name: demo\nalgos: [steer, mappo, nope]\nenvs: [matrix:penalty0, matrix:nope]\nseeds: 1\nupdates: 3\n',
    );
    expect(issues).toHaveLength(2);
    expect(issues[0]).toMatch(/^algos\[2\]: unknown algorithm "nope"; the algorithms are steer, mappo, /);
    expect(issues[1]).toMatch(/^envs\[1\]: Unknown env "matrix:nope": .*Valid names: .*matrix:penalty-100/);
  });

  it('checks every override key and value as --set does, with the valid keys', () => {
    const issues = issuesOf(
      `${MINIMAL}overrides: {ppoEpochs: 0, seed: 3, algo: mat, colour: red, entropyCoef: 0.1}\n`,
    );
    expect(issues[0]).toBe('overrides.ppoEpochs: expected at least 1, received 0');
    expect(issues[1]).toBe('overrides.seed: the seeds are the `seeds` field, not an override');
    expect(issues[2]).toBe('overrides.algo: the algorithms are the `algos` field, not an override');
    expect(issues[3]).toMatch(
      /^overrides\.colour: unknown training config key "colour"; the keys are numEnvs, /,
    );
    expect(issues[3]).not.toContain(' algo,');
    expect(issues).toHaveLength(4);
  });

  it('names unknown fields, out-of-range numbers and missing fields', () => {
    expect(
      issuesOf(
        'name: demo\nalgos: [steer]\nenvs: [matrix:penalty0]\nseeds: [1, -2]\ncolour: red\n' +
          'scenarios: [{file: a.json, density: 4, x: 1}]\njobs: 0\n',
      ),
    ).toEqual([
      'scenarios[0].density: expected 1, 2 or 3, received 4',
      'scenarios[0].x: unknown field "x"; a scenario entry takes file, density',
      'seeds[1]: expected integer in [0, 2147483647], received -2',
      'updates: expected integer in [1, 100000], received nothing (the field is missing)',
      'jobs: expected integer in [1, 256], received 0',
      'colour: unknown field "colour"; a sweep takes version, name, algos, envs, scenarios, seeds, updates, overrides, referenceQuirks, checkpointEvery, evaluation, runsDir, jobs',
    ]);
  });

  it('locates syntax errors by line and column, in YAML and in JSON', () => {
    expect(issuesOf('name: demo\nalgos: [steer\nenvs: []\n')).toEqual([
      '(root): invalid YAML at line 3, column 1: missed comma between flow collection entries',
    ]);
    expect(issuesOf('name: a\nname: b\n')).toEqual([
      '(root): invalid YAML at line 2, column 1: duplicated mapping key',
    ]);
    expect(issuesOf('{"name": "demo",\n  "algos": ["steer"],,\n}', 'json')).toEqual([
      `(root): invalid JSON at line 2, column 22: expected a double-quoted property name, found ','`,
    ]);
    expect(issuesOf('  \n')).toEqual([
      '(root): expected a sweep (an object of fields), received an empty file',
    ]);
    expect(issuesOf('- steer\n')[0]).toMatch(
      /^\(root\): expected a sweep \(an object with .*\), received an array of 1$/,
    );
  });

  it('refuses what the fields cannot be together', () => {
    expect(issuesOf('name: demo\nalgos: [steer]\nseeds: 1\nupdates: 3\n')).toEqual([
      '(root): expected envs (registry names such as matrix:penalty-100) or scenarios (files), or both',
    ]);
    expect(issuesOf(`${MINIMAL}evaluation: {episodes: 4}\n`)).toEqual([
      "evaluation: only for scenario runs (scenarios), MA-MuJoCo envs (mujoco:…) and bridged envs (pettingzoo:…): another registry env's run is judged by one greedy episode",
    ]);
    expect(
      issuesOf(
        'name: demo\nalgos: [steer]\nenvs: [matrix:penalty0]\nseeds: 1000\nupdates: 1\n'
          .replace(
            '[steer]',
            '[steer, mappo, mat, step, happo, steer-itb-mlp, steer-otb-gru, steer-itb-only, steer-otb-only]',
          )
          .replace('[matrix:penalty0]', '[matrix:penalty0, matrix:penalty-100]'),
      ),
    ).toEqual(['(root): expected at most 10000 runs, received 18000 (9 algorithms × 2 envs × 1000 seeds)']);
  });

  it('refuses entries that would give the same runs', () => {
    expect(
      issuesOf(
        'name: demo\nalgos: [steer, mappo, steer]\nenvs: [matrix:mixing, matrix:different_order]\n' +
          'scenarios: [{file: a/easy.json}, {file: b/easy.json}, {file: c/easy.json, density: 2}]\n' +
          'seeds: [1, 2, 1]\nupdates: 3\n',
      ),
    ).toEqual([
      'algos[2]: "steer" gives the same runs as algos[0]',
      'seeds[2]: seed 1 gives the same runs as seeds[0]',
      'envs[1]: "matrix:different_order" gives the same runs as envs[0]',
      'scenarios[1]: "b/easy.json" gives the same runs as scenarios[0]',
    ]);
  });

  it('plans every algorithm on every env, so a config the planner refuses is found before running', () => {
    expect(issuesOf(`${MINIMAL}overrides: {numHeads: 3}\n`)).toEqual([
      'overrides: steer on matrix:penalty0: Invalid training configuration: config.numHeads: expected a divisor of embedDim (64), received 3',
    ]);
  });
});
