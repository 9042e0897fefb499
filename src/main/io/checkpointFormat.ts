/**
 * The checkpoint format (checkpoint.ts reads and writes it): the manifest's schema, format
 * versions, checksums and every check made of a manifest and its tensors, without touching the
 * file system. Each check returns the issue to report (`field: expected …, found …`) or null.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { formatFieldPath } from '../../core/fieldPath.js';

/** Format version written by this build (2: the manifest carries the checksums). */
export const CHECKPOINT_FORMAT_VERSION = 2;
/** Format versions this build can read (1: before checksums, verified structurally only). */
export const SUPPORTED_CHECKPOINT_VERSIONS: readonly number[] = [1, 2];
/** File name of the manifest inside a checkpoint directory. */
export const CHECKPOINT_MANIFEST_FILE = 'checkpoint.json';
/** File name of the packed tensor data inside a checkpoint directory. */
export const CHECKPOINT_TENSORS_FILE = 'tensors.bin';

const BYTES_PER_FLOAT32 = 4;

/** A JSON value as `JSON.parse` returns it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object (the type of `meta` after loading). */
export type JsonObject = { [key: string]: JsonValue };

/** One named float32 tensor: row-major `data` of `shape`. */
export interface CheckpointTensor {
  /** Stable dotted name, e.g. 'policy.encoder.blocks.0.attn.query.kernel' or 'adam.m.…'. */
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** What a trainer saves: its JSON `meta` and its tensors. */
export interface Checkpoint<Meta extends object = object> {
  /**
   * Everything that is not a tensor (config, counters, RNG state, value normaliser, env snapshots…).
   * Must be a plain JSON object: finite numbers, strings, booleans, null, arrays, objects.
   */
  readonly meta: Meta;
  readonly tensors: readonly CheckpointTensor[];
}

/** A checkpoint as read back: `meta` is plain JSON for the trainer to validate. */
export interface LoadedCheckpoint extends Checkpoint<JsonObject> {
  readonly formatVersion: number;
  /** ISO 8601 time the checkpoint was written. */
  readonly createdAt: string;
}

/** The manifest's table entry for one tensor. Offsets and lengths count float32 values, not bytes. */
const TensorEntrySchema = z.strictObject({
  name: z.string().min(1),
  shape: z.array(z.int().nonnegative()),
  dtype: z.literal('float32'),
  /** Index of the tensor's first value in tensors.bin, in float32 values. */
  offset: z.int().nonnegative(),
  /** Number of float32 values (the product of `shape`). */
  length: z.int().nonnegative(),
});

/** A SHA-256 as hex digits. */
const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits');

/** Schema of `checkpoint.json` (format version 2). */
export const CheckpointManifestSchema = z.strictObject({
  formatVersion: z.literal(CHECKPOINT_FORMAT_VERSION),
  kind: z.literal('steer-checkpoint'),
  createdAt: z.iso.datetime(),
  /** SHA-256 of this manifest's content without this field (`manifestSha256()`). */
  manifestSha256: Sha256Schema,
  /** tensors.bin as it was written. */
  tensorsFile: z.strictObject({ bytes: z.int().nonnegative(), sha256: Sha256Schema }),
  meta: z.record(z.string(), z.unknown()),
  tensors: z.array(TensorEntrySchema),
});

/** Schema of a format 1 `checkpoint.json`: format 2 without the checksums. */
export const CheckpointManifestV1Schema = CheckpointManifestSchema.omit({
  manifestSha256: true,
  tensorsFile: true,
}).extend({ formatVersion: z.literal(1) });

/** The parsed contents of `checkpoint.json`. */
export type CheckpointManifest = z.infer<typeof CheckpointManifestSchema>;
/** A manifest of either format this build reads. */
export type AnyCheckpointManifest = CheckpointManifest | z.infer<typeof CheckpointManifestV1Schema>;

/** A checkpoint could not be read or written; `issues` are `field: message` lines about `file`. */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';

