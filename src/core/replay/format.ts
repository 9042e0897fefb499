/**
 * The replay file format, version 1 (docs/replays.md): one recorded episode as
 *
 *   preamble   16 bytes   magic 89 53 52 50 0D 0A 1A 0A ("\x89SRP\r\n\x1A\n"), u16 format version,
 *                         u16 flags (0), u32 header length H
 *   header     H + 4      UTF-8 JSON (ReplayHeaderSchema), then its u32 CRC-32
 *   chunk*     20 + C     block header (type 'F', frame count K, first frame, vehicle count V,
 *                         compressed length C, CRC-32 of those C bytes), then K frames as one raw
 *                         DEFLATE stream of columns (CHUNK_COLUMNS)
 *   end block  20 + J     block header (type 'E', frame count, footer length J, CRC-32), then the
 *                         footer JSON (ReplayFooterSchema: chunk index and episode summary)
 *   trailer    8 bytes    u32 offset of the end block, "SRPE"
 *
 * All integers are little-endian. Chunks are independent DEFLATE streams, so a reader can stream
 * the file front to back (frames arrive a chunk at a time) or, given the whole file, jump from the
 * trailer to the index to any chunk. Magic in PNG style: the high byte catches 7-bit transfers,
 * CR LF catches newline conversion, 0x1A stops `type` on Windows.
 *
 * Frame semantics: frame t holds the state after t decisions (t = 0 is the reset state) and, when
 * `decision` is set, the decision taken in that state (priority rank, proposed and executed
 * action, the policy's value estimate) with the reward it earned. The last frame of a finished
 * episode is the terminal state: no decision. Agent j is vehicle j (agents come first).
 *
 * This file is platform-free: bytes in, bytes out.
 */
import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';
import { z } from 'zod';
import { crc32 } from './crc32.js';
import { ReplayError } from './replayError.js';

// --- constants of the byte layout ---

/** First 8 bytes of every replay file. */
export const REPLAY_MAGIC: Readonly<Uint8Array> = Uint8Array.of(
  0x89,
  0x53,
  0x52,
  0x50,
  0x0d,
  0x0a,
  0x1a,
  0x0a,
);
/** Format version this build writes. */
export const REPLAY_FORMAT_VERSION = 1;
/** Format versions this build reads. */
export const SUPPORTED_REPLAY_VERSIONS: readonly number[] = [1];
/** File name extension of replays. */
export const REPLAY_FILE_EXTENSION = '.replay';

/** Bytes of the preamble: magic, version, flags, header length. */
export const PREAMBLE_BYTES = 16;
/** Bytes of the CRC-32 after the header JSON. */
export const HEADER_CRC_BYTES = 4;
/** Bytes of a block header (chunk or end block). */
export const BLOCK_HEADER_BYTES = 20;
/** Bytes of the trailer: end-block offset and the end tag. */
export const TRAILER_BYTES = 8;
/** Last 4 bytes of a finished replay. */
export const TRAILER_TAG: Readonly<Uint8Array> = Uint8Array.of(0x53, 0x52, 0x50, 0x45); // "SRPE"

/** Block type byte of a chunk of frames ('F'). */
export const BLOCK_FRAMES = 0x46;
/** Block type byte of the end block ('E'). */
export const BLOCK_END = 0x45;

/** Action byte of "no action" (the terminal frame). */
export const NO_ACTION = -1;
/** Rank byte of "no rank" (the terminal frame). */
export const NO_RANK = 255;
/** Lane byte of "no lane". */
export const NO_LANE = 255;
/** Frame flag: the frame carries a decision (all frames but the terminal one). */
export const FRAME_DECISION = 1;

/** Most agents a replay holds (ranks are bytes and 255 means none). */
export const MAX_AGENTS = 254;
/** Most vehicles per frame (a u16 in the block header). */
export const MAX_VEHICLES = 0xffff;
/** Most frames per chunk (a u16 in the block header). */
export const MAX_CHUNK_FRAMES = 0xffff;
/** Largest header or footer JSON [bytes]; a bigger length field means a damaged file. */
export const MAX_JSON_BYTES = 16 * 1024 * 1024;
/** Largest inflated chunk [bytes]; keeps a damaged length field from allocating gigabytes. */
export const MAX_CHUNK_BYTES = 64 * 1024 * 1024;

// --- header and footer schemas ---

