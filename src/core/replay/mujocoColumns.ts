/**
 * How the frames of one MuJoCo chunk are laid out before DEFLATE (docs/replays.md "MuJoCo
 * replays"): column by column, widest elements first, each column entry-major (entry e of frame k
 * at e·K + k: a body coordinate's values over the chunk in a row) and byte-planed, little-endian
 * (packMujocoColumns); decoded, the columns are frame-major again (body b of frame k at (k·B + b)·3
 * for positions):
 *
 *   reward      K        float64   the shared reward of the frame's decision
 *   position    K·B·3    float32   body origins [m]
 *   quaternion  K·B·4    float32   body orientations (w, x, y, z)
 *   actions     K·D      float32   the joint action, D = the agents' action dimensions added up
 *   flags       K        u8        bit 0: the frame has a decision
 *
 * The block header's entity count is B, the model's body count, in every chunk.
 */
import type { ChunkShape } from './blockHeader.js';
import { FRAME_DECISION } from './layout.js';
import type { MujocoReplayFrame } from './mujocoFrame.js';

/** The columns of one chunk of K frames. */
export interface MujocoChunkColumns {
  readonly reward: Float64Array;
  readonly position: Float32Array;
  readonly quaternion: Float32Array;
  readonly actions: Float32Array;
  readonly flags: Uint8Array;
}

// The format is little-endian; a big-endian host converts through DataView.
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Size of the inflated chunk [bytes] for K frames of B bodies and D action values. */
export function mujocoChunkBytes(frames: number, bodies: number, actionValues: number): number {
  return frames * (8 + 4 * 3 * bodies + 4 * 4 * bodies + 4 * actionValues + 1);
}

/** What a MuJoCo chunk may hold: exactly the model's `bodies` bodies per frame. */
export function mujocoChunkShape(bodies: number, actionValues: number): ChunkShape {
  return {
    entities: 'bodies',
    checkCount: (count) =>
      count !== bodies ? `expected ${bodies} bodies (the model's), found ${count}` : null,
    chunkBytes: (frames, count) => mujocoChunkBytes(frames, count, actionValues),
  };
}

/** Zeroed columns for `frames` frames (the writer's buffers). */
export function allocateMujocoColumns(
  frames: number,
  bodies: number,
  actionValues: number,
): MujocoChunkColumns {
  return {
    reward: new Float64Array(frames),
    position: new Float32Array(frames * bodies * 3),
    quaternion: new Float32Array(frames * bodies * 4),
    actions: new Float32Array(frames * actionValues),
    flags: new Uint8Array(frames),
  };
}

/** The columns in file order: values (frame-major), entries per frame and element size [bytes]. */
function orderedColumns(
  columns: MujocoChunkColumns,
  frames: number,
  bodies: number,
  actionValues: number,
): [Float64Array | Float32Array | Uint8Array, number, number][] {
  return [
    [columns.reward.subarray(0, frames), 1, 8],
    [columns.position.subarray(0, frames * bodies * 3), bodies * 3, 4],
    [columns.quaternion.subarray(0, frames * bodies * 4), bodies * 4, 4],
    [columns.actions.subarray(0, frames * actionValues), actionValues, 4],
    [columns.flags.subarray(0, frames), 1, 1],
  ];
}

/** A column's elements as little-endian bytes (a view on a little-endian host). */
function littleEndianBytes(column: Float64Array | Float32Array | Uint8Array, size: number): Uint8Array {
  const bytes = new Uint8Array(column.buffer, column.byteOffset, column.byteLength);
  if (LITTLE_ENDIAN_HOST || size === 1) return bytes;
  const out = new Uint8Array(column.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < column.length; i++) {
    if (size === 8) view.setFloat64(8 * i, column[i]!, true);
    else view.setFloat32(4 * i, column[i]!, true);
  }
  return out;
}

/**
 * Packs the first `frames` frames of `columns` into the inflated chunk layout. Each column is
 * stored entry by entry (one body coordinate's K values in a row: a smooth time series, not the
 * frame's mix of coordinates) and byte-planed (byte b of stored element i of an n-element column at
 * b·n + i), so the nearly constant sign and exponent bytes sit together: a fifth to a third smaller
 * than frame-major floats under DEFLATE on HalfCheetah (docs/replays.md "MuJoCo replays").
 */