  constructor(
    /** The file or checkpoint directory the issues are about. */
    readonly file: string,
    /** One `field: message` (or plain message) per problem. */
    readonly issues: readonly string[],
  ) {
    super(issues.map((issue) => `${file}: ${issue}`).join('\n'));
  }
}

// Host byte order: tensors.bin is little-endian; a big-endian host swaps on write and read.
export const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The checksum a manifest records of itself: the SHA-256 of its content without the
 * `manifestSha256` field, as compact JSON in the file's key order. The content, not the bytes, so
 * indentation and line endings (a checkout that turns LF into CRLF) do not matter; any changed
 * value, key or tensor entry does.
 */
export function manifestSha256(manifest: object): string {
  const { manifestSha256: _recorded, ...content } = manifest as Record<string, unknown>;
  return sha256Hex(JSON.stringify(content));
}

/** The manifest with its checksum, placed after `createdAt` so it is seen near the top of the file. */
export function sealManifest(content: Omit<CheckpointManifest, 'manifestSha256'>): CheckpointManifest {
  const { formatVersion, kind, createdAt, ...rest } = content;
  return { formatVersion, kind, createdAt, manifestSha256: manifestSha256(content), ...rest };
}

/** The issue when a format 2 manifest's recorded checksum is not the one of its content, else null. */
export function manifestSealIssue(raw: object): string | null {
  const recorded = (raw as { manifestSha256?: unknown }).manifestSha256;
  if (typeof recorded !== 'string' || !SHA256_HEX.test(recorded)) {
    return `manifestSha256: expected 64 lowercase hex digits, received ${describe(recorded)}`;
  }
  const actual = manifestSha256(raw);
  if (actual === recorded) return null;
  return (
    `manifestSha256: expected ${shortHash(actual)} (the SHA-256 of the manifest's content), ` +
    `found ${shortHash(recorded)}; ${CHECKPOINT_MANIFEST_FILE} was changed after it was saved`
  );
}

/** The issue when `tensorsFile.bytes` is not the size the tensor table needs, else null. */
export function recordedSizeIssue(manifest: CheckpointManifest): string | null {
  const values = totalValues(manifest.tensors);
  if (manifest.tensorsFile.bytes === values * BYTES_PER_FLOAT32) return null;
  return `tensorsFile.bytes: expected ${values * BYTES_PER_FLOAT32} (${values} float32 values in the tensor table), found ${manifest.tensorsFile.bytes}`;
}

/**
 * The issue with tensors.bin's bytes, else null: its size, then (format 2) its SHA-256, both as the
 * manifest records them. The checksum comes before any value is decoded.
 */
export function tensorsFileIssue(bytes: Uint8Array, manifest: AnyCheckpointManifest): string | null {
  if (!('tensorsFile' in manifest)) {
    const values = totalValues(manifest.tensors);
    if (bytes.length === values * BYTES_PER_FLOAT32) return null;
    return `size: expected ${values * BYTES_PER_FLOAT32} bytes (${values} float32 values listed in ${CHECKPOINT_MANIFEST_FILE}), found ${bytes.length} bytes`;
  }
  const recorded = manifest.tensorsFile;
  if (bytes.length !== recorded.bytes) {
    return `size: expected ${recorded.bytes} bytes (tensorsFile.bytes in ${CHECKPOINT_MANIFEST_FILE}), found ${bytes.length} bytes`;
  }
  const actual = sha256Hex(bytes);
  if (actual === recorded.sha256) return null;
  return `sha256: expected ${shortHash(recorded.sha256)} (tensorsFile.sha256 in ${CHECKPOINT_MANIFEST_FILE}), found ${shortHash(actual)}`;
}

