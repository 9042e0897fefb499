/**
 * Renders a Vega-Lite chart to SVG and PNG in Node, without a browser: vega-lite compiles the spec
 * to Vega, a headless Vega view (renderer 'none') writes the SVG, and resvg (a Rust SVG renderer
 * shipped as a prebuilt binary in its npm package) rasterises it with the system's fonts.
 */
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** A rendered chart. */
export interface RenderedChart {
  readonly svg: string;
  readonly png: Uint8Array;
}

/** PNG pixels per SVG pixel (sharp on high-density screens, still small files). */
export const PNG_SCALE = 2;

/** The SVG of a Vega-Lite spec. */
export async function chartSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The PNG of an SVG on a white background, `PNG_SCALE` times its size. */
export function svgToPng(svg: string): Uint8Array {
  const image = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: PNG_SCALE },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  }).render();
  return image.asPng();
}

/** The chart as SVG and PNG. */
export async function renderChart(spec: TopLevelSpec): Promise<RenderedChart> {
  const svg = await chartSvg(spec);
  return { svg, png: svgToPng(svg) };
}
