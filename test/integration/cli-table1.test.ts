/**
 * `steer table1` end to end with child processes (`node bin/steer.js train … --json`), on a tiny
 * budget: the run folders, the raw JSON, the results card and the table on stdout.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { threadsPerJob } from '../../src/main/table1/runTable1.js';
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
    expect(run.stderr).toContain('table1: 4 runs (2 games × 2 seeds), 2 at a time, in runs/t1');
    expect(run.stderr).toContain('table1 4/4 (100%)');
    expect(run.stdout).toMatch(/^\| method +\| Penalty k=0 +\| Mixing +\|$/m);
    expect(run.stdout).toMatch(/^\| STEER \(paper\) +\| 100% +\| 100% +\|$/m);

    const raw = JSON.parse(await readFile(join(cwd, 'out', 'table1.json'), 'utf8'));
    expect(raw).toMatchObject({
      backend: 'cpu',
      seeds: 2,
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
      await readFile(join(cwd, 'runs', 't1', 'mixing', 'seed-2', 'config.json'), 'utf8'),
    );
    expect(config.env).toBe('matrix:different_order');
    // the 2 children share the machine's cores for their update threads
    const childArgv = JSON.parse(
      await readFile(join(cwd, 'runs', 't1', 'mixing', 'seed-2', 'argv.json'), 'utf8'),
    ).created.argv as string[];
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
  });
});
