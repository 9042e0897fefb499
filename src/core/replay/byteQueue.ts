/**
 * The stream reader's input buffer (streamReader.ts): bytes received but not yet parsed, kept as the
 * pieces they came in, so a part that lies in one piece is viewed in place, not copied.
 */

/** Bytes received but not yet parsed, kept as the pieces they came in. */
export class ByteQueue {
  private pieces: Uint8Array[] = [];
  /** Bytes of pieces[0] already consumed. */
  private head = 0;
  /** Bytes queued (received, not yet consumed). */
  available = 0;

  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.pieces.push(bytes);
    this.available += bytes.length;
  }

  /** The first `n` bytes (n ≤ available) as one array: a view when they lie in one piece. */
  peek(n: number): Uint8Array {
    const first = this.pieces[0];
    if (first === undefined) return new Uint8Array(0);
    if (first.length - this.head >= n) return first.subarray(this.head, this.head + n);
    // Spans pieces: merge them once, so the next peek finds them whole.
    const merged = new Uint8Array(n);
    let filled = 0;
    let i = 0;
    let at = this.head;
    while (filled < n) {
      const piece = this.pieces[i]!;
      const count = Math.min(piece.length - at, n - filled);
      merged.set(piece.subarray(at, at + count), filled);
      filled += count;
      at += count;
      if (at === piece.length) {
        i++;
        at = 0;
      }
    }
    const rest = this.pieces.slice(i);
    if (rest.length > 0 && at > 0) rest[0] = rest[0]!.subarray(at);
    this.pieces = [merged, ...rest];
    this.head = 0;
    return merged;
  }

  /** Drops the first `n` bytes. */
  skip(n: number): void {
    this.available -= n;
    let left = n;
    while (left > 0) {
      const piece = this.pieces[0]!;
      const here = piece.length - this.head;
      if (here > left) {
        this.head += left;
        return;
      }
      left -= here;
      this.pieces.shift();
      this.head = 0;
    }
  }

  /** The first `n` bytes, consumed. */
  take(n: number): Uint8Array {
    const bytes = this.peek(n);
    this.skip(n);
    return bytes;
  }
}
