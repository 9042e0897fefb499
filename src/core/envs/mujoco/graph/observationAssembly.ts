/**
 * The final per-agent observations and global states of MA-MuJoCo, assembled as the reference does
 * (docs/spec/bridges.md §1.6–§1.8, `mujoco_multi.py › get_obs, get_state` of both variants):
 *
 * - local variant, k ≠ null: raw values from the layout's sources → zero-pad to the longest agent's
 *   vector → append the one-hot agent id (length n) → standardise the whole row;
 * - state variant, or k = null: the task's full observation ⊕ one-hot id, standardised;
 * - the local variant's state: the full observation standardised, without id (the reference hands
 *   each agent a copy; the state variant's state is each agent's observation row, id included).
 *
 * "Standardise" = (x − mean(x)) / std(x) over the whole row, padding and one-hot included, with the
 * population std. Rows are written agent-major into a caller's buffer; nothing is allocated per call.
 * With a Float32Array buffer the raw values are rounded to float32 before standardising (relative
 * error ~6e-8 against the reference's float64); pass a Float64Array for exact parity.
 */

import type { AgentLayout, ObsSource, SimState } from '../types.js';

/** A row-major output buffer. */
export type ObservationBuffer = Float32Array | Float64Array;

/** True when the layout's agents observe their neighbourhoods (local variant with a finite k). */
export function usesLocalObservations(layout: AgentLayout): boolean {
  return layout.variant === 'local' && layout.agentObsk !== null;
}

/** Length of a local-variant observation row: longest raw vector + n (one-hot). */
export function localObsDim(layout: AgentLayout): number {
  if (!usesLocalObservations(layout)) {
    throw new Error(
      `localObsDim: layout ${layout.agentConf} (variant ${layout.variant}, agentObsk ${layout.agentObsk}) observes the full task observation; use observationDim`,
    );
  }
  let longest = 0;
  for (const sources of layout.observed) longest = Math.max(longest, sources.length);
  return longest + layout.observed.length;
}

/** Length of an agent's observation row, given the task's full-observation length. */
export function observationDim(layout: AgentLayout, fullObsDim: number): number {
  return usesLocalObservations(layout) ? localObsDim(layout) : fullObsDim + layout.agentJoints.length;
}

/** One observed number: state[array][index], clipped to ±clip if the source says so. */
export function observedValue(state: SimState, source: ObsSource): number {
  const value = state[source.array][source.index]!;
  if (source.clip === undefined) return value;
  return Math.min(source.clip, Math.max(-source.clip, value));
}

/**
 * Standardises vec[from..from+length−1] in place by its own mean and population std. If the std is
 * 0 (all entries equal) every entry becomes 0 rather than the reference's NaN of 0/0.
 */
export function standardiseInPlace(vec: ObservationBuffer, from: number, length: number): void {
  const end = from + length;
  let sum = 0;
  for (let i = from; i < end; i++) sum += vec[i]!;
  const mean = sum / length;
  let squares = 0;
  for (let i = from; i < end; i++) squares += (vec[i]! - mean) ** 2;
  const std = Math.sqrt(squares / length);
  const scale = std === 0 ? 0 : 1 / std;
  for (let i = from; i < end; i++) vec[i] = (vec[i]! - mean) * scale;
}

function assertRoom(what: string, out: ObservationBuffer, needed: number): void {
  if (out.length < needed)
    throw new Error(`${what}: output buffer holds ${out.length} numbers, needs ${needed}`);
}

/** Writes the one-hot id of `agent` (n entries) at `from`. */
function writeOneHot(out: ObservationBuffer, from: number, agent: number, numAgents: number): void {
  for (let i = 0; i < numAgents; i++) out[from + i] = i === agent ? 1 : 0;
}

/** Local variant: writes numAgents × localObsDim(layout) numbers into `out`, agent-major. */
export function assembleLocalObservations(
  layout: AgentLayout,
  state: SimState,
  out: ObservationBuffer,
): void {
  const numAgents = layout.observed.length;
  const dim = localObsDim(layout);
  const padded = dim - numAgents;
  assertRoom('assembleLocalObservations', out, numAgents * dim);
  for (let agent = 0; agent < numAgents; agent++) {
    const row = agent * dim;
    const sources = layout.observed[agent]!;
    for (let i = 0; i < sources.length; i++) out[row + i] = observedValue(state, sources[i]!);
    out.fill(0, row + sources.length, row + padded);
    writeOneHot(out, row + padded, agent, numAgents);
    standardiseInPlace(out, row, dim);
  }
}

/**
 * Full observation ⊕ one-hot, standardised, one row of fullObs.length + numAgents per agent: the
 * observations of the state variant and of k = null (and the state variant's per-agent states).
 */
export function assembleStateVariantObservations(
  fullObs: Float64Array,
  numAgents: number,
  out: ObservationBuffer,
): void {
  const dim = fullObs.length + numAgents;
  assertRoom('assembleStateVariantObservations', out, numAgents * dim);
  for (let agent = 0; agent < numAgents; agent++) {
    const row = agent * dim;
    out.set(fullObs, row);
    writeOneHot(out, row + fullObs.length, agent, numAgents);
    standardiseInPlace(out, row, dim);
  }
}

/** The local variant's state: the full observation standardised, no id (fullObs.length numbers). */
export function assembleStandardisedState(fullObs: Float64Array, out: ObservationBuffer): void {
  assertRoom('assembleStandardisedState', out, fullObs.length);
  out.set(fullObs, 0);
  standardiseInPlace(out, 0, fullObs.length);
}

/** Every agent's observation row for the layout's variant and k; `fullObs` is the task's `_get_obs()`. */
export function assembleObservations(
  layout: AgentLayout,
  state: SimState,
  fullObs: Float64Array,
  out: ObservationBuffer,
): void {
  if (usesLocalObservations(layout)) assembleLocalObservations(layout, state, out);
  else assembleStateVariantObservations(fullObs, layout.agentJoints.length, out);
}
