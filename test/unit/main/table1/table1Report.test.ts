import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TABLE1_GAMES } from '../../../../src/core/envs/matrix/targets.js';
import { PAPER_TABLE1 } from '../../../../src/main/table1/paperTable1.js';
import {
  formatOurCell,
  formatTable1,
  formatTable1Report,
  summarizeTable1,
  type Table1RunResult,
} from '../../../../src/main/table1/table1Report.js';
import { REPOSITORY_ROOT } from '../../../../src/main/web/browserHarness.js';

const penalty0 = TABLE1_GAMES.find((g) => g.key === 'penalty0')!;
const mixing = TABLE1_GAMES.find((g) => g.key === 'mixing')!;
const penalty10000 = TABLE1_GAMES.find((g) => g.key === 'penalty-10000')!;

function result(
  game: string,
  seed: number,
  outcome: 'converged' | 'missed' | 'failed',
  algo = 'steer',
): Table1RunResult {
  const ok = outcome !== 'failed';
  return {
    algo,
    game,
    envName: `matrix:${game}`,
    seed,
    runDir: `runs/t/${algo}/${game}/seed-${seed}`,
    action: seed === 1 ? 'skipped' : 'trained',
    status: ok ? 'ok' : 'failed',
    converged: outcome === 'converged',
    returns: ok ? [10, 10] : null,
    target: [10, 10],
    actions: ok ? [[0, 2]] : null,
    updates: ok ? 100 : null,
    seconds: 1,
    ...(ok ? {} : { error: 'exit code 1: steer: error: boom' }),
  };
}

/** `n` seeds of `game` for `algo`, the first `converged` of them converged. */
function seeds(algo: string, game: string, n: number, converged: number): Table1RunResult[] {
  return Array.from({ length: n }, (_, i) =>
    result(game, i + 1, i < converged ? 'converged' : 'missed', algo),
  );
}

describe('summarizeTable1', () => {
  it('counts converged runs per game, excluding failed ones, with a Wilson interval in percent', () => {
    const results = [
      ...Array.from({ length: 18 }, (_, i) => result('penalty0', i + 1, 'converged')),
      result('penalty0', 19, 'missed'),
      result('penalty0', 20, 'failed'),
      result('mixing', 1, 'missed'),
    ];
    const [steer] = summarizeTable1(['steer'], [penalty0, mixing], results);
    expect(steer).toMatchObject({ algo: 'steer', label: 'STEER' });
    const [p0, mix] = steer!.games;
    expect(p0).toMatchObject({ key: 'penalty0', runs: 19, converged: 18, failed: 1, paperPercent: 100 });
    expect(p0!.percent).toBeCloseTo((100 * 18) / 19, 10);
    expect(p0!.low).toBeGreaterThan(70);
    expect(p0!.high).toBeLessThan(100);
    expect(mix).toMatchObject({ runs: 1, converged: 0, percent: 0, low: 0 });
  });

  it("keeps each algorithm's runs apart, with its own paper figures, in the order asked", () => {
    const results = [
      ...seeds('steer', 'mixing', 4, 4),
      ...seeds('mappo', 'mixing', 4, 1),
      ...seeds('x', 'mixing', 2, 2),
    ];
    const summaries = summarizeTable1(['mappo', 'steer', 'x'], [mixing], results);
    expect(summaries.map((s) => [s.algo, s.label, s.games[0]!.converged, s.games[0]!.runs])).toEqual([
      ['mappo', 'MAPPO', 1, 4],
      ['steer', 'STEER', 4, 4],
      ['x', 'x', 2, 2],
    ]);
    expect(summaries.map((s) => s.games[0]!.paperPercent)).toEqual([
      PAPER_TABLE1.mappo!.percent.mixing,
      PAPER_TABLE1.steer!.percent.mixing,
      null, // no row in the paper
    ]);
  });

  it('a game with no finished runs has no percentage', () => {
    const [s] = summarizeTable1(['steer'], [penalty0], []);
    expect(s!.games[0]!.percent).toBeNull();
    expect(formatOurCell(s!.games[0]!)).toBe('–');
  });
});

