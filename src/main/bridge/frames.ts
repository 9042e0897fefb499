/**
 * Frames of the bridge protocol (docs/envs/bridge-protocol.md "Frames"): one JSON header plus raw
 * typed arrays, length-prefixed, everything little-endian and 8-byte aligned:
 *
 *   u32 bodyLength | u32 headerLength H (8 + H ≡ 0 mod 8, space-padded) | header | arrays (each
 *   zero-padded to a multiple of 8)
 *
 * `encodeFrame` builds one frame, `decodeFrame` reads one back (typed-array views into the frame
 * when aligned, copies when not), and `FrameReader` cuts a byte stream into frames, refusing a
 * length over the limit before it buffers it. Pure: used by the calling thread (bridgeBatch.ts) and
 * by the I/O worker (serverProcess.ts) alike.
 */

/** Longest body a frame may have [bytes]: 256 MiB. */
export const MAX_FRAME_BODY_BYTES = 256 * 1024 * 1024;

/** The array element types the protocol carries. */
export type FrameDtype = 'float32' | 'float64' | 'int32' | 'uint8';

/** A typed array of one of the frame dtypes. */
export type FrameTypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** One array of a frame: its data (row-major) and shape. */
export interface FrameArray {
  readonly data: FrameTypedArray;
  readonly shape: readonly number[];
}

/** A decoded frame: its header (without "arrays") and its arrays by name. */
export interface Frame {
  readonly header: Readonly<Record<string, unknown>>;
  readonly arrays: ReadonlyMap<string, FrameArray>;
}

/** Raised on bytes that are not a valid frame (the bridge reports it as a protocol failure). */
export class FrameError extends Error {
  override readonly name = 'FrameError';
}

const DTYPE_SIZE: Readonly<Record<FrameDtype, number>> = { float32: 4, float64: 8, int32: 4, uint8: 1 };

function dtypeOf(data: FrameTypedArray): FrameDtype {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  return 'uint8';
}

const pad8 = (n: number): number => (n + 7) & ~7;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * One frame: `header` (a JSON object; its "arrays" entry is written here) followed by `arrays` in
 * their insertion order. Throws when an array's length does not match its shape or the frame
 * would exceed MAX_FRAME_BODY_BYTES.
 */
export function encodeFrame(
  header: Readonly<Record<string, unknown>>,
  arrays: Readonly<Record<string, FrameArray>> = {},
): Uint8Array {
  const entries = Object.entries(arrays);
  const specs = entries.map(([name, { data, shape }]) => {
    const count = shape.reduce((a, b) => a * b, 1);
    if (count !== data.length) {
      throw new FrameError(`array "${name}": ${data.length} values for shape [${shape.join(', ')}]`);
    }
    return { name, dtype: dtypeOf(data), shape: [...shape] };
  });
  const json = encoder.encode(JSON.stringify(specs.length > 0 ? { ...header, arrays: specs } : header));
  const headerLength = pad8(8 + json.length) - 8;
  let total = 8 + headerLength;
  for (const [, { data }] of entries) total += pad8(data.byteLength);
  if (total - 4 > MAX_FRAME_BODY_BYTES) {
    throw new FrameError(`a frame of ${total - 4} bytes exceeds the limit of ${MAX_FRAME_BODY_BYTES}`);
  }
  const frame = new Uint8Array(total); // zero-filled: the arrays' padding
  const view = new DataView(frame.buffer);
  view.setUint32(0, total - 4, true);
  view.setUint32(4, headerLength, true);
  frame.set(json, 8);
  frame.fill(0x20, 8 + json.length, 8 + headerLength); // the header's padding is spaces
  let offset = 8 + headerLength;
  for (const [, { data }] of entries) {
    frame.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), offset);
    offset += pad8(data.byteLength);
  }
  return frame;
}

/**
 * Parses the header of a whole frame (length prefix included). Throws FrameError when it is not a
 * JSON object; the I/O worker uses this alone to check a reply before forwarding it.
 */
