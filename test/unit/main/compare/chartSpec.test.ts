import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { learningCurveSpec } from '../../../../src/main/compare/chartSpec.js';
import type { CurvePoint } from '../../../../src/main/compare/curves.js';

const points: CurvePoint[] = [
  { algo: 'steer', x: 1, mean: 3, low: 1, high: 5, n: 2 },
  { algo: 'steer', x: 2, mean: 4, low: 2, high: 6, n: 2 },
  { algo: 'mappo', x: 1, mean: 0, low: null, high: null, n: 1 },
];
const labels = {
  metric: 'train/episodeReturn',
  axis: 'update' as const,
  algos: ['steer', 'mappo'],
  seeds: 2,
  env: 'matrix:penalty0',
  band: 'student-t' as const,
};

describe('learningCurveSpec', () => {
  const spec = learningCurveSpec(points, labels) as unknown as {
    data: { values: CurvePoint[] };
    layer: {
      mark: { type: string };
      transform?: { filter: string }[];
      encoding: Record<string, { field?: string; scale?: { domain: string[] }; title?: string }>;
    }[];
    title: { text: string; subtitle: string };
  };

  it('draws a band (low..high, only where there is one) under a line (the mean), coloured by algorithm', () => {
    const [band, line] = spec.layer;
    expect(band!.mark.type).toBe('area');
    expect(band!.encoding.y!.field).toBe('low');
    expect(band!.encoding.y2!.field).toBe('high');
    expect(band!.transform![0]!.filter).toContain('datum.low != null');
    expect(line!.mark.type).toBe('line');
    expect(line!.encoding.y!.field).toBe('mean');
    expect(line!.encoding.y!.title).toBe('train/episodeReturn');
    for (const layer of spec.layer) {
      expect(layer.encoding.x!.field).toBe('x');
      // the same colour per algorithm in every chart of a comparison: a fixed domain, in the order asked
      expect(layer.encoding.color!.field).toBe('algo');
      expect(layer.encoding.color!.scale!.domain).toEqual(['steer', 'mappo']);
    }
  });

  it('carries every point as data and says what the band is', () => {
    expect(spec.data.values).toEqual(points);
    expect(spec.title.text).toBe('train/episodeReturn on matrix:penalty0');
    expect(spec.title.subtitle).toContain('mean over 2 seeds');
    expect(spec.title.subtitle).toContain('95 % Student-t interval over seeds');
  });

  it('is a valid Vega-Lite spec: it compiles to Vega without warnings', () => {
    const warnings: string[] = [];
    const logger = {
      level: () => logger,
      error: (...m: unknown[]) => warnings.push(`error ${m.join(' ')}`) && logger,
      warn: (...m: unknown[]) => warnings.push(`warn ${m.join(' ')}`) && logger,
      info: () => logger,
      debug: () => logger,
    };
    const vega = compile(learningCurveSpec(points, labels), { logger: logger as never }).spec;
    expect(warnings).toEqual([]);
    expect(vega.marks?.length).toBeGreaterThan(0);
  });
});
