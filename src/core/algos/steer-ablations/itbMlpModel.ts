/**
 * STEER with the ITB replaced by an MLP (paper §6.3 "replace ITB with MLP"; docs/spec/steer.md
 * §a.11): each of the L ITB blocks becomes a per-token residual MLP, x ← x + MLP(LN(x)), the block's
 * own MLP sub-layer (§a.3: Linear D→D gain √2, GELU, Linear D→D gain 0.01) without its attention
 * sub-layer. The tokens never mix: s0 is the transformed state token (or state encoding) and r_j a
 * function of agent j's observation alone. The OTB and everything after it are STEER's.
 *
 * The paper gives no structure for the MLP; keeping the block's own MLP is the simplest faithful
 * choice (docs/algos/steer-ablations.md).
 */
import { GAIN_ACTIVATE, GAIN_SMALL } from '../../nn/init.js';
import { gelu } from '../../nn/layers.js';
import * as tf from '../../nn/tf.js';
import { SteerModel } from '../steer/model.js';

export class ItbMlpModel extends SteerModel {
  /** `itb.<l>.ln`, `itb.<l>.mlp.fc1`, `itb.<l>.mlp.fc2`: no `attn`, no second norm. */
  protected override addInner(): void {
    const d = this.config.embedDim;
    for (let l = 0; l < this.config.numBlocks; l++) {
      this.addLayerNorm(`itb.${l}.ln`, d);
      this.addLinear(`itb.${l}.mlp.fc1`, d, d, GAIN_ACTIVATE);
      this.addLinear(`itb.${l}.mlp.fc2`, d, d, GAIN_SMALL);
    }
  }

  /** Row-wise on u [B, n+1, D]: nothing crosses tokens. */
  protected override inner(u: tf.Tensor): tf.Tensor {
    for (let l = 0; l < this.config.numBlocks; l++) {
      const hidden = gelu(this.linearNamed(this.layerNormNamed(u, `itb.${l}.ln`), `itb.${l}.mlp.fc1`));
      u = tf.add(u, this.linearNamed(hidden, `itb.${l}.mlp.fc2`));
    }
    return u;
  }
}
