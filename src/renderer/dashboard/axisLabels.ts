/**
 * Tick labels of a chart's axes: as many decimals as the ticks need to differ, so an axis over a
 * narrow range (a policy entropy between 1.6094 and 1.6098) reads "1.6094 / 1.6096", not
 * "1.609 / 1.609" as a fixed three decimals would. Plain TypeScript, no DOM.
 */

/** Most decimals a label gets (beyond this the ticks are float noise). */
const MAX_DECIMALS = 12;

/** `value` with `decimals` decimals, "-0" written "0". */
function fixed(value: number, decimals: number): string {
  const text = value.toFixed(decimals);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/**
 * Labels of `ticks` (ascending axis splits): the fewest decimals that resolve the spacing between
 * ticks (each label within 1 % of the spacing of its tick) and give every tick a label of its own;
 * one tick alone gets about four significant digits.
 */
export function tickLabels(ticks: readonly number[]): string[] {
  const finite = ticks.filter(Number.isFinite);
  if (finite.length === 0) return ticks.map(String);
  let step = Number.POSITIVE_INFINITY;
  for (let i = 1; i < finite.length; i++) {
    const gap = Math.abs(finite[i]! - finite[i - 1]!);
    if (gap > 0) step = Math.min(step, gap);
  }
  const reference = Number.isFinite(step) ? step : Math.abs(finite[0]!) / 1000 || 1;
  let decimals = Math.min(MAX_DECIMALS, Math.max(0, Math.ceil(-Math.log10(reference) - 1e-9)));
  const lone = !Number.isFinite(step);
  for (; decimals < MAX_DECIMALS; decimals++) {
    const labels = finite.map((t) => fixed(t, decimals));
    const distinct = new Set(labels).size === new Set(finite).size;
    // Each label within 1 % of the spacing of its tick (a 0.25 step needs two decimals, not one).
    const exact = lone || labels.every((label, i) => Math.abs(Number(label) - finite[i]!) <= step * 0.01);
    if (distinct && exact) break;
  }
  return ticks.map((t) => (Number.isFinite(t) ? fixed(t, decimals) : String(t)));
}
