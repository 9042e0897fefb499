import { describe, expect, it } from 'vitest';
import { TABLE1_GAMES } from '../../../../src/core/envs/matrix/targets.js';
import {
  formatOurCell,
  formatTable1,
  formatTable1Report,
  summarizeTable1,
  type Table1RunResult,
} from '../../../../src/main/table1/table1Report.js';

const penalty0 = TABLE1_GAMES.find((g) => g.key === 'penalty0')!;
const mixing = TABLE1_GAMES.find((g) => g.key === 'mixing')!;
const penalty10000 = TABLE1_GAMES.find((g) => g.key === 'penalty-10000')!;

function result(game: string, seed: number, outcome: 'converged' | 'missed' | 'failed'): Table1RunResult {
  const ok = outcome !== 'failed';
  return {
    game,
    envName: `matrix:${game}`,
    seed,
    runDir: `runs/t/${game}/seed-${seed}`,
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

describe('summarizeTable1', () => {
  it('counts converged runs per game, excluding failed ones, with a Wilson interval in percent', () => {
    const results = [
      ...Array.from({ length: 18 }, (_, i) => result('penalty0', i + 1, 'converged')),
      result('penalty0', 19, 'missed'),
      result('penalty0', 20, 'failed'),
      result('mixing', 1, 'missed'),
    ];
    const [p0, mix] = summarizeTable1([penalty0, mixing], results);
    expect(p0).toMatchObject({ key: 'penalty0', runs: 19, converged: 18, failed: 1, paperPercent: 100 });
    expect(p0!.percent).toBeCloseTo((100 * 18) / 19, 10);
    expect(p0!.low).toBeGreaterThan(70);
    expect(p0!.high).toBeLessThan(100);
    expect(mix).toMatchObject({ runs: 1, converged: 0, percent: 0, low: 0 });
  });

  it('a game with no finished runs has no percentage', () => {
    const [s] = summarizeTable1([penalty0], []);
    expect(s!.percent).toBeNull();
    expect(formatOurCell(s!)).toBe('–');
  });
});

describe('formatTable1', () => {
  it('lays the table out as the paper does: games as columns, our row with its interval beside the paper row', () => {
    const results = Array.from({ length: 20 }, (_, i) => result('penalty0', i + 1, 'converged'));
    const text = formatTable1(summarizeTable1([penalty0, penalty10000], results));
    const lines = text.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^\| method +\| Penalty k=0 +\| Penalty k=−10000 +\|$/);
    expect(lines[1]).toMatch(/^\|-+\|-+\|-+\|$/);
    expect(lines[2]).toMatch(/^\| STEER \(this run, 95% Wilson interval\) \| 100% \(84–100\) +\| – +\|$/);
    expect(lines[3]).toMatch(/^\| STEER \(paper\) +\| 100% +\| – +\|$/);
    expect(lines[4]).toMatch(/^\| converged \/ runs +\| 20\/20 +\| 0\/0 +\|$/);
    // every row has the same width
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });

  it('marks failed runs in the counts row', () => {
    const text = formatTable1(summarizeTable1([penalty0], [result('penalty0', 1, 'failed')]));
    expect(text).toContain('0/0 (1 failed)');
  });
});

describe('formatTable1Report', () => {
  it('records command, date, backend, seeds, machine and lists failed runs', () => {
    const results = [result('penalty0', 1, 'converged'), result('penalty0', 2, 'failed')];
    const text = formatTable1Report(summarizeTable1([penalty0], results), {
      command: 'steer table1 --seeds 2 --games penalty0',
      date: '2026-11-25T12:00:00.000Z',
      backend: 'wasm',
      seeds: 2,
      machine: '2 × Test CPU',
      wallSeconds: 90,
      runsDir: 'runs/table1-x',
      results,
    });
    expect(text).toContain('- Command: `steer table1 --seeds 2 --games penalty0`');
    expect(text).toContain('- Date: 2026-11-25T12:00:00.000Z');
    expect(text).toContain('- Backend: wasm');
    expect(text).toContain('- Seeds: 1..2 per game');
    expect(text).toContain('- Wall time: 1.5 min');
    expect(text).toContain('| Penalty k=0 | 1 | 1 | 1 | 100% (21–100) |');
    expect(text).toContain('- penalty0 seed 2: exit code 1: steer: error: boom');
  });
});