/** A JSON value (the scenario document is kept as plain JSON). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
const JsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(JsonValueSchema),
    z.record(z.string(), JsonValueSchema),
  ]),
);

const label = (max: number) => z.string().min(1).max(max);
const PATH_CHARS = 4096;

/** Segment lengths of the merge road [m] (docs/spec/horm.md §1.1; scenario `road`). */
export const ReplayRoadSchema = z.strictObject({
  beforeMergeM: z.number().positive(),
  convergingM: z.number().positive(),
  mergeM: z.number().positive(),
  afterMergeM: z.number().positive(),
});

/** The header: everything fixed for the episode, written before the first frame. */
export const ReplayHeaderSchema = z.strictObject({
  /** Env registry name, e.g. "horm:density-3". */
  env: label(200),
  /** The scenario that made the episode. */
  scenario: z.strictObject({
    /** Name shown in lists ("HORM hard", or the env name when there is no scenario file). */
    name: label(200),
    /** Seed of the episode (`env.reset(seed)`, docs/spec/horm.md §5.4). */
    seed: z.int(),
    /** Reference traffic density when traffic was drawn by density (docs/spec/horm.md §5.1). */
    density: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
    /** Scenario file, as the user gave it. */
    file: z.string().max(PATH_CHARS).optional(),
    /** The resolved scenario (src/core/scenario), so a player can show and rebuild it. */
    document: z.record(z.string(), JsonValueSchema).optional(),
  }),
  /** What chose the actions. */
  model: z.strictObject({
    /** Short name: "steer", "random", "idle", a baseline's name. */
    name: label(200),
    /** Run folder, e.g. "runs/demo". */
    run: z.string().max(PATH_CHARS).optional(),
    /** Checkpoint directory. */
    checkpoint: z.string().max(PATH_CHARS).optional(),
    /** Training updates done when the checkpoint was saved. */
    update: z.int().nonnegative().optional(),
    /** Greedy (argmax) actions rather than sampled ones. */
    deterministic: z.boolean().optional(),
    /** Seed of the action sampler. */
    seed: z.int().optional(),
  }),
  /** Number of agents A (the first A vehicles of every frame). */
  agents: z.int().min(1).max(MAX_AGENTS),
  /** Road the episode ran on. */
  road: ReplayRoadSchema,
  /** Lane byte → lane id "from-to-index" (docs/spec/horm.md §1.2), e.g. ["a-b-0", "b-c-0", …]. */
  lanes: z.array(label(40)).max(NO_LANE),
  /** Kind byte → vehicle kind, e.g. ["cav", "hdv"]. */
  kinds: z.array(label(40)).min(1).max(255),
  /** Action byte → meta-action name (docs/spec/horm.md §3.1), e.g. ["LANE_LEFT", "IDLE", …]. */
  actions: z.array(label(40)).min(1).max(127),
  /** Duration of one decision step [s] (1 / policy frequency, docs/spec/horm.md §2.3). */
  stepS: z.number().positive().max(3600),
  /** Reward each agent received: "regional", "local" or "global" (docs/spec/horm.md §7). */
  rewardType: label(40),
  /** Whether the safety supervisor could replace actions (docs/spec/horm.md §3.6). */
  supervisor: z.boolean(),
  /** Agent priority rule behind the ranks ("index", "mainRoadFirst", "closestToMerge"). */
  priorityRule: label(40),
  /** When the recording was made (ISO 8601), supplied by the caller: the core reads no clock. */
  createdAt: z.iso.datetime({ offset: true }),
  /** Program that wrote the file, e.g. "steer-studio 0.1.0". */
  generator: z.string().max(200).optional(),
});

/** A replay header. */
export type ReplayHeader = z.output<typeof ReplayHeaderSchema>;

/** Episode totals, computed by the writer from the frames. */
export const ReplaySummarySchema = z.strictObject({
  /** Decision frames (policy steps taken). */
  steps: z.int().nonnegative(),
  /** Sum of each agent's rewards over the decisions (null if not finite). */
  returns: z.array(z.number().nullable()),
  /** Agents whose vehicle is crashed in some frame, ascending. */
  crashedAgents: z.array(z.int().nonnegative()),
  /** First frame in which an agent is crashed, or null. */
  crashFrame: z.int().nonnegative().nullable(),
  /** Decisions the safety supervisor changed (agent entries with executed ≠ proposed). */
  supervisorChanges: z.int().nonnegative(),
  /** Largest vehicle count of any frame. */
  maxVehicles: z.int().nonnegative(),
});

/** Episode totals. */
export type ReplaySummary = z.output<typeof ReplaySummarySchema>;

