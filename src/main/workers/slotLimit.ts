/**
 * A bound on one kind of concurrent work (training jobs, evaluations, editor episodes): each takes
 * a slot before its first `await` and gives it back when it ends, so calls that arrive together
 * cannot all pass a check made before any of them started. A call beyond the bound is refused at
 * once rather than queued: the caller learns why and decides.
 */
export class SlotLimit {
  private used = 0;

  /** `max`: slots in all; `refusal(max, method)`: the error a call of `method` beyond them gets. */
  constructor(
    readonly max: number,
    private readonly refusal: (max: number, method: string) => Error,
  ) {
    if (!Number.isInteger(max) || max < 1)
      throw new Error(`SlotLimit: max must be an integer ≥ 1, received ${max}`);
  }

  /** Slots taken now. */
  get inUse(): number {
    return this.used;
  }

  /**
   * Takes a slot (synchronously) or throws the refusal. The returned function gives it back; calling
   * it again does nothing.
   */
  take(method = ''): () => void {
    if (this.used >= this.max) throw this.refusal(this.max, method);
    this.used++;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.used--;
    };
  }

  /** Runs `task` in a slot (refused when none is free) and frees it when the task settles. */
  async run<T>(task: () => Promise<T>, method = ''): Promise<T> {
    const release = this.take(method);
    try {
      return await task();
    } finally {
      release();
    }
  }
}
