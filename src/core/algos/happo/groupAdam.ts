/**
 * One Adam per parameter group (each agent's actor, the critic) on top of the trainer's single Adam.
 *
 * HARL gives every actor and the critic an optimizer of its own (harl/algorithms/actors/on_policy_base.py,
 * harl/algorithms/critics/v_critic.py), each clipping its own gradient norm. One Adam stepped with
 * zero gradients for the other groups would not do: its moments would keep moving their weights.
 * Adam is elementwise apart from the clip and the step count, so a group's optimizer is an `Adam`
 * over the group's variables whose moments are copied in from the trainer's Adam (the one the
 * checkpoint stores, by parameter name) and back out when the update ends. Every group takes the
 * same number of steps per update, so the trainer's one step counter serves them all.
 */
import { Adam } from '../../nn/adam.js';
import type { ParamStore } from '../../nn/layers.js';

/** The trainer's Adam split into per-group optimizers for one update. */
export class GroupOptimizers {
  /** The trainer's step count when the update began. */
  private readonly startStep: number;
  private readonly groups = new Map<string, { adam: Adam; indices: number[] }>();

  constructor(
    private readonly shared: Adam,
    private readonly params: ParamStore,
  ) {
    this.startStep = shared.step;
  }

  /**
   * The optimizer of the parameters whose names start with `prefix`: created on first use with the
   * trainer's moments of those parameters and its step count, its settings (lr decay included) the
   * trainer's own.
   */
  group(prefix: string): Adam {
    const known = this.groups.get(prefix);
    if (known) return known.adam;
    const entries = this.params.entries();
    const indices = entries.flatMap(([name], i) => (name.startsWith(prefix) ? [i] : []));
    if (indices.length === 0) throw new Error(`GroupOptimizers: no parameter starts with "${prefix}"`);
    const adam = new Adam(
      indices.map((i) => entries[i]![1]),
      this.shared.config,
    );
    const from = this.shared.moments();
    const to = adam.moments();
    indices.forEach((i, k) => {
      to.m[k]!.set(from.m[i]!);
      to.v[k]!.set(from.v[i]!);
    });
    adam.step = this.startStep;
    this.groups.set(prefix, { adam, indices });
    return adam;
  }

  /**
   * Writes every group's moments back into the trainer's Adam and advances its step count by the
   * steps the groups took, which must be the same for all of them.
   */
  finish(): void {
    const into = this.shared.moments();
    const steps = new Set<number>();
    for (const { adam, indices } of this.groups.values()) {
      const from = adam.moments();
      indices.forEach((i, k) => {
        into.m[i]!.set(from.m[k]!);
        into.v[i]!.set(from.v[k]!);
      });
      steps.add(adam.step);
    }
    if (steps.size > 1) {
      throw new Error(`GroupOptimizers: groups took different step counts (${[...steps].join(', ')})`);
    }
    this.shared.step = steps.size === 1 ? [...steps][0]! : this.startStep;
  }
}
