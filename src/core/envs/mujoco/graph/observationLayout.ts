/**
 * Which numbers an agent's local-variant observation holds, in order, before padding, one-hot id
 * and standardisation (docs/spec/bridges.md §1.5–§1.6; the reference's `ma_mujoco/…/obsk.py ›
 * build_obs`):
 *
 *   for each ring d = 0..k, for each joint of the ring (label order), for each category of
 *   distance d: the joint's sources; then for each global category, for each global joint: its
 *   sources.
 *
 * A joint's sources for a category are its override if it has one, else qpos[qpos index],
 * qvel[qvel index] or qfrcActuator[qvel index]. cfrcExt contributes nothing: the reference computes
 * the body forces but its append is commented out, and it skips the free joint's cfrc_ext override
 * among the globals.
 */

import type { ObsSource } from '../types.js';
import { categoriesAt, type JointGraph, type JointNode, type ObsCategory } from './jointGraph.js';
import { jointRings } from './neighbourhood.js';

/** The sources one joint contributes for one category. */
export function jointSources(joint: JointNode, category: ObsCategory): readonly ObsSource[] {
  if (category === 'qpos' || category === 'qvel') {
    const override = joint.overrides?.[category];
    if (override !== undefined) return override;
  }
  switch (category) {
    case 'qpos':
      return [{ array: 'qpos', index: joint.qpos }];
    case 'qvel':
      return [{ array: 'qvel', index: joint.qvel }];
    case 'qfrcActuator':
      return [{ array: 'qfrcActuator', index: joint.qvel }];
    case 'cfrcExt':
      return [];
  }
}

/**
 * The raw observation sources of the agent owning `ownJoints` at depth k, global categories being
 * the distance-0 list (the local variant's default).
 */
export function observedSources(graph: JointGraph, ownJoints: readonly JointNode[], k: number): ObsSource[] {
  const sources: ObsSource[] = [];
  jointRings(ownJoints, graph.hyperedges, k).forEach((ring, distance) => {
    const categories = categoriesAt(graph, distance);
    for (const joint of ring) {
      for (const category of categories) sources.push(...jointSources(joint, category));
    }
  });
  for (const category of categoriesAt(graph, 0)) {
    for (const global of graph.globals) sources.push(...jointSources(global, category));
  }
  return sources;
}