export function packMujocoColumns(
  columns: MujocoChunkColumns,
  frames: number,
  bodies: number,
  actionValues: number,
): Uint8Array {
  const out = new Uint8Array(mujocoChunkBytes(frames, bodies, actionValues));
  let offset = 0;
  for (const [column, width, size] of orderedColumns(columns, frames, bodies, actionValues)) {
    const bytes = littleEndianBytes(column, size);
    const n = column.length;
    for (let e = 0; e < width; e++) {
      for (let t = 0; t < frames; t++) {
        const stored = e * frames + t;
        const source = size * (t * width + e);
        for (let b = 0; b < size; b++) out[offset + b * n + stored] = bytes[source + b]!;
      }
    }
    offset += n * size;
  }
  return out;
}

/**
 * The frame-major little-endian bytes of the column of `frames` × `width` elements of `size` bytes
 * stored at `offset` of `bytes` (packMujocoColumns' layout).
 */
function unpackColumn(
  bytes: Uint8Array,
  offset: number,
  frames: number,
  width: number,
  size: number,
): Uint8Array {
  const n = frames * width;
  const out = new Uint8Array(n * size);
  for (let e = 0; e < width; e++) {
    for (let t = 0; t < frames; t++) {
      const stored = e * frames + t;
      const target = size * (t * width + e);
      for (let b = 0; b < size; b++) out[target + b] = bytes[offset + b * n + stored]!;
    }
  }
  return out;
}

/** The columns of an inflated chunk (packMujocoColumns' layout), frame-major, as new arrays. */
export function unpackMujocoColumns(
  bytes: Uint8Array,
  frames: number,
  bodies: number,
  actionValues: number,
): MujocoChunkColumns {
  let offset = 0;
  const floats = (width: number, size: 4 | 8): Float32Array | Float64Array => {
    const le = unpackColumn(bytes, offset, frames, width, size);
    const n = frames * width;
    offset += n * size;
    if (LITTLE_ENDIAN_HOST) return size === 8 ? new Float64Array(le.buffer) : new Float32Array(le.buffer);
    const view = new DataView(le.buffer);
    const column = size === 8 ? new Float64Array(n) : new Float32Array(n);
    for (let i = 0; i < n; i++) {
      column[i] = size === 8 ? view.getFloat64(8 * i, true) : view.getFloat32(4 * i, true);
    }
    return column;
  };
  const reward = floats(1, 8) as Float64Array;
  const position = floats(bodies * 3, 4) as Float32Array;
  const quaternion = floats(bodies * 4, 4) as Float32Array;
  const actions = floats(actionValues, 4) as Float32Array;
  const flags = bytes.slice(offset, offset + frames);
  return { reward, position, quaternion, actions, flags };
}

/** One decoded MuJoCo chunk: its frames as views into its columns. */
export class MujocoReplayChunk {
  constructor(
    readonly firstFrame: number,
    readonly frameCount: number,
    readonly bodyCount: number,
    readonly actionValues: number,
    readonly columns: MujocoChunkColumns,
  ) {}

  /** Frame `firstFrame + k`. */
  frame(k: number): MujocoReplayFrame {
    if (!Number.isInteger(k) || k < 0 || k >= this.frameCount) {
      throw new RangeError(`MujocoReplayChunk.frame: expected 0..${this.frameCount - 1}, received ${k}`);
    }
    const c = this.columns;
    const b = this.bodyCount;
    const d = this.actionValues;
    return {
      index: this.firstFrame + k,
      decision: (c.flags[k]! & FRAME_DECISION) !== 0,
      bodyCount: b,
      position: c.position.subarray(k * b * 3, (k + 1) * b * 3),
      quaternion: c.quaternion.subarray(k * b * 4, (k + 1) * b * 4),
      actions: c.actions.subarray(k * d, (k + 1) * d),
      reward: c.reward[k]!,
    };
  }
}
