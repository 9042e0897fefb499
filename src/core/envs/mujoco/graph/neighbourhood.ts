/**
 * What "agent_obsk = k" means (docs/spec/bridges.md §1.4): the joints an agent observes, in rings by
 * graph distance from its own joints, as the reference's `obsk.py › get_joints_at_kdist` finds them.
 *
 * Ring 0 is the agent's own joints; ring d + 1 is every joint sharing a hyperedge with a joint of
 * ring d that no earlier ring holds. Granularity is the single joint: seeing one joint of another
 * agent does not reveal that agent's other joints. Each ring is sorted by label.
 */

import type { JointNode } from './jointGraph.js';

/** Orders labels by UTF-16 code units, as Python's `sorted` orders these ASCII labels. */
function byLabel(a: JointNode, b: JointNode): number {
  if (a.label < b.label) return -1;
  return a.label > b.label ? 1 : 0;
}

/** Joints sharing a hyperedge with some joint of `ring` (the ring's own joints included if linked). */
function adjacentTo(
  ring: readonly JointNode[],
  hyperedges: readonly (readonly JointNode[])[],
): Set<JointNode> {
  const found = new Set<JointNode>();
  for (const joint of ring) {
    for (const edge of hyperedges) {
      if (!edge.includes(joint)) continue;
      for (const other of edge) if (other !== joint) found.add(other);
    }
  }
  return found;
}

/**
 * The rings at distance 0..k around `ownJoints`: `rings[d]` holds the joints at distance exactly d,
 * sorted by label. A ring may be empty (and then so are all further ones).
 */
export function jointRings(
  ownJoints: readonly JointNode[],
  hyperedges: readonly (readonly JointNode[])[],
  k: number,
): JointNode[][] {
  const seen = new Set<JointNode>(ownJoints);
  let ring = [...seen];
  const rings = [[...ring].sort(byLabel)];
  for (let distance = 1; distance <= k; distance++) {
    ring = [...adjacentTo(ring, hyperedges)].filter((joint) => !seen.has(joint));
    for (const joint of ring) seen.add(joint);
    rings.push([...ring].sort(byLabel));
  }
  return rings;
}
