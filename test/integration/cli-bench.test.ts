/** `steer bench --json` prints one line per figure with the fields docs/spec/performance.md asks for. */
import { describe, expect, it } from 'vitest';
import { steer } from '../unit/main/cli/runCliInProcess.js';

describe('steer bench --json', () => {
  it('prints inference and update figures of the MATRIX shape against the reference', async () => {
    const run = await steer(
      ['bench', '--json', '--backend', 'wasm', '--shapes', 'MATRIX', '--repeats', '1', '--warmup', '0'],
      process.cwd(),
    );
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    const figures = lines.map((line) => JSON.parse(line));
    expect(figures.map((f) => Object.keys(f))).toEqual([
      ['name', 'shape', 'backend', 'value', 'unit', 'median_of', 'reference', 'ratio'],
      ['name', 'shape', 'backend', 'value', 'unit', 'median_of', 'reference', 'ratio'],
    ]);
    expect(figures[0]).toMatchObject({
      name: 'inference',
      shape: 'MATRIX',
      backend: 'wasm',
      unit: 'agent decisions/s',
      median_of: 1,
      reference: 12_353,
    });
    expect(figures[1]).toMatchObject({ name: 'update', unit: 'joint samples/s', reference: 15_582 });
    for (const f of figures) {
      expect(f.value).toBeGreaterThan(0);
      expect(f.ratio).toBeCloseTo(f.value / f.reference, 12);
    }
  });
});
