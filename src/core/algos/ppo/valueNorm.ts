/**
 * Running normaliser of value targets (docs/spec/steer.md §b.4): one scalar mean/variance shared by all
 * agents, with debiased exponential averages (β = 0.99999) and variance floored at 0.01. Before any
 * update μ = 0 and σ = 0.1, so `denormalize(y) = 0.1·y` (acceptance check g.3).
 */

/** Serialisable state of a ValueNorm. */
export interface ValueNormState {
  mean: number;
  meanSq: number;
  debias: number;
}

export class ValueNorm {
  /** Decay of the running averages [-]. */
  static readonly BETA = 0.99999;
  /** Floor of the debias term [-]. */
  static readonly EPSILON = 1e-5;
  /** Floor of the variance (σ ≥ 0.1). */
  static readonly MIN_VARIANCE = 0.01;

  private state: ValueNormState = { mean: 0, meanSq: 0, debias: 0 };

  /** Fold one batch of raw targets into the running statistics. */
  update(x: ArrayLike<number>): void {
    if (x.length === 0) return;
    let s = 0;
    let sq = 0;
    for (let i = 0; i < x.length; i++) {
      s += x[i]!;
      sq += x[i]! * x[i]!;
    }
    const b = ValueNorm.BETA;
    this.state.mean = b * this.state.mean + (1 - b) * (s / x.length);
    this.state.meanSq = b * this.state.meanSq + (1 - b) * (sq / x.length);
    this.state.debias = b * this.state.debias + (1 - b);
  }

  /** Current (μ, σ). */
  stats(): { mean: number; std: number } {
    const d = Math.max(this.state.debias, ValueNorm.EPSILON);
    const mean = this.state.mean / d;
    const variance = Math.max(this.state.meanSq / d - mean * mean, ValueNorm.MIN_VARIANCE);
    return { mean, std: Math.sqrt(variance) };
  }

  /** (x − μ)/σ */
  normalize(x: number): number {
    const { mean, std } = this.stats();
    return (x - mean) / std;
  }

  /** y·σ + μ */
  denormalize(y: number): number {
    const { mean, std } = this.stats();
    return y * std + mean;
  }

  /** A copy of the state for checkpoints. */
  getState(): ValueNormState {
    return { ...this.state };
  }

  /** Restore a checkpointed state. */
  setState(s: ValueNormState): void {
    for (const k of ['mean', 'meanSq', 'debias'] as const) {
      if (!Number.isFinite(s[k]))
        throw new Error(`ValueNorm state: ${k} must be a finite number, received ${s[k]}`);
    }
    this.state = { ...s };
  }
}
