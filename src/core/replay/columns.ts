/**
 * How the frames of one chunk are laid out before DEFLATE (docs/replays.md "Inflated chunk"):
 * column by column, widest elements first, little-endian; packing for the writer, unpacking (views
 * where possible) for the readers.
 */

import type { ChunkShape } from './blockHeader.js';

/**
 * The columns of one chunk of K frames, frame-major: vehicle i of frame k at k·V + i, agent j at
 * k·A + j, frame flags at k. Column storage (rather than frame after frame) puts like bytes
 * together, which DEFLATE compresses better, and lets a reader view each column in place.
 */
export interface ChunkColumns {
  readonly reward: Float64Array;
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly heading: Float32Array;
  readonly speed: Float32Array;
  readonly value: Float32Array;
  readonly flags: Uint8Array;
  readonly kind: Uint8Array;
  readonly lane: Uint8Array;
  readonly crashed: Uint8Array;
  readonly proposed: Int8Array;
  readonly executed: Int8Array;
  readonly rank: Uint8Array;
}

type ColumnName = keyof ChunkColumns;
type ColumnType = 'f64' | 'f32' | 'u8' | 'i8';

/** One column: name, element type, and whether it has one entry per frame, vehicle or agent. */
interface ColumnSpec {
  readonly name: ColumnName;
  readonly type: ColumnType;
  readonly per: 'frame' | 'vehicle' | 'agent';
}

/**
 * The inflated chunk is these columns back to back, in this order (widest elements first, so each
 * column starts aligned to its element size and a little-endian reader can view it in place).
 */
export const CHUNK_COLUMNS: readonly ColumnSpec[] = [
  { name: 'reward', type: 'f64', per: 'agent' },
  { name: 'x', type: 'f32', per: 'vehicle' },
  { name: 'y', type: 'f32', per: 'vehicle' },
  { name: 'heading', type: 'f32', per: 'vehicle' },
  { name: 'speed', type: 'f32', per: 'vehicle' },
  { name: 'value', type: 'f32', per: 'agent' },
  { name: 'flags', type: 'u8', per: 'frame' },
  { name: 'kind', type: 'u8', per: 'vehicle' },
  { name: 'lane', type: 'u8', per: 'vehicle' },
  { name: 'crashed', type: 'u8', per: 'vehicle' },
  { name: 'proposed', type: 'i8', per: 'agent' },
  { name: 'executed', type: 'i8', per: 'agent' },
  { name: 'rank', type: 'u8', per: 'agent' },
];

const ELEMENT_BYTES: Readonly<Record<ColumnType, number>> = { f64: 8, f32: 4, u8: 1, i8: 1 };

// The format is little-endian; a big-endian host goes through DataView instead of views.
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function entries(spec: ColumnSpec, frames: number, vehicles: number, agents: number): number {
  return frames * (spec.per === 'frame' ? 1 : spec.per === 'vehicle' ? vehicles : agents);
}

function newColumn(type: ColumnType, length: number): ChunkColumns[ColumnName] {
  if (type === 'f64') return new Float64Array(length);
  if (type === 'f32') return new Float32Array(length);
  return type === 'u8' ? new Uint8Array(length) : new Int8Array(length);
}

/** Size of the inflated chunk [bytes] for K frames of V vehicles and A agents. */
export function chunkBytes(frames: number, vehicles: number, agents: number): number {
  let bytes = 0;
  for (const spec of CHUNK_COLUMNS)
    bytes += entries(spec, frames, vehicles, agents) * ELEMENT_BYTES[spec.type];
  return bytes;
}

/** What a HORM chunk may hold: at least `agents` vehicles (agent j is vehicle j). */
export function hormChunkShape(agents: number): ChunkShape {
  return {
    entities: 'vehicles',
    checkCount: (vehicles) =>
      vehicles < agents ? `expected at least ${agents} vehicles (the agents), found ${vehicles}` : null,
    chunkBytes: (frames, vehicles) => chunkBytes(frames, vehicles, agents),
  };
}

/** Zeroed columns for `frames` frames (the writer's buffers). */
export function allocateColumns(frames: number, vehicles: number, agents: number): ChunkColumns {
  const columns: Partial<Record<ColumnName, ChunkColumns[ColumnName]>> = {};
  for (const spec of CHUNK_COLUMNS)
    columns[spec.name] = newColumn(spec.type, entries(spec, frames, vehicles, agents));
  return columns as ChunkColumns;
}

/** Packs the first `frames` frames of `columns` into the inflated chunk layout. */
export function packColumns(
  columns: ChunkColumns,
  frames: number,
  vehicles: number,
  agents: number,
): Uint8Array {
  const out = new Uint8Array(chunkBytes(frames, vehicles, agents));
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const spec of CHUNK_COLUMNS) {
    const n = entries(spec, frames, vehicles, agents);
    const size = ELEMENT_BYTES[spec.type];
    const column = columns[spec.name];
    if (LITTLE_ENDIAN_HOST || size === 1) {
      out.set(new Uint8Array(column.buffer, column.byteOffset, n * size), offset);
    } else {
      for (let i = 0; i < n; i++) {
        if (spec.type === 'f64') view.setFloat64(offset + 8 * i, column[i]!, true);
        else view.setFloat32(offset + 4 * i, column[i]!, true);
      }
    }
    offset += n * size;
  }
  return out;
}

/**
 * The columns of an inflated chunk: views into `bytes` where the host is little-endian and the
 * column is aligned (always, for a buffer of its own), copies otherwise.
 */
export function unpackColumns(
  bytes: Uint8Array,
  frames: number,
  vehicles: number,
  agents: number,
): ChunkColumns {
  const columns: Partial<Record<ColumnName, ChunkColumns[ColumnName]>> = {};
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  for (const spec of CHUNK_COLUMNS) {
    const n = entries(spec, frames, vehicles, agents);
    const size = ELEMENT_BYTES[spec.type];
    const at = bytes.byteOffset + offset;
    if ((LITTLE_ENDIAN_HOST || size === 1) && at % size === 0) {
      const buffer = bytes.buffer;
      columns[spec.name] =
        spec.type === 'f64'
          ? new Float64Array(buffer, at, n)
          : spec.type === 'f32'
            ? new Float32Array(buffer, at, n)
            : spec.type === 'u8'
              ? new Uint8Array(buffer, at, n)
              : new Int8Array(buffer, at, n);
    } else {
      const column = newColumn(spec.type, n);
      for (let i = 0; i < n; i++) {
        column[i] =
          spec.type === 'f64'
            ? view.getFloat64(offset + 8 * i, true)
            : spec.type === 'f32'
              ? view.getFloat32(offset + 4 * i, true)
              : spec.type === 'u8'
                ? view.getUint8(offset + i)
                : view.getInt8(offset + i);
      }
      columns[spec.name] = column;
    }
    offset += n * size;
  }
  return columns as ChunkColumns;
}
