/**
 * STEER with the OTB replaced by a GRU (paper §6.3 "replace OTB with GRU"), as the reference's GRU
 * variant builds it (docs/spec/steer.md §a.10; `steer_gru.py › ActorCritic.forward`): the sequence
 * [s0, actEnc(a_0), …] without the position embedding goes through a LayerNorm (the reference's
 * `obs_ln1`, here `gruLn`) and a 2-layer GRU of width D (gru.ts); output j, plus r_j, goes to the
 * output MLP, final norm and heads as in STEER. The ITB and the action encoder are STEER's.
 *
 * A GRU is causal, so agent j still sees exactly a_0..a_{j−1} (§a.4) and the last action token is
 * not computed (its output is discarded), as in SteerModel. A GRU carries order, so agents keep
 * their identity without a position embedding; the reference declares one and never uses it, and
 * it is omitted here, as are its other unused modules (`action_ln`, `obs_ln2`, `query_ln`, `obs_proj`).
 */
import type * as tf from '../../nn/tf.js';
import { SteerModel } from '../steer/model.js';
import { addGruLayer, gruLayer } from './gru.js';

/** Stacked GRU layers: `nn.GRU(n_embd, n_embd, num_layers=2)` in the reference, whatever n_block (§a.10). */
export const GRU_LAYERS = 2;

export class OtbGruModel extends SteerModel {
  /** STEER's action encoder, then `gruLn` and `gru.<l>.*`; no position embedding, no OTB blocks. */
  protected override addOuter(): void {
    const d = this.config.embedDim;
    this.addActionEncoder();
    this.addLayerNorm('gruLn', d);
    for (let l = 0; l < GRU_LAYERS; l++) addGruLayer(this.params, `gru.${l}`, d, d, this.initRng);
  }

  /** GRU over LN([s0, actEnc(a_0), …, actEnc(a_{t−2})]) → [B, t, D]. */
  protected override outer(s0: tf.Tensor, leaderActions: tf.Tensor | null, t: number): tf.Tensor {
    let x = this.layerNormNamed(this.leaderSequence(s0, leaderActions, t), 'gruLn');
    for (let l = 0; l < GRU_LAYERS; l++) x = gruLayer(x, `gru.${l}`, (name) => this.w(name));
    return x;
  }
}