/** The tensors packed in `bytes` as `entries` describe them; a non-finite value is refused. */
export function decodeTensors(
  bytes: Uint8Array,
  entries: CheckpointManifest['tensors'],
  tensorsFile: string,
): CheckpointTensor[] {
  const tensors: CheckpointTensor[] = [];
  const valueIssues: string[] = [];
  entries.forEach((entry, i) => {
    const data = new Float32Array(entry.length);
    // Copy (not a view): Buffer offsets may be unaligned, and each tensor should own its memory.
    const view = new Uint8Array(data.buffer);
    view.set(
      bytes.subarray(entry.offset * BYTES_PER_FLOAT32, (entry.offset + entry.length) * BYTES_PER_FLOAT32),
    );
    if (!LITTLE_ENDIAN_HOST) swapBytes32(view);
    const bad = firstNonFinite(data);
    if (bad !== -1) {
      valueIssues.push(
        `tensors[${i}] (${JSON.stringify(entry.name)}) value ${bad}: expected a finite number, found ${data[bad]}`,
      );
    }
    tensors.push({ name: entry.name, shape: entry.shape, data });
  });
  if (valueIssues.length > 0) throw new CheckpointError(tensorsFile, valueIssues);
  return tensors;
}

// --- validation helpers ---

/** Issues with a tensor list about to be saved: names, shapes, lengths, finite values. */
export function tensorIssues(tensors: readonly CheckpointTensor[]): string[] {
  const issues: string[] = [];
  const firstIndex = new Map<string, number>();
  tensors.forEach((tensor, i) => {
    const at = `tensors[${i}]`;
    if (typeof tensor.name !== 'string' || tensor.name === '') {
      issues.push(`${at}.name: expected a non-empty string, received ${JSON.stringify(tensor.name)}`);
    } else if (firstIndex.has(tensor.name)) {
      issues.push(
        `${at}.name: duplicate name ${JSON.stringify(tensor.name)} (also tensors[${firstIndex.get(tensor.name)}])`,
      );
    } else {
      firstIndex.set(tensor.name, i);
    }
    if (!(tensor.data instanceof Float32Array)) {
      issues.push(`${at}.data: expected a Float32Array`);
      return;
    }
    if (!Array.isArray(tensor.shape) || !tensor.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      issues.push(
        `${at}.shape: expected an array of non-negative integers, received ${JSON.stringify(tensor.shape)}`,
      );
      return;
    }
    const product = shapeProduct(tensor.shape);
    if (product !== tensor.data.length) {
      issues.push(`${at}.shape: expected product ${product} to equal length ${tensor.data.length}`);
    }
    const bad = firstNonFinite(tensor.data);
    if (bad !== -1) {
      issues.push(
        `${at}.data[${bad}] (${JSON.stringify(tensor.name)}): expected a finite number, found ${tensor.data[bad]}`,
      );
    }
  });
  return issues;
}

/** Issues with a parsed manifest's tensor table: unique names, shape vs length, packed in order. */
export function manifestLayoutIssues(entries: CheckpointManifest['tensors']): string[] {
  const issues: string[] = [];
  const firstIndex = new Map<string, number>();
  let expectedOffset = 0;
  entries.forEach((entry, i) => {
    const at = `tensors[${i}]`;
    const earlier = firstIndex.get(entry.name);
    if (earlier !== undefined)
      issues.push(`${at}.name: duplicate name ${JSON.stringify(entry.name)} (also tensors[${earlier}])`);
    else firstIndex.set(entry.name, i);
    const product = shapeProduct(entry.shape);
    if (product !== entry.length)
      issues.push(`${at}.shape: expected product ${product} to equal length ${entry.length}`);
    if (entry.offset !== expectedOffset) {
      issues.push(
        `${at}.offset: expected ${expectedOffset} (tensors packed in table order), found ${entry.offset}`,
      );
    }
    expectedOffset += entry.length; // count on from the packed position, so one bad offset is one issue
  });
  return issues;
}

/**
 * Issues that keep `value` from being plain JSON (what `JSON.stringify` would silently change or
 * drop): non-finite numbers, undefined, functions, class instances, cycles.
 */
