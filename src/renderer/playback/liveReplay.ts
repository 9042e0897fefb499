/**
 * A replay that arrives while it is simulated (the editor's live Run, `sim.poll`): the replay
 * file's bytes in pieces, in file order. The core stream reader decodes each chunk as soon as it is
 * complete; `snapshot` turns the frames so far into a complete replay file (the same header and
 * frames, re-encoded with the core writer, which adds the footer), so the player opens it like any
 * other; `finish` returns the file itself once its end has arrived. No second format: a file
 * without its footer is not readable by ReplayReader, so the snapshot supplies one.
 */
import {
  type ReplayFrame,
  type ReplayHeader,
  ReplayStreamReader,
  ReplayWriter,
} from '../../core/replay/index.js';

/** One replay being received. */
export class LiveReplay {
  private readonly reader = new ReplayStreamReader();
  private readonly pieces: Uint8Array[] = [];
  private readonly frames: ReplayFrame[] = [];
  private received = 0;

  /** Bytes received so far (the offset to ask for next). */
  get bytesReceived(): number {
    return this.received;
  }

  /** Frames decoded so far. */
  get frameCount(): number {
    return this.frames.length;
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
    for (const frame of frames) this.frames.push(frame);
    return frames.length;
  }

  /** The frames so far as a complete replay file, or null before the first frame. */
  snapshot(): Uint8Array | null {
    const header = this.reader.header;
    if (header === null || this.frames.length === 0) return null;
    const writer = new ReplayWriter(header);
    for (const frame of this.frames) writer.writeFrame(frame);
    const head = writer.drain();
    const tail = writer.finish();
    const out = new Uint8Array(head.length + tail.length);
    out.set(head);
    out.set(tail, head.length);
    return out;
  }

  /** The received file, once complete (throws a `truncated` ReplayError when its end is missing). */
  finish(): Uint8Array {
    this.reader.end();
    const out = new Uint8Array(this.received);
    let at = 0;
    for (const piece of this.pieces) {
      out.set(piece, at);
      at += piece.length;
    }
    return out;
  }
}