describe('formatTable1', () => {
  it("lays the table out as the paper does: games as columns, a row per method with its interval and the paper's figure", () => {
    const results = seeds('steer', 'penalty0', 20, 20);
    const text = formatTable1(summarizeTable1(['steer'], [penalty0, penalty10000], results));
    const [percentages, counts] = text.split('\n\n').map((table) => table.split('\n'));
    expect(percentages).toHaveLength(3);
    expect(percentages![0]).toMatch(
      /^\| method: ours \(95% Wilson interval\) · paper +\| Penalty k=0 +\| Penalty k=−10000 +\|$/,
    );
    expect(percentages![1]).toMatch(/^\|-+\|-+\|-+\|$/);
    expect(percentages![2]).toMatch(/^\| STEER +\| 100% \(84–100\) · 100% +\| – · – +\|$/);
    expect(counts).toHaveLength(3);
    expect(counts![0]).toMatch(/^\| converged \/ runs +\| Penalty k=0 +\| Penalty k=−10000 +\|$/);
    expect(counts![2]).toMatch(/^\| STEER +\| 20\/20 +\| 0\/0 +\|$/);
    // every row of a table has the same width
    for (const table of [percentages!, counts!]) expect(new Set(table.map((l) => l.length)).size).toBe(1);
  });

  it('has one row per algorithm in each table, ours beside the paper’s', () => {
    const results = [...seeds('steer', 'penalty0', 20, 20), ...seeds('mappo', 'penalty0', 20, 0)];
    const text = formatTable1(summarizeTable1(['steer', 'mappo', 'steer-itb-only'], [penalty0], results));
    const rows = text.split('\n').filter((line) => /^\| (STEER|MAPPO|steer-itb-only) /.test(line));
    expect(rows).toHaveLength(6);
    expect(rows[0]).toMatch(/^\| STEER +\| 100% \(84–100\) · 100% +\|$/);
    expect(rows[1]).toMatch(/^\| MAPPO +\| 0% \(0–16\) · 95% +\|$/);
    expect(rows[2]).toMatch(/^\| steer-itb-only +\| – · – +\|$/);
    expect(rows.slice(3).map((r) => r.replace(/ +/g, ' '))).toEqual([
      '| STEER | 20/20 |',
      '| MAPPO | 0/20 |',
      '| steer-itb-only | 0/0 |',
    ]);
  });

  it("with the paper's five methods on every game, prints the paper's whole Table 1 (docs/spec/steer.md §c.8)", () => {
    const spec = readFileSync(join(REPOSITORY_ROOT, 'docs', 'spec', 'steer.md'), 'utf8');
    const section = spec.slice(spec.indexOf('### c.8'), spec.indexOf('\n## d.'));
    const specRows = section
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| method'))
      .map((line) =>
        line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
    const text = formatTable1(summarizeTable1(['steer', 'step', 'mat', 'happo', 'mappo'], TABLE1_GAMES, []));
    const [header, , ...rows] = text.split('\n\n')[0]!.split('\n');
    const cells = (line: string) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim());
    const columns = cells(header!).slice(1);
    expect(columns).toEqual(TABLE1_GAMES.map((g) => g.label));
    // the spec's columns are the games without k = −10000 (a claim of the paper, no figure)
    const printed = new Map(
      rows.map((line) => {
        const [method, ...row] = cells(line);
        const paper = row.map((cell) => cell.split(' · ')[1]!);
        return [method!, paper.filter((_, c) => TABLE1_GAMES[c]!.key !== 'penalty-10000')];
      }),
    );
    expect([...printed.keys()]).toEqual(['STEER', 'STEP', 'MAT', 'HAPPO', 'MAPPO']);
    expect(specRows.map(([method]) => method).sort()).toEqual([...printed.keys()].sort());
    for (const [method, ...figures] of specRows) {
      // "100 (printed without %)" is STEP's Mixing cell: the figure is its leading number
      expect(printed.get(method!), method).toEqual(figures.map((cell) => `${/^(\d+)/.exec(cell)![1]}%`));
    }
    for (const line of rows)
      expect(cells(line)[1 + TABLE1_GAMES.findIndex((g) => g.key === 'penalty-10000')]).toBe('– · –');
  });

  it('marks failed runs in the counts', () => {
    const text = formatTable1(summarizeTable1(['steer'], [penalty0], [result('penalty0', 1, 'failed')]));
    expect(text).toContain('0/0 (1 failed)');
  });
});

describe('formatTable1Report', () => {
  const info = {
    command: 'steer table1 --seeds 2 --games penalty0',
    date: '2026-11-25T12:00:00.000Z',
    backend: 'wasm',
    seeds: 2,
    machine: '2 × Test CPU',
    wallSeconds: 90,
    runsDir: 'runs/table1-x',
  };

  it('records command, date, backend, seeds, machine and lists failed runs', () => {
    const results = [result('penalty0', 1, 'converged'), result('penalty0', 2, 'failed')];
    const text = formatTable1Report(summarizeTable1(['steer'], [penalty0], results), { ...info, results });
    expect(text).toMatch(/^# Table 1: share of seeds converging to the target strategy \(STEER\)$/m);
    expect(text).toContain('- Command: `steer table1 --seeds 2 --games penalty0`');
    expect(text).toContain('- Date: 2026-11-25T12:00:00.000Z');
    expect(text).toContain('- Backend: wasm');
    expect(text).toContain('- Algorithms: steer');
    expect(text).toContain('- Seeds: 1..2 per game');
    expect(text).toContain(
      '- Wall time: 1.5 min (this invocation: 1 trained, 0 resumed, 1 already finished)',
    );
    expect(text).toContain('| STEER | Penalty k=0 | 1 | 1 | 1 | 100% (21–100) | 100% |');
    expect(text).toContain('- steer penalty0 seed 2: exit code 1: steer: error: boom');
  });

  it('with two algorithms: both in the title and the list, per game one line each', () => {
    const results = [...seeds('steer', 'mixing', 2, 2), ...seeds('mappo', 'mixing', 2, 1)];
    const text = formatTable1Report(summarizeTable1(['steer', 'mappo'], [mixing], results), {
      ...info,
      results,
    });
    expect(text).toMatch(/^# Table 1: share of seeds converging to the target strategy \(STEER, MAPPO\)$/m);
    expect(text).toContain('- Algorithms: steer, mappo');
    expect(text).toContain('| STEER | Mixing | 2 | 2 | 0 | 100% (34–100) | 100% |');
    expect(text).toContain(
      `| MAPPO | Mixing | 1 | 2 | 0 | 50% (9–91) | ${PAPER_TABLE1.mappo!.percent.mixing}% |`,
    );
  });
});
