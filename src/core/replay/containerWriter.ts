/**
 * The container half of writing any kind of replay (layout.ts): preamble and header first, then
 * each chunk's columns compressed behind a block header and listed in the chunk index, then the end
 * block and the trailer. `drain` hands out the bytes finished so far. The kinds' writers
 * (writer.ts for HORM, mujocoWriter.ts) fill the columns and say when a chunk is full.
 */
import { encodeBlock } from './blockHeader.js';
import { compressChunk } from './chunkCodec.js';
import { encodeEndBlock } from './endBlock.js';
import { BLOCK_FRAMES, HEADER_CRC_BYTES } from './layout.js';
import { encodePreamble } from './preamble.js';
import { encodeTrailer } from './trailer.js';

/** The bytes of one replay as they are produced. */
export class ContainerWriter {
  private readonly pending: Uint8Array[] = [];
  /** Bytes produced so far (drained or not): the file offset of the next block. */
  private offset = 0;
  private frames = 0;
  private readonly index: [number, number, number][] = [];

  /** `encodedHeader`: the header JSON and its CRC-32 (header.ts encodeHeader). */
  constructor(encodedHeader: Uint8Array, version: number) {
    this.emit(encodePreamble(encodedHeader.length - HEADER_CRC_BYTES, version));
    this.emit(encodedHeader);
  }

  /** Frames in the chunks added so far. */
  get framesWritten(): number {
    return this.frames;
  }

  /** The chunk index so far: [offset, first frame, frames] per chunk. */
  get chunkIndex(): [number, number, number][] {
    return this.index;
  }

  /** Adds a chunk of `frames` frames of `entities` entities each, `raw` its packed columns. */
  addChunk(raw: Uint8Array, frames: number, entities: number): void {
    this.index.push([this.offset, this.frames, frames]);
    this.emit(encodeBlock(BLOCK_FRAMES, frames, this.frames, entities, compressChunk(raw)));
    this.frames += frames;
  }

  /** The bytes finished since the last drain. */
  drain(): Uint8Array {
    return this.take();
  }

  /** End block (`footer`) and trailer; returns the undrained bytes. */
  finish(footer: { readonly frames: number }): Uint8Array {
    const endOffset = this.offset;
    this.emit(encodeEndBlock(footer));
    this.emit(encodeTrailer(endOffset));
    return this.take();
  }

  private emit(bytes: Uint8Array): void {
    this.pending.push(bytes);
    this.offset += bytes.length;
  }

  private take(): Uint8Array {
    const total = this.pending.reduce((n, part) => n + part.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const part of this.pending) {
      out.set(part, at);
      at += part.length;
    }
    this.pending.length = 0;
    return out;
  }
}