export function decodeFrameHeader(frame: Uint8Array): Record<string, unknown> {
  if (frame.length < 8) throw new FrameError(`a frame of ${frame.length} bytes is shorter than its prefix`);
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const bodyLength = view.getUint32(0, true);
  const headerLength = view.getUint32(4, true);
  if (bodyLength !== frame.length - 4) {
    throw new FrameError(`the frame says ${bodyLength} body bytes but has ${frame.length - 4}`);
  }
  if (headerLength > bodyLength - 4) {
    throw new FrameError(`a header of ${headerLength} bytes does not fit a body of ${bodyLength}`);
  }
  let header: unknown;
  try {
    header = JSON.parse(decoder.decode(frame.subarray(8, 8 + headerLength)));
  } catch (error) {
    throw new FrameError(`the header is not UTF-8 JSON (${(error as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new FrameError('the header is not a JSON object');
  }
  return header as Record<string, unknown>;
}

/**
 * Decodes a whole frame (length prefix included). Arrays are views into `frame` when their offset
 * suits their dtype, copies otherwise; so they live as long as `frame`'s buffer is not reused.
 */
export function decodeFrame(frame: Uint8Array): Frame {
  const { arrays: specs, ...header } = decodeFrameHeader(frame);
  const arrays = new Map<string, FrameArray>();
  let offset = 8 + new DataView(frame.buffer, frame.byteOffset).getUint32(4, true);
  for (const spec of parseSpecs(specs)) {
    const size = DTYPE_SIZE[spec.dtype];
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const bytes = count * size;
    if (offset + bytes > frame.length) {
      throw new FrameError(`array "${spec.name}" (${bytes} bytes) runs past the end of the frame`);
    }
    arrays.set(spec.name, { data: typedView(spec.dtype, frame, offset, count), shape: spec.shape });
    offset += pad8(bytes);
  }
  return { header, arrays };
}

interface ArraySpec {
  readonly name: string;
  readonly dtype: FrameDtype;
  readonly shape: readonly number[];
}

function parseSpecs(specs: unknown): ArraySpec[] {
  if (specs === undefined) return [];
  if (!Array.isArray(specs)) throw new FrameError('the header\'s "arrays" is not a list');
  return specs.map((spec: unknown, i) => {
    const s = spec as Partial<Record<keyof ArraySpec, unknown>> | null;
    const ok =
      typeof s === 'object' &&
      s !== null &&
      typeof s.name === 'string' &&
      typeof s.dtype === 'string' &&
      Object.hasOwn(DTYPE_SIZE, s.dtype) &&
      Array.isArray(s.shape) &&
      s.shape.every((d) => Number.isInteger(d) && d >= 0);
    if (!ok) throw new FrameError(`arrays[${i}] is not {name, dtype (float32|float64|int32|uint8), shape}`);
    return s as ArraySpec;
  });
}

function typedView(dtype: FrameDtype, frame: Uint8Array, offset: number, count: number): FrameTypedArray {
  const start = frame.byteOffset + offset;
  const size = DTYPE_SIZE[dtype];
  // a misaligned view is not allowed: copy those bytes to a fresh (aligned) buffer
  const [buffer, at] =
    start % size === 0 ? [frame.buffer, start] : [frame.slice(offset, offset + count * size).buffer, 0];
  switch (dtype) {
    case 'float32':
      return new Float32Array(buffer, at, count);
    case 'float64':
      return new Float64Array(buffer, at, count);
    case 'int32':
      return new Int32Array(buffer, at, count);
    case 'uint8':
      return new Uint8Array(buffer, at, count);
  }
}

/**
 * Cuts a byte stream into whole frames: `push` each chunk as it arrives, then `next` until it
 * returns null. A length prefix over `maxBody` throws FrameError from `push` at once, before the
 * frame is buffered (after that the reader is unusable).
 */
export class FrameReader {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  /** Body length of the frame being assembled, once its prefix is in. */
  private want: number | null = null;

  constructor(private readonly maxBody = MAX_FRAME_BODY_BYTES) {}

  /** Bytes held that are not yet a whole frame. */
  get pending(): number {
    return this.buffered;
  }

  /** Appends a chunk (kept by reference: do not reuse its memory). */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    this.checkPrefix();
  }

  /** The next whole frame (length prefix included), or null when it has not fully arrived. */
  next(): Uint8Array | null {
    this.checkPrefix();
    if (this.want === null || this.buffered < 4 + this.want) return null;
    const frame = this.take(4 + this.want);
    this.want = null;
    this.checkPrefix();
    return frame;
  }

  private checkPrefix(): void {
    if (this.want !== null || this.buffered < 4) return;
    const head = this.peek(4);
    const length = new DataView(head.buffer, head.byteOffset, 4).getUint32(0, true);
    if (length > this.maxBody) {
      throw new FrameError(`a frame announces ${length} bytes, over the limit of ${this.maxBody}`);
    }
    if (length < 4) throw new FrameError(`a frame announces ${length} bytes, too few for its header length`);
    this.want = length;
  }

  /** The first n buffered bytes, without consuming them. */
  private peek(n: number): Uint8Array {
    const first = this.chunks[0]!;
    if (first.length >= n) return first.subarray(0, n);
    const out = new Uint8Array(n);
    let filled = 0;
    for (const chunk of this.chunks) {
      const part = chunk.subarray(0, n - filled);
      out.set(part, filled);
      filled += part.length;
      if (filled === n) break;
    }
    return out;
  }

  /** Removes and returns the first n buffered bytes, in a buffer of their own (aligned). */
  private take(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[0]!;
      const part = chunk.subarray(0, n - filled);
      out.set(part, filled);
      filled += part.length;
      if (part.length === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(part.length);
    }
    this.buffered -= n;
    return out;
  }
}