export function jsonIssues(
  value: unknown,
  path: PropertyKey[],
  mustBeObject: boolean,
  seen = new Set<object>(),
): string[] {
  const at = formatFieldPath(path);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') {
    return mustBeObject ? [`${at}: expected a JSON object, received ${describe(value)}`] : [];
  }
  if (typeof value === 'number') {
    if (mustBeObject) return [`${at}: expected a JSON object, received ${describe(value)}`];
    return Number.isFinite(value) ? [] : [`${at}: expected a finite number, received ${value}`];
  }
  if (typeof value !== 'object') return [`${at}: expected a JSON value, received ${describe(value)}`];
  if (seen.has(value)) return [`${at}: circular reference`];
  const isArray = Array.isArray(value);
  if (mustBeObject && isArray) return [`${at}: expected a JSON object, received an array`];
  const proto = Object.getPrototypeOf(value);
  if (!isArray && proto !== Object.prototype && proto !== null) {
    return [`${at}: expected a plain object or array, received ${describe(value)}`];
  }
  seen.add(value);
  const issues: string[] = [];
  const children: [PropertyKey, unknown][] = isArray
    ? value.map((item, i) => [i, item])
    : Object.entries(value);
  for (const [key, item] of children) issues.push(...jsonIssues(item, [...path, key], false, seen));
  seen.delete(value);
  return issues;
}

/** The one issue to report when the manifest is not a format version this build reads, else null. */
export function formatVersionIssue(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return `expected a JSON object, received ${describe(raw)}`;
  }
  const version = (raw as { formatVersion?: unknown }).formatVersion;
  if (version === 1 && ('manifestSha256' in raw || 'tensorsFile' in raw)) {
    // a format 2 manifest relabelled as 1 would have its checksums skipped
    return "formatVersion: expected 2 (the manifest has format 2's manifestSha256 and tensorsFile), found 1";
  }
  if (typeof version === 'number' && SUPPORTED_CHECKPOINT_VERSIONS.includes(version)) return null;
  const versions = SUPPORTED_CHECKPOINT_VERSIONS.length > 1 ? 'versions' : 'version';
  const supported = `this build reads format ${versions} ${SUPPORTED_CHECKPOINT_VERSIONS.join(', ')}`;
  if (typeof version !== 'number')
    return `formatVersion: expected a number (${supported}), received ${describe(version)}`;
  const newer =
    version > Math.max(...SUPPORTED_CHECKPOINT_VERSIONS) ? ' (written by a newer STEER Studio?)' : '';
  return `formatVersion: unsupported version ${version}; ${supported}${newer}`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor
      ?.name;
    if (name !== undefined && name !== 'Object') return `an instance of ${name}`;
  }
  return JSON.stringify(value) ?? String(value);
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The first 16 hex digits of a SHA-256 and an ellipsis: enough to tell two apart in a message. */
function shortHash(hex: string): string {
  return `${hex.slice(0, 16)}…`;
}

function totalValues(entries: CheckpointManifest['tensors']): number {
  return entries.reduce((sum, entry) => sum + entry.length, 0);
}

function shapeProduct(shape: readonly number[]): number {
  return shape.reduce((product, d) => product * d, 1);
}

/** Index of the first NaN or ±Infinity in `data`, or -1. */
function firstNonFinite(data: Float32Array): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) return i;
  return -1;
}

/** Reverses each 4-byte group in place (little-endian ⇄ big-endian float32). */
export function swapBytes32(bytes: Uint8Array): void {
  for (let i = 0; i + 3 < bytes.length; i += 4) {
    const b0 = bytes[i]!;
    const b1 = bytes[i + 1]!;
    bytes[i] = bytes[i + 3]!;
    bytes[i + 1] = bytes[i + 2]!;
    bytes[i + 2] = b1;
    bytes[i + 3] = b0;
  }
}
