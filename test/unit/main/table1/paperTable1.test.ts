/**
 * The paper's Table 1 (src/main/table1/paperTable1.ts) is the table of docs/spec/steer.md §c.8,
 * read here from the spec itself: every method row, every printed figure in its column, and no
 * figure for Penalty k = −10000 (a claim of the paper, not a column). Every Table 1 game has a
 * value (or null) in every row.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TABLE1_GAMES } from '../../../../src/core/envs/matrix/targets.js';
import { methodLabel, PAPER_TABLE1, paperPercent } from '../../../../src/main/table1/paperTable1.js';
import { REPOSITORY_ROOT } from '../../../../src/main/web/browserHarness.js';

/** §c.8's table: method → its cells, in the spec's column order. */
function specTable(): Map<string, string[]> {
  const spec = readFileSync(join(REPOSITORY_ROOT, 'docs', 'spec', 'steer.md'), 'utf8');
  const section = spec.slice(spec.indexOf('### c.8'), spec.indexOf('\n## d.'));
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| method'))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  return new Map(rows.map(([method, ...cells]) => [method!, cells]));
}

/** The spec's columns as Table1Game keys. */
const SPEC_COLUMNS = ['penalty0', 'penalty-100', 'penalty-1000', 'mixing', 'coordination', 'cooperation'];

describe('PAPER_TABLE1', () => {
  it('holds every row of docs/spec/steer.md §c.8, figure for figure', () => {
    const table = specTable();
    expect([...table.keys()].sort()).toEqual(
      Object.values(PAPER_TABLE1)
        .map((row) => row.method)
        .sort(),
    );
    for (const [algo, row] of Object.entries(PAPER_TABLE1)) {
      const cells = table.get(row.method)!;
      // "100 (printed without %)" is STEP's Mixing cell: the leading number is the figure
      const printed = cells.map((cell) => Number(/^(\d+)/.exec(cell)![1]));
      expect(
        SPEC_COLUMNS.map((key) => paperPercent(algo, key)),
        row.method,
      ).toEqual(printed);
      expect(paperPercent(algo, 'penalty-10000')).toBeNull();
    }
  });

  it('has a value or null for every Table 1 game in every row', () => {
    for (const row of Object.values(PAPER_TABLE1)) {
      expect(Object.keys(row.percent).sort()).toEqual(TABLE1_GAMES.map((g) => g.key).sort());
    }
  });

  it("names an algorithm by the paper's method, else by its registry name; no row, no figure", () => {
    expect(methodLabel('steer')).toBe('STEER');
    expect(methodLabel('mappo')).toBe('MAPPO');
    expect(methodLabel('steer-itb-only')).toBe('steer-itb-only');
    expect(paperPercent('steer-itb-only', 'penalty0')).toBeNull();
    expect(paperPercent('constructor', 'penalty0')).toBeNull();
    expect(methodLabel('constructor')).toBe('constructor');
  });
});
