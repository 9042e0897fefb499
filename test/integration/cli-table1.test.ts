/**
 * `steer table1` end to end with child processes (`node bin/steer.js train … --json`), on a tiny
 * budget: the run folders, the raw JSON, the results card and the table on stdout; `--algos` adding
 * MAPPO to the same batch (STEER's runs reused), and its refusal of names the registry lacks.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALGORITHM_NAMES } from '../../src/core/algos/registry.js';
import { threadsPerJob } from '../../src/main/workers/steerChildren.js';
import { steer } from '../unit/main/cli/runCliInProcess.js';

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'steer-cli-table1-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('steer table1', () => {
  it('trains every (game, seed) in children, judges each run and writes the card and the JSON', async () => {
    const argv = [
      'table1',
      '--seeds',
      '2',
      '--games',
      'penalty0,mixing',
      '--jobs',
      '2',
      '--backend',
      'cpu',
      '--updates',
      '1',
      '--set',
      'numEnvs=1',
      '--set',
      'episodeLength=4',
      '--set',
      'ppoEpochs=1',
      '--runs-dir',
      'runs/t1',
      '--results',
      'out/table1.md',
      '--json',
      'out/table1.json',
    ];
    const run = await steer(argv, cwd);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('table1: 4 runs (steer × 2 games × 2 seeds), 2 at a time, in runs/t1');
    expect(run.stderr).toContain('table1 4/4 (100%)');
    expect(run.stdout).toMatch(
      /^\| method: ours \(95% Wilson interval\) · paper +\| Penalty k=0 +\| Mixing +\|$/m,
    );
    expect(run.stdout).toMatch(/^\| STEER +\| \d+% \(\d+–\d+\) · 100% +\| \d+% \(\d+–\d+\) · 100% +\|$/m);

    const raw = JSON.parse(await readFile(join(cwd, 'out', 'table1.json'), 'utf8'));
    expect(raw).toMatchObject({
      backend: 'cpu',
      seeds: 2,
      algos: ['steer'],
      games: ['penalty0', 'mixing'],
      runsDir: 'runs/t1',
    });
    expect(raw.results).toHaveLength(4);
    // seed-major order; each run judged against its game's target (§c.7)
    expect(raw.results.map((r: { game: string; seed: number }) => `${r.game}/${r.seed}`)).toEqual([
      'penalty0/1',
      'mixing/1',
      'penalty0/2',
      'mixing/2',
    ]);
    for (const r of raw.results) {
      expect(r.status).toBe('ok');
      expect(r.updates).toBe(1);
      expect(r.converged).toBe(r.returns[0] === r.target[0] && r.returns[1] === r.target[1]);
    }
    expect(raw.results[1].target).toEqual([0, 5]);

    const card = await readFile(join(cwd, 'out', 'table1.md'), 'utf8');
    expect(card).toContain(`- Command: \`steer ${argv.join(' ')}\``);
    expect(card).toContain('- Backend: cpu');
    expect(card).toContain('- Seeds: 1..2 per game');
    expect(card).toMatch(/\| Penalty k=0 \| \d \| 2 \| 0 \|/);

    // run folders exist; a second invocation on the same folder reuses them (resume of finished runs)
    const config = JSON.parse(
      await readFile(join(cwd, 'runs', 't1', 'steer', 'mixing', 'seed-2', 'config.json'), 'utf8'),
    );
    expect(config.env).toBe('matrix:different_order');
    expect(config.train.algo).toBe('steer');
    // the 2 children share the machine's cores for their update threads
    const childArgv = JSON.parse(
      await readFile(join(cwd, 'runs', 't1', 'steer', 'mixing', 'seed-2', 'argv.json'), 'utf8'),
    ).created.argv as string[];
    expect(childArgv.slice(childArgv.indexOf('--algo'), childArgv.indexOf('--algo') + 2)).toEqual([
      '--algo',
      'steer',
    ]);
    expect(childArgv.slice(childArgv.indexOf('--update-threads'))).toEqual([
      '--update-threads',
      String(threadsPerJob(2)),
    ]);
    const again = await steer(argv, cwd);
    expect(again.code, again.stderr).toBe(0);
    const rawAgain = JSON.parse(await readFile(join(cwd, 'out', 'table1.json'), 'utf8'));
    expect(rawAgain.results.map((r: { returns: number[] }) => r.returns)).toEqual(
      raw.results.map((r: { returns: number[] }) => r.returns),
    );

    // the same folders with another training config are refused, run by run, naming the field:
    // resuming them would report the old config's numbers under the new command
    const otherConfig = await steer(
      [...argv, '--set', 'ppoEpochs=2', '--results', 'out/other.md', '--json', 'out/other.json'],
      cwd,
    );
    expect(otherConfig.code).toBe(1);
    const penalty1 = join(cwd, 'runs', 't1', 'steer', 'penalty0', 'seed-1');
    expect(otherConfig.stderr).toContain(
      `failed: steer penalty0 seed 1 (${penalty1}): ${penalty1} holds a run with ppoEpochs 1, not 2; move it away or use another --runs-dir`,
    );
    expect(otherConfig.stderr.match(/holds a run with ppoEpochs 1, not 2/g)).toHaveLength(4);
  });

  it("--algos mappo,steer on the same --runs-dir: MAPPO's run is trained, STEER's reused; a row each beside the paper's", async () => {
    // runs/t1 holds the STEER runs of the test above: the batch grows by one algorithm
    const before = JSON.parse(await readFile(join(cwd, 'out', 'table1.json'), 'utf8'));
    const run = await steer(
      [
        'table1',
        '--algos',
        'mappo,steer',
        '--games',
        'penalty0',
        '--seeds',
        '1',
        '--backend',
        'cpu',
        '--updates',
        '1',
        '--set',
        'numEnvs=1',
        '--set',
        'episodeLength=4',
        '--set',
        'ppoEpochs=1',
        '--runs-dir',
        'runs/t1',
        '--results',
        'out/t2.md',
        '--json',
        'out/t2.json',
      ],
      cwd,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('table1: 2 runs (mappo, steer × 1 games × 1 seeds)');
    // rows in the order asked, each with the paper's figure of its method (§c.8: MAPPO 95 %, STEER 100 %)
    const rows = run.stdout.split('\n').filter((line) => /^\| (MAPPO|STEER) /.test(line));
    expect(rows.map((line) => line.replace(/ +/g, ' '))).toEqual([
      expect.stringMatching(/^\| MAPPO \| \d+% \(\d+–\d+\) · 95% \|$/),
      expect.stringMatching(/^\| STEER \| \d+% \(\d+–\d+\) · 100% \|$/),
      expect.stringMatching(/^\| MAPPO \| [01]\/1 \|$/),
      expect.stringMatching(/^\| STEER \| [01]\/1 \|$/),
    ]);
    const config = JSON.parse(
      await readFile(join(cwd, 'runs', 't1', 'mappo', 'penalty0', 'seed-1', 'config.json'), 'utf8'),
    );
    expect(config.train.algo).toBe('mappo');
    const raw = JSON.parse(await readFile(join(cwd, 'out', 't2.json'), 'utf8'));
    expect(raw.algos).toEqual(['mappo', 'steer']);
    expect(raw.results.map((r: { algo: string; status: string }) => `${r.algo} ${r.status}`)).toEqual([
      'mappo ok',
      'steer ok',
    ]);
    // STEER's run is the one trained above, only re-evaluated: the same greedy returns
    const steerBefore = before.results.find(
      (r: { game: string; seed: number }) => r.game === 'penalty0' && r.seed === 1,
    );
    expect(raw.results[1].runDir).toBe(steerBefore.runDir);
    expect(raw.results[1].returns).toEqual(steerBefore.returns);
    const card = await readFile(join(cwd, 'out', 't2.md'), 'utf8');
    expect(card).toContain('- Algorithms: mappo, steer');
    expect(card).toMatch(/^\| MAPPO \| Penalty k=0 \| [01] \| 1 \| 0 \| \d+% \(\d+–\d+\) \| 95% \|$/m);
    expect(card).toMatch(/^\| STEER \| Penalty k=0 \| [01] \| 1 \| 0 \| \d+% \(\d+–\d+\) \| 100% \|$/m);
  });

  it('refuses an algorithm the registry lacks, and --set algo, before training anything', async () => {
    const unknown = await steer(['table1', '--algos', 'steer,nope', '--runs-dir', 'runs/t3'], cwd);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe(
      `steer: error: --algos: unknown algorithm "nope"; the algorithms are ${ALGORITHM_NAMES.join(', ')}`,
    );
    const viaSet = await steer(['table1', '--set', 'algo=steer', '--runs-dir', 'runs/t3'], cwd);
    expect(viaSet.code).toBe(1);
    expect(viaSet.stderr).toContain('--set algo=steer: name the algorithms with --algos');
    expect(existsSync(join(cwd, 'runs', 't3'))).toBe(false);
  });
});
