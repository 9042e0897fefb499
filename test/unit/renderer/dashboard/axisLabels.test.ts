/** Axis tick labels (src/renderer/dashboard/axisLabels.ts): enough decimals for the ticks to differ. */
import { describe, expect, it } from 'vitest';
import { tickLabels } from '../../../../src/renderer/dashboard/axisLabels.js';

describe('tickLabels', () => {
  it('gives a narrow entropy axis enough decimals to tell its ticks apart (not "1.609 / 1.609")', () => {
    const ticks = [1.6094, 1.6096, 1.6098000000000001];
    expect(tickLabels(ticks)).toEqual(['1.6094', '1.6096', '1.6098']);
    expect(new Set(tickLabels([1.60943, 1.60944, 1.60945])).size).toBe(3);
  });

  it('uses no more decimals than the spacing needs', () => {
    expect(tickLabels([0, 500, 1000])).toEqual(['0', '500', '1000']);
    expect(tickLabels([-0.5, 0, 0.5, 1])).toEqual(['-0.5', '0.0', '0.5', '1.0']);
    expect(tickLabels([0.1, 0.2, 0.30000000000000004])).toEqual(['0.1', '0.2', '0.3']);
    expect(tickLabels([-1e-17, 0.25])).toEqual(['0.00', '0.25']);
  });

  it('labels a lone tick with about four significant digits', () => {
    expect(tickLabels([1.6094379])).toEqual(['1.609']);
    expect(tickLabels([250.5])).toEqual(['250.5']);
    expect(tickLabels([])).toEqual([]);
  });
});
