/**
 * STEER with the ITB only (paper §6.3 "STEER_ITB"; docs/spec/steer.md §a.11): no action encoder, no
 * position embedding, no OTB. The output MLP, final norm and heads read agent j's ITB token r_j
 * alone (STEER's u = Z'_j + r_j without the Z'_j term), so no agent sees a leader's action and the
 * agents decide simultaneously. The ITB carries no position (§a.4): agents with equal observations
 * (every matrix game) get equal distributions.
 */
import * as tf from '../../nn/tf.js';
import { type SteerHeads, SteerModel } from '../steer/model.js';

export class ItbOnlyModel extends SteerModel {
  /** No action encoder, position embedding or OTB. */
  protected override addOuter(): void {}

  /** No OTB: decode's u is r_j alone; the leaders' actions are ignored. */
  protected override outer(): tf.Tensor | null {
    return null;
  }

  /**
   * Agent t−1's heads from r_{t−1} alone (encoded [B, n+1, D] → actor [B, A], values [B]): acting
   * in turn then costs one pass over the agents in all, the single pass of simultaneous decisions.
   */
  override decodeLast(encoded: tf.Tensor, _leaderActions: tf.Tensor | null, t: number): SteerHeads {
    const b = encoded.shape[0]!;
    const heads = this.readout(tf.slice(encoded, [0, t, 0], [b, 1, this.config.embedDim])); // r_{t−1}
    return {
      actor: tf.reshape(heads.actor, [b, this.actionDim]),
      values: tf.reshape(heads.values, [b]),
    };
  }
}
