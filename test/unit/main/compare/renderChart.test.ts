import { describe, expect, it } from 'vitest';
import { learningCurveSpec } from '../../../../src/main/compare/chartSpec.js';
import { renderChart } from '../../../../src/main/compare/renderChart.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('renderChart', () => {
  it('renders an SVG with one line and one band per algorithm, and a PNG of it, without a browser', async () => {
    const points = [1, 2, 3].flatMap((x) => [
      { algo: 'steer', x, mean: x, low: x - 1, high: x + 1, n: 3 },
      { algo: 'mappo', x, mean: -x, low: -x - 1, high: -x + 1, n: 3 },
    ]);
    const spec = learningCurveSpec(points, {
      metric: 'train/episodeReturn',
      axis: 'envSteps',
      band: 'student-t',
      algos: ['steer', 'mappo'],
      seeds: 3,
      env: 'matrix:penalty0',
    });
    const { svg, png } = await renderChart(spec);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    // vega draws each algorithm's line and band as a group of its own, classed by mark
    expect(svg.match(/<g class="mark-line role-mark/g)).toHaveLength(2);
    expect(svg.match(/<g class="mark-area role-mark/g)).toHaveLength(2);
    expect(svg).toContain('train/episodeReturn');
    expect(svg).toContain('steer');
    expect(svg).toContain('mappo');
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    // IHDR width and height: twice the SVG's size
    const view = new DataView(png.buffer, png.byteOffset);
    const svgWidth = Number(/width="(\d+)"/.exec(svg)![1]);
    expect(view.getUint32(16)).toBe(svgWidth * 2);
  });
});