/** The footer: chunk index and summary, written after the last frame. */
export const ReplayFooterSchema = z.strictObject({
  /** Number of frames in the file. */
  frames: z.int().nonnegative(),
  /** One entry per chunk, in file order: [byte offset of its block header, first frame, frames]. */
  chunks: z.array(
    z.tuple([z.int().nonnegative(), z.int().nonnegative(), z.int().min(1).max(MAX_CHUNK_FRAMES)]),
  ),
  summary: ReplaySummarySchema,
});

/** A replay footer. */
export type ReplayFooter = z.output<typeof ReplayFooterSchema>;

// --- frames ---

/**
 * One decision step as read back. Per-vehicle arrays have `vehicleCount` entries, per-agent arrays
 * `agents` entries. The arrays are views into the decoded chunk: copy what you keep and change.
 */
export interface ReplayFrame {
  /** Frame number from 0 (the reset state). */
  readonly index: number;
  /** False on the terminal frame, whose agent fields are NO_ACTION / NO_RANK / 0 / value or NaN. */
  readonly decision: boolean;
  readonly vehicleCount: number;
  /** Vehicle centre [m], world frame of docs/spec/horm.md §0 (x along the road, +y toward the ramp). */
  readonly x: Float32Array;
  readonly y: Float32Array;
  /** Heading [rad] (0 = +x, not wrapped). */
  readonly heading: Float32Array;
  /** Signed speed [m/s]. */
  readonly speed: Float32Array;
  /** Index into header.kinds. */
  readonly kind: Uint8Array;
  /** Index into header.lanes, or NO_LANE. */
  readonly lane: Uint8Array;
  /** 1 when the vehicle is crashed (docs/spec/horm.md §2.6). */
  readonly crashed: Uint8Array;
  /** Action each agent's policy chose (index into header.actions), or NO_ACTION. */
  readonly proposed: Int8Array;
  /** Action executed after the safety supervisor, or NO_ACTION. */
  readonly executed: Int8Array;
  /** Position of each agent in the decision order (0 = leader), or NO_RANK. */
  readonly rank: Uint8Array;
  /** Reward each agent received for this frame's decision (0 without one). */
  readonly reward: Float64Array;
  /** The policy's value estimate of this state per agent, NaN when not given. */
  readonly value: Float32Array;
}

/** What the writer takes for one frame: ReplayFrame with any array-likes (a ReplayFrame fits). */
export interface ReplayFrameInput {
  readonly decision: boolean;
  readonly vehicleCount: number;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly heading: ArrayLike<number>;
  readonly speed: ArrayLike<number>;
  readonly kind: ArrayLike<number>;
  readonly lane: ArrayLike<number>;
  readonly crashed: ArrayLike<number>;
  readonly proposed: ArrayLike<number>;
  readonly executed: ArrayLike<number>;
  readonly rank: ArrayLike<number>;
  readonly reward: ArrayLike<number>;
  readonly value: ArrayLike<number>;
}

// --- chunk columns ---

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

/** One decoded chunk: its frames as views into its columns. */
export class ReplayChunk {
  constructor(
    /** Frame number of the chunk's first frame. */
    readonly firstFrame: number,
    readonly frameCount: number,
    readonly vehicleCount: number,
    readonly agents: number,
    readonly columns: ChunkColumns,
  ) {}

  /** Frame `firstFrame + k`. */
  frame(k: number): ReplayFrame {
    if (!Number.isInteger(k) || k < 0 || k >= this.frameCount) {
      throw new RangeError(`ReplayChunk.frame: expected 0..${this.frameCount - 1}, received ${k}`);
    }
    const c = this.columns;
    const v0 = k * this.vehicleCount;
    const v1 = v0 + this.vehicleCount;
    const a0 = k * this.agents;
    const a1 = a0 + this.agents;
    return {
      index: this.firstFrame + k,
      decision: (c.flags[k]! & FRAME_DECISION) !== 0,
      vehicleCount: this.vehicleCount,
      x: c.x.subarray(v0, v1),
      y: c.y.subarray(v0, v1),
      heading: c.heading.subarray(v0, v1),
      speed: c.speed.subarray(v0, v1),
      kind: c.kind.subarray(v0, v1),
      lane: c.lane.subarray(v0, v1),
      crashed: c.crashed.subarray(v0, v1),
      proposed: c.proposed.subarray(a0, a1),
      executed: c.executed.subarray(a0, a1),
      rank: c.rank.subarray(a0, a1),
      reward: c.reward.subarray(a0, a1),
      value: c.value.subarray(a0, a1),
    };
  }

