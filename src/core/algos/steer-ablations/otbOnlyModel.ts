/**
 * STEER with the OTB only (paper §6.3 "STEER_OTB"): no ITB. The tokens are the encoders' outputs as
 * they are, so s0 is the state token (or the state encoding) and agent j's representation is
 * h_j from u = OTB(Z)_j + e_j, e_j = obsEncoder(obs_j): its own observation embedding plus what the
 * OTB makes of s0 and the leaders' actions. No agent sees another's observation.
 *
 * docs/spec/steer.md §a.11 reads "STEER_OTB" as also dropping the `+ r_j` residual; it is kept here
 * (with r_j = e_j), because without it and with the state token on no observation would reach the
 * heads at all (docs/algos/steer-ablations.md).
 */
import type * as tf from '../../nn/tf.js';
import { SteerModel } from '../steer/model.js';

export class OtbOnlyModel extends SteerModel {
  /** No ITB parameters. */
  protected override addInner(): void {}

  /** No ITB: [first token, obs tokens] pass through unchanged. */
  protected override inner(u: tf.Tensor): tf.Tensor {
    return u;
  }
}
