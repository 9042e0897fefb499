/**
 * `steer sweep bench` end to end on a tiny budget: a 2-run sweep timed with the local pool at 1 and
 * 2 processes (no queue) in two rounds (1, 2, then 2, 1), the table on stdout with each round's
 * time and the runs done over both rounds, and the results card with its rows.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { steer } from '../unit/main/cli/runCliInProcess.js';

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'steer-cli-sweep-bench-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('steer sweep bench', () => {
  it('times a 2-run sweep at 1 and 2 processes in two rounds and writes the card', async () => {
    const tiny = ['--set', 'numEnvs=1', '--set', 'episodeLength=4', '--set', 'ppoEpochs=1'];
    const args = ['sweep', 'bench', '--runs', '2', '--updates', '2', '--workers', '1,2', '--no-queue'];
    const run = await steer(
      [...args, '--rounds', '2', ...tiny, '--backend', 'wasm', '--markdown', 'card.md'],
      cwd,
    );
    expect(run.code, run.stderr).toBe(0);
    const order = run.stderr.split('\n').filter((line) => line.includes(': 2 runs ('));
    expect(order).toEqual([
      'sweep bench: local pool, 1 process: 2 runs (round 1 of 2) …',
      'sweep bench: local pool, 2 processes: 2 runs (round 1 of 2) …',
      'sweep bench: local pool, 2 processes: 2 runs (round 2 of 2) …',
      'sweep bench: local pool, 1 process: 2 runs (round 2 of 2) …',
    ]);
    expect(run.stdout).toMatch(
      /^\| local pool +\| 1 +\| [\d.]+ s \([\d.]+, [\d.]+\) +\| [\d.]+ +\| 1\.00× +\| 1\.00 +\| 4 +\|$/m,
    );
    expect(run.stdout).toMatch(
      /^\| local pool +\| 2 +\| [\d.]+ s \([\d.]+, [\d.]+\) +\| [\d.]+ +\| [\d.]+× +\| [\d.]+ +\| 4 +\|$/m,
    );
    expect(run.stdout).toContain('queue overhead per run: not measured');
    const card = await readFile(join(cwd, 'card.md'), 'utf8');
    expect(card).toMatch(/^# Sweeps: scaling with worker processes on one machine\n/);
    expect(card).toContain('- Command: `steer sweep bench --runs 2 --updates 2 --workers 1,2 --no-queue');
    expect(card).toMatch(/- Machine: \d+ × .*load average [\d.]+ at start\n/);
    expect(card).toContain('- Sweep: 2 runs of steer on matrix:penalty0, 2 updates each, numEnvs=1');
    expect(card).toContain('; 2 rounds\n');
    expect(card.match(/^\| local pool /gm)).toHaveLength(2);
  }, 240_000);
});
