/**
 * Colours of the scene and the panels (one place, so legend, panel swatches and meshes agree).
 * CAVs take the colour of their priority rank (leader first), HDVs are neutral grey, and a crashed
 * vehicle of either kind is red whatever its rank. The obstacle at the end of the merge lane is
 * off-white, a colour no vehicle takes, so it is never read as a CAV.
 */
import { Color } from 'three';

/** CAV colour per priority rank (0 = leader); ranks past the end reuse it cyclically. */
export const RANK_COLOURS_HEX: readonly string[] = Object.freeze([
  '#3b82f6', // blue: leader
  '#22c55e', // green
  '#f59e0b', // amber
  '#a855f7', // purple
  '#06b6d4', // cyan
  '#ec4899', // pink
  '#84cc16', // lime
  '#f97316', // orange
]);
/** Human-driven vehicles. */
export const HDV_COLOUR_HEX = '#9ca3af';
/** Crashed vehicles (docs/spec/horm.md §2.6). */
export const CRASHED_COLOUR_HEX = '#ef4444';
/** A CAV whose rank the frame does not record. */
export const UNRANKED_COLOUR_HEX = '#64748b';
/**
 * The obstacle at the end of the merge lane (docs/spec/horm.md §1.6): a concrete barrier, far from
 * every rank's, the HDVs', the crashed and the selection colour.
 */
export const OBSTACLE_COLOUR_HEX = '#f1f5f9';
/** The selected vehicle's ring. */
export const SELECTION_COLOUR_HEX = '#fde047';

/** three.js colours, built once (the per-frame code only reads them). */
export const RANK_COLOURS: readonly Color[] = RANK_COLOURS_HEX.map((hex) => new Color(hex));
export const HDV_COLOUR = new Color(HDV_COLOUR_HEX);
export const CRASHED_COLOUR = new Color(CRASHED_COLOUR_HEX);
export const UNRANKED_COLOUR = new Color(UNRANKED_COLOUR_HEX);
export const OBSTACLE_COLOUR = new Color(OBSTACLE_COLOUR_HEX);

/** The colour of priority rank `rank` (NO_RANK and beyond: the unranked colour). */
export function rankColourHex(rank: number): string {
  return rank >= 0 && rank < 255 ? RANK_COLOURS_HEX[rank % RANK_COLOURS_HEX.length]! : UNRANKED_COLOUR_HEX;
}

/** The three.js colour of priority rank `rank`. */
export function rankColour(rank: number): Color {
  return rank >= 0 && rank < 255 ? RANK_COLOURS[rank % RANK_COLOURS.length]! : UNRANKED_COLOUR;
}

/**
 * A vehicle's colour: red when crashed (whatever its kind), grey for an HDV, else its rank's.
 * `rank` is the CAV's priority rank (NO_RANK when the frame records none).
 */
export function vehicleColour(cav: boolean, crashed: boolean, rank: number): Color {
  if (crashed) return CRASHED_COLOUR;
  return cav ? rankColour(rank) : HDV_COLOUR;
}

/** vehicleColour as a CSS colour, for the panels. */
export function vehicleColourHex(cav: boolean, crashed: boolean, rank: number): string {
  if (crashed) return CRASHED_COLOUR_HEX;
  return cav ? rankColourHex(rank) : HDV_COLOUR_HEX;
}

/** A MuJoCo robot's body that no agent's joint moves (the torso). */
export const ROBOT_FRAME_COLOUR_HEX = '#cbd5e1';
/** The ground plane of a MuJoCo replay, and its 1 m grid. */
export const GROUND_COLOUR_HEX = '#2b332d';
export const GROUND_GRID_COLOUR_HEX = '#8a9a8e'; // lighter than the lit ground: the grid shows motion

/**
 * The colour of each body of a MuJoCo robot (body id → CSS colour): the colour of the priority rank
 * of the agent whose action drives the joint that moves it, as a CAV of that rank takes it; the
 * frame colour for the others. `agentBodies[j]`: the bodies agent j's driven joints move;
 * `priority`: agents, leader first.
 */
export function robotBodyColoursHex(
  bodies: number,
  agentBodies: readonly (readonly number[])[],
  priority: readonly number[],
): string[] {
  const colours = new Array<string>(bodies).fill(ROBOT_FRAME_COLOUR_HEX);
  priority.forEach((agent, rank) => {
    for (const body of agentBodies[agent] ?? []) if (body < bodies) colours[body] = rankColourHex(rank);
  });
  return colours;
}
