/**
 * Checkpoints on disk (design.md "Files"; style.md habit 14). A checkpoint is a directory:
 *
 *   <dir>/checkpoint.json   manifest: format version, kind, creation time, the trainer's `meta`
 *                           (config, counters, RNG state, normaliser, …) and a table of tensors
 *   <dir>/tensors.bin       every tensor's float32 values, little-endian, packed in table order
 *
 * The format knows nothing of models or optimizers: the trainer names its tensors (dotted weight
 * names, optimizer slots) and puts everything else in `meta`, which it validates itself on load.
 *
 * Saving is atomic at directory level: both files are written and flushed in a staging directory
 * beside `<dir>`, then the old `<dir>` is renamed away, the new one renamed in, and the old one
 * deleted. A crash between the two renames leaves no `<dir>` but a complete old copy beside it;
 * `loadCheckpoint` reads that copy and the next `saveCheckpoint` puts it back first. So a reader sees
 * the old checkpoint or the new one, never a mix. One writer per checkpoint directory.
 *
 * Every problem found on load or save is a `CheckpointError` whose lines read
 * `<file>: <field>: <expected…, found…>`.
 */
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { fsyncDirectory, TEMP_PREFIX, tempSibling, writeFileSynced } from './atomicWrite.js';
import { formatIssuePath, zodIssueLines } from './fileIssues.js';

/** Format version written by this build. */
export const CHECKPOINT_FORMAT_VERSION = 1;
/** Format versions this build can read. */
export const SUPPORTED_CHECKPOINT_VERSIONS: readonly number[] = [1];
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

/** Schema of `checkpoint.json` (format version 1). */
export const CheckpointManifestSchema = z.strictObject({
  formatVersion: z.literal(CHECKPOINT_FORMAT_VERSION),
  kind: z.literal('steer-checkpoint'),
  createdAt: z.iso.datetime(),
  meta: z.record(z.string(), z.unknown()),
  tensors: z.array(TensorEntrySchema),
});

/** The parsed contents of `checkpoint.json`. */
export type CheckpointManifest = z.infer<typeof CheckpointManifestSchema>;

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

/** The file operations that move directories into place; injectable so tests can simulate a crash. */
export interface CheckpointFileOps {
  rename(from: string, to: string): Promise<void>;
  /** Removes a directory tree; no error if it is absent. */
  removeTree(path: string): Promise<void>;
}

const nodeFileOps: CheckpointFileOps = {
  rename,
  removeTree: (path) => rm(path, { recursive: true, force: true }),
};

/** Options of `saveCheckpoint`. */
export interface SaveCheckpointOptions {
  /** Clock for `createdAt` (injected, style.md habit 5); defaults to the wall clock. */
  readonly now?: () => Date;
  /** Directory moves and deletes; defaults to node:fs. */
  readonly fileOps?: CheckpointFileOps;
}

// Host byte order: tensors.bin is little-endian; a big-endian host swaps on write and read.
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Writes `checkpoint` to the directory `dir`, atomically replacing any checkpoint already there
 * (see the file comment). Refuses, with a `CheckpointError` naming `dir` and the field, a `meta`
 * that is not plain JSON and tensors with a bad name, shape, length or a non-finite value.
 */
