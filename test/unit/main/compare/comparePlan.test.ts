import { describe, expect, it } from 'vitest';
import { evaluationCachePath, planCompare } from '../../../../src/main/compare/comparePlan.js';

describe('planCompare', () => {
  it('plans every algorithm × seed, seed-major, each in a folder of its own', () => {
    expect(
      planCompare(['steer', 'mappo'], 2, 'runs/c').map((j) => `${j.seed} ${j.algo} ${j.runDir}`),
    ).toEqual([
      '1 steer runs/c/steer/seed-1',
      '1 mappo runs/c/mappo/seed-1',
      '2 steer runs/c/steer/seed-2',
      '2 mappo runs/c/mappo/seed-2',
    ]);
  });

  it("names a run's folder and evaluation the same whatever runs beside it, so a comparison can grow", () => {
    const alone = planCompare(['steer'], 3, 'runs/c');
    const more = planCompare(['happo', 'steer'], 5, 'runs/c').filter((j) => j.algo === 'steer');
    expect(more.slice(0, 3)).toEqual(alone);
    expect(evaluationCachePath('runs/c', alone[1]!)).toBe('runs/c/evaluations/steer-seed-2.json');
  });
});
