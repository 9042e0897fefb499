/** `steer bench --env horm --json`: one line per density and pool size, against the reference. */
import { describe, expect, it } from 'vitest';
import { steer } from '../unit/main/cli/runCliInProcess.js';

describe('steer bench --env horm --json', () => {
  it('prints policy steps/s per density on one core and on a 2-worker pool', async () => {
    const run = await steer(
      [
        'bench',
        '--env',
        'horm',
        '--json',
        '--steps',
        '30',
        '--repeats',
        '1',
        '--warmup',
        '0',
        '--workers',
        '2',
      ],
      process.cwd(),
    );
    expect(run.code, run.stderr).toBe(0);
    const figures = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(figures.map((f) => [f.density, f.workers])).toEqual([
      [1, 1],
      [1, 2],
      [2, 1],
      [2, 2],
      [3, 1],
      [3, 2],
    ]);
    for (const f of figures) {
      expect(Object.keys(f)).toEqual([
        'name',
        'density',
        'workers',
        'value',
        'unit',
        'median_of',
        'reference',
        'ratio',
      ]);
      expect(f).toMatchObject({ name: 'sim', unit: 'policy steps/s', median_of: 1 });
      expect(f.reference).toBe({ 1: 61, 2: 42, 3: 34 }[f.density as 1 | 2 | 3]);
      expect(f.value).toBeGreaterThan(0);
      expect(f.ratio).toBeCloseTo(f.value / f.reference, 12);
    }
  });

  it('refuses network options with --env horm and sim options without it', async () => {
    const shapes = await steer(['bench', '--env', 'horm', '--shapes', 'HORM'], process.cwd());
    expect(shapes.stderr).toContain('--shapes: not used by --env horm');
    const workers = await steer(['bench', '--workers', '2'], process.cwd());
    expect(workers.stderr).toContain('--workers: only with --env');
    const unknown = await steer(['bench', '--env', 'football'], process.cwd());
    expect(unknown.stderr).toContain('--env: unknown env "football"; valid: horm, mujoco, mujoco:<game>');
  });
});