  /** Every frame of the chunk, in order. */
  frames(): ReplayFrame[] {
    return Array.from({ length: this.frameCount }, (_, k) => this.frame(k));
  }
}

// --- preamble, header, blocks, trailer ---

/** "chunk 3 (frames 48–63)": how messages name a chunk. */
export function chunkSection(chunk: number, firstFrame: number, frames: number): string {
  return `chunk ${chunk} (frames ${firstFrame}–${firstFrame + frames - 1})`;
}

/** Hex bytes for messages: "89 53 52 50". */
function hex(bytes: ArrayLike<number>): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** A CRC for messages: "0x1a2b3c4d". */
export function hexCrc(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

/**
 * Throws `wrong-magic` unless `bytes` (the start of a file, possibly shorter than the magic)
 * agree with the magic as far as they go.
 */
export function checkMagicPrefix(bytes: Uint8Array): void {
  const n = Math.min(bytes.length, REPLAY_MAGIC.length);
  for (let i = 0; i < n; i++) {
    if (bytes[i] !== REPLAY_MAGIC[i]) {
      const found = bytes.subarray(0, n);
      const text = Array.from(found, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
      throw new ReplayError(
        'wrong-magic',
        'preamble',
        0,
        `expected the magic ${hex(REPLAY_MAGIC)}, found ${hex(found)} ("${text}")`,
      );
    }
  }
}

/** The preamble for a header of `headerBytes` bytes. */
export function encodePreamble(headerBytes: number): Uint8Array {
  const out = new Uint8Array(PREAMBLE_BYTES);
  out.set(REPLAY_MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint16(8, REPLAY_FORMAT_VERSION, true);
  view.setUint16(10, 0, true);
  view.setUint32(12, headerBytes, true);
  return out;
}

/** Reads the 16-byte preamble: checks magic, version and flags; returns the header length. */
export function decodePreamble(bytes: Uint8Array): {
  readonly version: number;
  readonly headerBytes: number;
} {
  checkMagicPrefix(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, PREAMBLE_BYTES);
  const version = view.getUint16(8, true);
  if (!SUPPORTED_REPLAY_VERSIONS.includes(version)) {
    throw new ReplayError(
      'unknown-version',
      'preamble',
      8,
      `expected format version ${SUPPORTED_REPLAY_VERSIONS.join(' or ')}, found ${version}${version > REPLAY_FORMAT_VERSION ? ' (written by a newer STEER Studio?)' : ''}`,
    );
  }
  const flags = view.getUint16(10, true);
  if (flags !== 0) {
    throw new ReplayError(
      'invalid',
      'preamble',
      10,
      `expected flags 0 in format version ${version}, found ${flags}`,
    );
  }
  const headerBytes = view.getUint32(12, true);
  if (headerBytes < 2 || headerBytes > MAX_JSON_BYTES) {
    throw new ReplayError(
      'corrupted',
      'preamble',
      12,
      `expected a header length in [2, ${MAX_JSON_BYTES}] bytes, found ${headerBytes}`,
    );
  }
  return { version, headerBytes };
}

/** A field path as JavaScript writes it: `scenario.name`, `lanes[3]`; `(root)` when empty. */
function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path)
    out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  return out === '' ? '(root)' : out;
}

/** "scenario.name: Too small: …; agents: …" from zod issues. */
function issueText(error: z.ZodError): string {
  return error.issues.map((issue) => `${issuePath(issue.path)}: ${issue.message}`).join('; ');
}

/** The header JSON plus its CRC-32, after validating `header`. */
export function encodeHeader(header: ReplayHeader): Uint8Array {
  const parsed = ReplayHeaderSchema.safeParse(header);
  if (!parsed.success) throw new ReplayError('invalid', 'header', PREAMBLE_BYTES, issueText(parsed.error));
  const json = strToU8(JSON.stringify(parsed.data));
  const out = new Uint8Array(json.length + HEADER_CRC_BYTES);
  out.set(json, 0);
  new DataView(out.buffer).setUint32(json.length, crc32(json), true);
  return out;
}

/** Parses `JSON bytes + CRC-32` read at `offset` against `schema`. */
function decodeJson<T>(
  bytes: Uint8Array,
  expectedCrc: number,
  schema: z.ZodType<T>,
  section: string,
  offset: number,
): T {
  const actual = crc32(bytes);
  if (actual !== expectedCrc) {
    throw new ReplayError(
      'corrupted',
      section,
      offset,
      `CRC-32 expected ${hexCrc(expectedCrc)}, found ${hexCrc(actual)}`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(strFromU8(bytes));
  } catch (error) {
    throw new ReplayError('invalid', section, offset, `expected JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ReplayError('invalid', section, offset, issueText(parsed.error));
  return parsed.data;
}

/** Reads the header from `bytes` = header JSON followed by its CRC-32. */
export function decodeHeader(bytes: Uint8Array): ReplayHeader {
  const n = bytes.length - HEADER_CRC_BYTES;
  const crc = new DataView(bytes.buffer, bytes.byteOffset + n, HEADER_CRC_BYTES).getUint32(0, true);
  return decodeJson(bytes.subarray(0, n), crc, ReplayHeaderSchema, 'header', PREAMBLE_BYTES);
}

/** A parsed block header. */
export interface BlockHeader {
  /** BLOCK_FRAMES or BLOCK_END. */
  readonly type: number;
  /** Chunk: frames in it; end block: 0. */
  readonly frames: number;
  /** Chunk: number of its first frame; end block: frames in the file. */
  readonly firstFrame: number;
  /** Chunk: vehicles per frame; end block: 0. */
  readonly vehicles: number;
  /** Bytes that follow the block header. */
  readonly length: number;
  /** CRC-32 of those bytes. */
  readonly crc: number;
}

/** The 20-byte block header followed by `payload`. */
export function encodeBlock(
  type: number,
  frames: number,
  firstFrame: number,
  vehicles: number,
  payload: Uint8Array,
): Uint8Array {
  const out = new Uint8Array(BLOCK_HEADER_BYTES + payload.length);
  const view = new DataView(out.buffer);
  view.setUint8(0, type);
  view.setUint8(1, 0);
  view.setUint16(2, frames, true);
  view.setUint32(4, firstFrame, true);
  view.setUint16(8, vehicles, true);
  view.setUint16(10, 0, true);
  view.setUint32(12, payload.length, true);
  view.setUint32(16, crc32(payload), true);
  out.set(payload, BLOCK_HEADER_BYTES);
  return out;
}

/**
 * Reads a block header at file offset `offset` and checks what can be checked before its payload:
 * a known type, the frame numbering `nextFrame` continues, sizes within limits.
 */
export function decodeBlockHeader(
  bytes: Uint8Array,
  offset: number,
  nextFrame: number,
  chunk: number,
  agents: number,
): BlockHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, BLOCK_HEADER_BYTES);
  const type = view.getUint8(0);
  const block: BlockHeader = {
    type,
    frames: view.getUint16(2, true),
    firstFrame: view.getUint32(4, true),
    vehicles: view.getUint16(8, true),
    length: view.getUint32(12, true),
    crc: view.getUint32(16, true),
  };
  const reserved = view.getUint8(1) | view.getUint16(10, true);
  if (type === BLOCK_END) {
    const section = 'end block';
    // An end block has no frame count or vehicle count of its own: those fields are 0 too.
    if ((reserved | block.frames | block.vehicles) !== 0) {
      throw new ReplayError(
        'corrupted',
        section,
        offset,
        `expected zeros in bytes 1–3 and 8–11 of the block header, found ${hex(bytes.subarray(1, 4))} and ${hex(bytes.subarray(8, 12))}`,
      );
    }
    if (block.firstFrame !== nextFrame) {
      throw new ReplayError(
        'corrupted',
        section,
        offset,
        `expected a frame count of ${nextFrame} (the frames read), found ${block.firstFrame}`,
      );
    }
    if (block.length < 2 || block.length > MAX_JSON_BYTES) {
      throw new ReplayError(
        'corrupted',
        section,
        offset,
        `expected a footer length in [2, ${MAX_JSON_BYTES}] bytes, found ${block.length}`,
      );
    }
    return block;
  }
  if (type !== BLOCK_FRAMES) {
    throw new ReplayError(
      'corrupted',
      `block after frame ${nextFrame - 1}`,
      offset,
      `expected block type 0x46 ("F", frames) or 0x45 ("E", end), found 0x${type.toString(16).padStart(2, '0')}`,
    );
  }
  const section = chunkSection(chunk, block.firstFrame, Math.max(block.frames, 1));
  if (reserved !== 0) {
    throw new ReplayError(
      'corrupted',
      section,
      offset,
      `expected zeros in the reserved bytes 1 and 10–11 of the block header, found ${hex(bytes.subarray(1, 2))} and ${hex(bytes.subarray(10, 12))}`,
    );
  }
  if (block.firstFrame !== nextFrame) {
    throw new ReplayError(
      'corrupted',
      section,
      offset,
      `expected first frame ${nextFrame}, found ${block.firstFrame}`,
    );
  }
  if (block.frames < 1)
    throw new ReplayError('corrupted', section, offset, 'expected at least 1 frame, found 0');
  if (block.vehicles < agents) {
    throw new ReplayError(
      'corrupted',
      section,
      offset,
      `expected at least ${agents} vehicles (the agents), found ${block.vehicles}`,
    );
  }
  const inflated = chunkBytes(block.frames, block.vehicles, agents);
  if (inflated > MAX_CHUNK_BYTES) {
    throw new ReplayError(
      'invalid',
      section,
      offset,
      `expected at most ${MAX_CHUNK_BYTES} bytes of frames per chunk, found ${block.frames} frames × ${block.vehicles} vehicles = ${inflated} bytes`,
    );
  }
  return block;
}

/** DEFLATE level of chunks (fflate's default: within a few % of 9, twice as fast). */
export const DEFLATE_LEVEL = 6;

/** The compressed payload of a chunk. */
export function compressChunk(raw: Uint8Array): Uint8Array {
  return deflateSync(raw, { level: DEFLATE_LEVEL });
}

/** Checks and inflates a chunk's payload (read at file offset `offset`) into a ReplayChunk. */
export function decodeChunk(
  block: BlockHeader,
  payload: Uint8Array,
  chunk: number,
  agents: number,
  offset: number,
): ReplayChunk {
  const section = chunkSection(chunk, block.firstFrame, block.frames);
  const actual = crc32(payload);
  if (actual !== block.crc) {
    throw new ReplayError(
      'corrupted',
      section,
      offset,
      `CRC-32 expected ${hexCrc(block.crc)}, found ${hexCrc(actual)}`,
    );
  }
  const expected = chunkBytes(block.frames, block.vehicles, agents);
  // One spare byte: an inflated stream longer than expected fills it instead of being cut silently.
  const out = new Uint8Array(expected + 1);
  let inflated: Uint8Array;
  try {
    inflated = inflateSync(payload, { out });
  } catch (error) {
    throw new ReplayError(
      'corrupted',
      section,
      offset,
      `cannot inflate the frames: ${(error as Error).message}`,
    );
  }
  if (inflated.length !== expected) {
    throw new ReplayError(
      'corrupted',
      section,
      offset,
      `expected ${expected} bytes of frames after inflating, found ${inflated.length === expected + 1 ? 'more' : inflated.length}`,
    );
  }
  const columns = unpackColumns(out.subarray(0, expected), block.frames, block.vehicles, agents);
  return new ReplayChunk(block.firstFrame, block.frames, block.vehicles, agents, columns);
}

/** The end block: footer JSON with its block header. */
export function encodeEndBlock(footer: ReplayFooter): Uint8Array {
  return encodeBlock(BLOCK_END, 0, footer.frames, 0, strToU8(JSON.stringify(footer)));
}

/** Parses the end block's payload (read at file offset `offset`) and checks it against the frames read. */
export function decodeFooter(block: BlockHeader, payload: Uint8Array, offset: number): ReplayFooter {
  const footer = decodeJson(payload, block.crc, ReplayFooterSchema, 'end block', offset);
  if (footer.frames !== block.firstFrame) {
    throw new ReplayError(
      'corrupted',
      'end block',
      offset,
      `footer frames ${footer.frames} disagree with the block header's ${block.firstFrame}`,
    );
  }
  return footer;
}

/** The trailer pointing back at the end block at `endOffset`. */
export function encodeTrailer(endOffset: number): Uint8Array {
  const out = new Uint8Array(TRAILER_BYTES);
  new DataView(out.buffer).setUint32(0, endOffset, true);
  out.set(TRAILER_TAG, 4);
  return out;
}

/** Reads the trailer at file offset `offset`; returns the end block's offset. */
export function decodeTrailer(bytes: Uint8Array, offset: number): number {
  const tag = bytes.subarray(4, 8);
  if (!tag.every((b, i) => b === TRAILER_TAG[i])) {
    throw new ReplayError(
      'corrupted',
      'trailer',
      offset + 4,
      `expected the end tag ${hex(TRAILER_TAG)} ("SRPE"), found ${hex(tag)}`,
    );
  }
  return new DataView(bytes.buffer, bytes.byteOffset, TRAILER_BYTES).getUint32(0, true);
}
