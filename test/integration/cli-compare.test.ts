/**
 * `steer compare` end to end with child processes on a tiny budget: two algorithms × two seeds on
 * matrix:penalty0, the learning-curve SVG and PNG, the card and its table, a rerun that skips every
 * finished run (no child, no file of a run touched), a rerun with another budget or config refused
 * per run, and the refusals that come before any training.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { steer } from '../unit/main/cli/runCliInProcess.js';

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'steer-cli-compare-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const argv = [
  'compare',
  '--env',
  'matrix:penalty0',
  '--algos',
  'steer,mappo',
  '--seeds',
  '2',
  '--updates',
  '2',
  '--set',
  'numEnvs=1',
  '--set',
  'episodeLength=4',
  '--set',
  'ppoEpochs=1',
  '--jobs',
  '2',
  '--backend',
  'cpu',
  '--runs-dir',
  'runs/c',
  '--out',
  'out/compare-penalty0.md',
];

describe('steer compare', () => {
  it('trains algorithms × seeds in children, draws the curves, prints the table, writes the card; a rerun skips', async () => {
    const run = await steer(argv, cwd);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      'compare: 4 runs (steer, mappo × 2 seeds) on matrix:penalty0, 2 at a time, in runs/c',
    );
    expect(run.stderr).toContain('compare 4/4 (100%) | trained 4 | resumed 0 | skipped 0');

    // the table: one row per algorithm, both seeds evaluated by §c.7
    for (const algo of ['steer', 'mappo']) {
      expect(run.stdout).toMatch(
        new RegExp(
          `^\\| ${algo} +\\| 2 +\\| [-\\d.]+ \\[[-\\d.]+, [-\\d.]+\\] +\\| [0-2]/2 = \\d+% \\[\\d+, \\d+\\] +\\|$`,
          'm',
        ),
      );
    }

    // the charts beside the card
    const svg = await readFile(join(cwd, 'out', 'compare-penalty0-train-episodeReturn.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<g class="mark-line role-mark/g)).toHaveLength(2);
    expect(svg).toContain('steer');
    expect(svg).toContain('mappo');
    const png = await readFile(join(cwd, 'out', 'compare-penalty0-train-episodeReturn.png'));
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);

    const card = await readFile(join(cwd, 'out', 'compare-penalty0.md'), 'utf8');
    expect(card).toContain(`- Command: \`steer ${argv.join(' ')}\``);
    expect(card).toContain('- Backend: cpu');
    expect(card).toContain(
      '- Budget: 2 PPO updates per run (8 env steps); --set numEnvs=1 --set episodeLength=4 --set ppoEpochs=1',
    );
    expect(card).toContain('(4 trained, 0 resumed, 0 already finished)');
    expect(card).toMatch(/^\| steer +\| 2 +\|/m);
    expect(card).toMatch(/^\| mappo +\| 2 +\|/m);
    expect(card).toContain('](compare-penalty0-train-episodeReturn.png)');
    const config = JSON.parse(
      await readFile(join(cwd, 'runs', 'c', 'mappo', 'seed-2', 'config.json'), 'utf8'),
    );
    expect(config).toMatchObject({
      env: 'matrix:penalty0',
      totalUpdates: 2,
      train: { algo: 'mappo', seed: 2 },
    });

    // a rerun skips every finished run: no run file is touched, the same table comes out
    const metrics = join(cwd, 'runs', 'c', 'steer', 'seed-1', 'metrics.jsonl');
    const before = await stat(metrics);
    const again = await steer(argv, cwd);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('compare 4/4 (100%) | trained 0 | resumed 0 | skipped 4');
    expect(again.stdout).toBe(run.stdout);
    expect((await stat(metrics)).mtimeMs).toBe(before.mtimeMs);
    expect(await readFile(join(cwd, 'out', 'compare-penalty0.md'), 'utf8')).toContain(
      '(0 trained, 0 resumed, 4 already finished)',
    );

    // another budget in the same folders is refused per run, not mixed in
    const other = await steer([...argv.slice(0, 8), '3', ...argv.slice(9), '--out', 'out/other.md'], cwd);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(
      `failed: steer seed 1 (${join(cwd, 'runs', 'c', 'steer', 'seed-1')}): ${join(cwd, 'runs', 'c', 'steer', 'seed-1')} holds a run with updates 2, not 3; move it away or use another --runs-dir`,
    );

    // so is the same budget with another training config: the card would state --set entropyCoef=0.05
    // while the numbers came from the preset's 0.2; nothing is trained or skipped as if it were one
    const otherConfig = await steer(
      [...argv, '--set', 'entropyCoef=0.05', '--out', 'out/other-config.md'],
      cwd,
    );
    expect(otherConfig.code).toBe(1);
    expect(otherConfig.stderr).toContain('compare 4/4 (100%) | trained 0 | resumed 0 | skipped 0 | failed 4');
    const mappo2 = join(cwd, 'runs', 'c', 'mappo', 'seed-2');
    expect(otherConfig.stderr).toContain(
      `failed: mappo seed 2 (${mappo2}): ${mappo2} holds a run with entropyCoef 0.2, not 0.05; move it away or use another --runs-dir`,
    );
    expect((await stat(metrics)).mtimeMs).toBe(before.mtimeMs);
  });

  it('refuses bad options in one line naming the option, before training anything', async () => {
    const cases: [string[], string][] = [
      [['compare', '--env', 'matrix:penalty0', '--updates', '2'], 'steer: error: missing --algos <names>'],
      [
        ['compare', '--env', 'matrix:penalty0', '--algos', 'steer,nope', '--updates', '2'],
        'steer: error: --algos: unknown algorithm "nope"',
      ],
      [['compare', '--env', 'matrix:penalty0', '--algos', 'steer'], 'steer: error: missing --updates <n>'],
      [
        ['compare', '--algos', 'steer', '--updates', '2'],
        'steer: error: --env <name> or --scenario <file>: give exactly one',
      ],
      [
        ['compare', '--env', 'matrix:nope', '--algos', 'steer', '--updates', '2'],
        'steer: error: --env matrix:nope: Unknown env',
      ],
      [
        ['compare', '--env', 'matrix:penalty0', '--algos', 'steer', '--updates', '2', '--x', 'time'],
        'steer: error: --x time: expected update or envSteps',
      ],
      [
        ['compare', '--env', 'matrix:penalty0', '--algos', 'steer', '--updates', '2', '--set', 'algo=mat'],
        'steer: error: --set algo=…: name the algorithms with --algos',
      ],
      [
        ['compare', '--env', 'matrix:penalty0', '--algos', 'steer', '--updates', '2', '--density', '2'],
        'steer: error: --density: only with --scenario',
      ],
      [
        ['compare', '--env', 'matrix:penalty0', '--algos', 'steer', '--updates', '2', '--set', 'numHeads=3'],
        'steer: error: --set: Invalid training configuration: config.numHeads: expected a divisor of embedDim (64), received 3',
      ],
    ];
    for (const [args, message] of cases) {
      const run = await steer([...args, '--runs-dir', 'runs/bad', '--out', 'out/bad.md'], cwd);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toContain(message);
    }
    expect(existsSync(join(cwd, 'runs', 'bad'))).toBe(false);
    expect(existsSync(join(cwd, 'out', 'bad.md'))).toBe(false);
  });
});