export async function saveCheckpoint(
  dir: string,
  checkpoint: Checkpoint,
  options: SaveCheckpointOptions = {},
): Promise<void> {
  const ops = options.fileOps ?? nodeFileOps;
  const now = options.now ?? (() => new Date());

  // --- validate before touching the disk ---
  const issues = [...jsonIssues(checkpoint.meta, ['meta'], true), ...tensorIssues(checkpoint.tensors)];
  if (issues.length > 0) throw new CheckpointError(dir, issues);

  // --- encode: manifest and packed little-endian floats ---
  let offset = 0;
  const entries: CheckpointManifest['tensors'] = checkpoint.tensors.map((tensor) => {
    const entry = {
      name: tensor.name,
      shape: [...tensor.shape],
      dtype: 'float32' as const,
      offset,
      length: tensor.data.length,
    };
    offset += tensor.data.length;
    return entry;
  });
  const packed = new Float32Array(offset);
  checkpoint.tensors.forEach((tensor, i) => {
    packed.set(tensor.data, entries[i]!.offset);
  });
  const bytes = new Uint8Array(packed.buffer);
  if (!LITTLE_ENDIAN_HOST) swapBytes32(bytes);
  const manifest: CheckpointManifest = {
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    kind: 'steer-checkpoint',
    createdAt: now().toISOString(),
    meta: checkpoint.meta as Record<string, unknown>,
    tensors: entries,
  };

  // --- stage both files beside the target, flushed to disk ---
  await mkdir(dirname(dir), { recursive: true });
  await recoverInterruptedSave(dir, ops);
  const staging = tempSibling(dir, 'new');
  try {
    await mkdir(staging);
    await writeFileSynced(join(staging, CHECKPOINT_TENSORS_FILE), bytes);
    await writeFileSynced(join(staging, CHECKPOINT_MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    await fsyncDirectory(staging);
  } catch (error) {
    await ops.removeTree(staging).catch(() => {});
    throw error;
  }

  // --- swap: old away, new in, old deleted ---
  const old = (await isDirectory(dir)) ? tempSibling(dir, 'old') : null;
  try {
    if (old !== null) await ops.rename(dir, old);
    try {
      await ops.rename(staging, dir);
    } catch (error) {
      if (old !== null) await ops.rename(old, dir).catch(() => {}); // put the old one back
      throw error;
    }
  } catch (error) {
    await ops.removeTree(staging).catch(() => {});
    throw error;
  }
  await fsyncDirectory(dirname(dir));
  if (old !== null) await ops.removeTree(old);
}

/**
 * Reads and validates the checkpoint in directory `dir`. Throws `CheckpointError` naming the file and
 * field for: a missing directory or file, invalid JSON, an unsupported format version, a manifest that
 * does not match the schema, a shape whose product is not the length, tensors that are not packed in
 * order, a tensors.bin of the wrong size, or a non-finite value. If a save was interrupted between
 * its two renames, the complete previous checkpoint left beside `dir` is read instead.
 */
export async function loadCheckpoint(dir: string): Promise<LoadedCheckpoint> {
  const source = (await isDirectory(dir)) ? dir : await interruptedSaveBackup(dir);
  if (source === null) throw new CheckpointError(dir, ['checkpoint directory not found']);
  const manifestFile = join(dir, CHECKPOINT_MANIFEST_FILE);
  const tensorsFile = join(dir, CHECKPOINT_TENSORS_FILE);

  // --- manifest ---
  const text = await readOrExplain(join(source, CHECKPOINT_MANIFEST_FILE), manifestFile, 'utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CheckpointError(manifestFile, [`invalid JSON: ${(error as Error).message}`]);
  }
  const versionIssue = formatVersionIssue(raw);
  if (versionIssue !== null) throw new CheckpointError(manifestFile, [versionIssue]);
  const parsed = CheckpointManifestSchema.safeParse(raw);
  if (!parsed.success) throw new CheckpointError(manifestFile, zodIssueLines(parsed.error.issues));
  const manifest = parsed.data;
  const layoutIssues = manifestLayoutIssues(manifest.tensors);
  if (layoutIssues.length > 0) throw new CheckpointError(manifestFile, layoutIssues);

  // --- tensor data ---
  const bytes = await readOrExplain(join(source, CHECKPOINT_TENSORS_FILE), tensorsFile);
  const total = manifest.tensors.reduce((sum, entry) => sum + entry.length, 0);
  if (bytes.length !== total * BYTES_PER_FLOAT32) {
    throw new CheckpointError(tensorsFile, [
      `expected ${total * BYTES_PER_FLOAT32} bytes (${total} float32 values listed in ${CHECKPOINT_MANIFEST_FILE}), found ${bytes.length} bytes`,
    ]);
  }
  const tensors: CheckpointTensor[] = [];
  const valueIssues: string[] = [];
  manifest.tensors.forEach((entry, i) => {
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

  return {
    formatVersion: manifest.formatVersion,
    createdAt: manifest.createdAt,
    // JSON.parse produced it and the schema checked it is an object, so it is a JsonObject.
    meta: manifest.meta as JsonObject,
    tensors,
  };
}

// --- validation helpers ---

/** Issues with a tensor list about to be saved: names, shapes, lengths, finite values. */
function tensorIssues(tensors: readonly CheckpointTensor[]): string[] {
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
function manifestLayoutIssues(entries: CheckpointManifest['tensors']): string[] {
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
function jsonIssues(
  value: unknown,
  path: PropertyKey[],
  mustBeObject: boolean,
  seen = new Set<object>(),
): string[] {
  const at = formatIssuePath(path);
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
function formatVersionIssue(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return `expected a JSON object, received ${describe(raw)}`;
  }
  const version = (raw as { formatVersion?: unknown }).formatVersion;
  if (typeof version === 'number' && SUPPORTED_CHECKPOINT_VERSIONS.includes(version)) return null;
  const supported = `this build reads format version ${SUPPORTED_CHECKPOINT_VERSIONS.join(', ')}`;
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

function shapeProduct(shape: readonly number[]): number {
  return shape.reduce((product, d) => product * d, 1);
}

/** Index of the first NaN or ±Infinity in `data`, or -1. */
function firstNonFinite(data: Float32Array): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) return i;
  return -1;
}

/** Reverses each 4-byte group in place (little-endian ⇄ big-endian float32). */
function swapBytes32(bytes: Uint8Array): void {
  for (let i = 0; i + 3 < bytes.length; i += 4) {
    const b0 = bytes[i]!;
    const b1 = bytes[i + 1]!;
    bytes[i] = bytes[i + 3]!;
    bytes[i + 1] = bytes[i + 2]!;
    bytes[i + 2] = b1;
    bytes[i + 3] = b0;
  }
}

// --- file helpers ---

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Reads `path` (which may be a recovered copy), reporting problems against `shownAs`. */
async function readOrExplain(path: string, shownAs: string): Promise<Buffer>;
async function readOrExplain(path: string, shownAs: string, encoding: 'utf8'): Promise<string>;
async function readOrExplain(path: string, shownAs: string, encoding?: 'utf8'): Promise<Buffer | string> {
  try {
    return encoding === undefined ? await readFile(path) : await readFile(path, encoding);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CheckpointError(shownAs, [
      code === 'ENOENT' ? 'file not found' : `cannot read: ${(error as Error).message}`,
    ]);
  }
}

/** Leftovers of earlier saves of `dir`: its staging (`-new-`) and set-aside (`-old-`) siblings. */
async function leftovers(dir: string): Promise<{ newer: string[]; older: string[] }> {
  const prefix = `${TEMP_PREFIX}${basename(dir)}-`;
  let names: string[];
  try {
    names = await readdir(dirname(dir));
  } catch {
    return { newer: [], older: [] };
  }
  const mine = names.filter((name) => name.startsWith(prefix)).sort();
  const pick = (label: string) =>
    mine.filter((name) => name.startsWith(`${prefix}${label}-`)).map((name) => join(dirname(dir), name));
  return { newer: pick('new'), older: pick('old') };
}

/** The complete previous checkpoint set aside by a save that stopped between its renames, or null. */
async function interruptedSaveBackup(dir: string): Promise<string | null> {
  const { older } = await leftovers(dir);
  return older.at(-1) ?? null;
}

/**
 * Undoes what an interrupted save left: if `dir` is missing but an old copy was set aside, renames
 * it back; then deletes remaining staging and set-aside directories.
 */
async function recoverInterruptedSave(dir: string, ops: CheckpointFileOps): Promise<void> {
  const { newer, older } = await leftovers(dir);
  const backup = older.at(-1);
  if (backup !== undefined && !(await isDirectory(dir))) {
    await ops.rename(backup, dir);
    older.pop();
  }
  for (const path of [...newer, ...older]) await ops.removeTree(path);
}
