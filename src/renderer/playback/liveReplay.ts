/**
 * A replay that arrives while it is simulated (the editor's live Run, `sim.poll`): the replay
 * file's bytes in pieces, in file order. The core stream reader decodes each chunk once, as soon
 * as it is complete; `snapshot` makes the frames so far a complete replay file, so the player opens
 * it like any other: the bytes received up to the last complete chunk are already that file's
 * bytes, and only its end (footer and trailer) is missing, which the core builds from what the
 * stream reader learnt (`encodeEndSoFar`: chunk index and summary, no frame data re-encoded).
 * `finish` returns the file itself once its end has arrived. No second format.
 */
import { encodeEndSoFar, type ReplayHeader, ReplayStreamReader } from '../../core/replay/index.js';

/** One replay being received. */
export class LiveReplay {
  private readonly reader = new ReplayStreamReader();
  private readonly pieces: Uint8Array[] = [];
  private received = 0;

  /** Bytes received so far (the offset to ask for next). */
  get bytesReceived(): number {
    return this.received;
  }

  /** Frames decoded so far. */
  get frameCount(): number {
    return this.reader.framesRead;
  }

  /** The header, once it has arrived (else null). */
  get header(): ReplayHeader | null {
    return this.reader.header;
  }

  /** Takes the next bytes of the file; returns how many frames they completed (throws ReplayError). */
  push(bytes: Uint8Array): number {
    if (bytes.length === 0) return 0;
    const frames = this.reader.push(bytes);
    this.pieces.push(bytes);
    this.received += bytes.length;
    return frames.length;
  }

  /**
   * The frames so far as a complete replay file, or null before the first frame: the received
   * bytes up to the last complete chunk, then the end the core builds for them. Copies the bytes
   * once; encodes and decodes no frame.
   */
  snapshot(): Uint8Array | null {
    if (this.reader.framesRead === 0) return null;
    const end = encodeEndSoFar(this.reader);
    const dataBytes = this.reader.chunksEnd;
    const out = new Uint8Array(dataBytes + end.length);
    this.copyReceived(out, dataBytes);
    out.set(end, dataBytes);
    return out;
  }

  /** The received file, once complete (throws a `truncated` ReplayError when its end is missing). */
  finish(): Uint8Array {
    this.reader.end();
    const out = new Uint8Array(this.received);
    this.copyReceived(out, this.received);
    return out;
  }

  /** Copies the first `count` bytes received into the start of `out`. */
  private copyReceived(out: Uint8Array, count: number): void {
    let at = 0;
    for (const piece of this.pieces) {
      if (at >= count) break;
      const n = Math.min(piece.length, count - at);
      out.set(n === piece.length ? piece : piece.subarray(0, n), at);
      at += n;
    }
  }
}
