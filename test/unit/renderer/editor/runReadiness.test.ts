/**
 * When ▶ Run can be pressed (src/renderer/editor/runReadiness.ts): not with problems, not without
 * the host, and not with a trained model of another CAV count than the scenario's, saying why.
 */
import { describe, expect, it } from 'vitest';
import { draftCavCount, RUN_TITLE, runReadiness } from '../../../../src/renderer/editor/runReadiness.js';
import { blankDraft, placeVehicle } from '../../../../src/renderer/editor/scenarioDraft.js';

const EASY = { path: 'models/horm-easy', env: 'horm:density-1', agents: 2, scenario: 'HORM easy' };
const runs = [EASY];
const trained = { kind: 'run', path: EASY.path } as const;

describe('runReadiness', () => {
  it('disables Run for a trained model whose CAV count differs from the scenario’s, naming both', () => {
    const draft = blankDraft();
    placeVehicle(draft, 'a-b-0', 100, 'cav');
    placeVehicle(draft, 'a-b-0', 150, 'cav');
    placeVehicle(draft, 'j-k-0', 120, 'cav');
    const cavs = draftCavCount(draft);
    expect(cavs).toBe(3);
    expect(runReadiness({ issueCount: 0, connected: true, model: trained, runs, cavs })).toEqual({
      disabled: true,
      title:
        'models/horm-easy was trained with 2 CAVs; this scenario has 3. Give it 2, or pick another model',
    });
    // The same scenario with 2 CAVs, or a baseline with 3: Run.
    expect(runReadiness({ issueCount: 0, connected: true, model: trained, runs, cavs: 2 })).toEqual({
      disabled: false,
      title: RUN_TITLE,
    });
    const baseline = { kind: 'baseline', policy: 'merge' } as const;
    expect(runReadiness({ issueCount: 0, connected: true, model: baseline, runs, cavs }).disabled).toBe(
      false,
    );
  });

  it('counts density traffic as density + 1 CAVs', () => {
    const draft = blankDraft();
    draft.trafficMode = 'density';
    draft.density = 1;
    expect(draftCavCount(draft)).toBe(2);
    draft.density = 'x';
    expect(draftCavCount(draft)).toBe(-1);
  });

  it('waits for the problems to be fixed and for the host first', () => {
    expect(runReadiness({ issueCount: 2, connected: true, model: trained, runs, cavs: 2 })).toEqual({
      disabled: true,
      title: `${RUN_TITLE} (fix the 2 problems first)`,
    });
    expect(runReadiness({ issueCount: 0, connected: false, model: null, runs, cavs: 2 }).disabled).toBe(true);
  });
});
