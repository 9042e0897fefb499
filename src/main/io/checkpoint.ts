import { lstat, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fsyncDirectory, TEMP_PREFIX, tempSibling, writeFileSynced } from './atomicWrite.js';
import {
  type AnyCheckpointManifest,
  CHECKPOINT_FORMAT_VERSION,
  CHECKPOINT_MANIFEST_FILE,
  CHECKPOINT_TENSORS_FILE,
  type Checkpoint,
  CheckpointError,
  type CheckpointManifest,
  CheckpointManifestSchema,
  CheckpointManifestV1Schema,
  decodeTensors,
  formatVersionIssue,
  type JsonObject,
  jsonIssues,
  LITTLE_ENDIAN_HOST,
  type LoadedCheckpoint,
  manifestLayoutIssues,
  manifestSealIssue,
  recordedSizeIssue,
  sealManifest,
  sha256Hex,
  swapBytes32,
  tensorIssues,
  tensorsFileIssue,
} from './checkpointFormat.js';
import { zodIssueLines } from './fileIssues.js';

export {
  CHECKPOINT_FORMAT_VERSION,
  CHECKPOINT_MANIFEST_FILE,
  CHECKPOINT_TENSORS_FILE,
  type Checkpoint,
  CheckpointError,
  type CheckpointManifest,
  CheckpointManifestSchema,
  type CheckpointTensor,
  type JsonObject,
  type JsonValue,
  type LoadedCheckpoint,
  manifestSha256,
  SUPPORTED_CHECKPOINT_VERSIONS,
} from './checkpointFormat.js';

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
  /** Clock for `createdAt` (injected); defaults to the wall clock. */
  readonly now?: () => Date;
  /** Directory moves and deletes; defaults to node:fs. */
  readonly fileOps?: CheckpointFileOps;
}

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
  const manifest = sealManifest({
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    kind: 'steer-checkpoint',
    createdAt: now().toISOString(),
    tensorsFile: { bytes: bytes.length, sha256: sha256Hex(bytes) },
    meta: checkpoint.meta as Record<string, unknown>,
    tensors: entries,
  });

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
 * Reads and verifies the checkpoint in directory `dir`. Throws `CheckpointError` naming the file and
 * field for: a missing directory or file, a file where the directory should be, invalid JSON, an
 * unsupported format version, a manifest changed after it was saved (its checksum), a manifest that
 * does not match the schema, a shape whose product is not the length, tensors that are not packed in
 * order, a tensors.bin of another size or checksum than the manifest records, or a non-finite value.
 * Nothing is written. If a save was interrupted between its two renames, the complete previous
 * checkpoint left beside `dir` is read instead.
 */
export async function loadCheckpoint(dir: string): Promise<LoadedCheckpoint> {
  const source = await checkpointSource(dir);
  const manifestFile = join(dir, CHECKPOINT_MANIFEST_FILE);
  const tensorsFile = join(dir, CHECKPOINT_TENSORS_FILE);
  const manifest = await readManifest(join(source, CHECKPOINT_MANIFEST_FILE), manifestFile);
  const bytes = await readOrExplain(join(source, CHECKPOINT_TENSORS_FILE), tensorsFile);
  const fileIssue = tensorsFileIssue(bytes, manifest);
  if (fileIssue !== null) throw new CheckpointError(tensorsFile, [fileIssue]);
  return {
    formatVersion: manifest.formatVersion,
    createdAt: manifest.createdAt,
    // JSON.parse produced it and the schema checked it is an object, so it is a JsonObject.
    meta: manifest.meta as JsonObject,
    tensors: decodeTensors(bytes, manifest.tensors, tensorsFile),
  };
}

/** Where the checkpoint in `dir` is read from: `dir` itself, or the copy an interrupted save left. */
async function checkpointSource(dir: string): Promise<string> {
  const kind = await entryKind(dir);
  if (kind === 'directory') return dir;
  // A file (or anything else) there is refused, not taken for "no checkpoint yet": training from
  // update 0 would drop the run's metrics and then fail to save over it.
  if (kind === 'file') throw new CheckpointError(dir, ['expected a checkpoint directory, found a file']);
  if (kind === 'other') {
    throw new CheckpointError(dir, [
      'expected a checkpoint directory, found something else (a broken link or a special file)',
    ]);
  }
  const backup = await interruptedSaveBackup(dir);
  if (backup === null) throw new CheckpointError(dir, ['checkpoint directory not found']);
  return backup;
}

/**
 * Reads checkpoint.json and verifies it in this order: JSON, format version, its own checksum
 * (format 2: so a damaged manifest is reported as such, in one line), schema, tensor table.
 */
async function readManifest(path: string, shownAs: string): Promise<AnyCheckpointManifest> {
  const text = await readOrExplain(path, shownAs, 'utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    // one line: the parser's message quotes the text around the error, newlines included
    throw new CheckpointError(shownAs, [`invalid JSON: ${(error as Error).message.replace(/\s+/g, ' ')}`]);
  }
  const versionIssue = formatVersionIssue(raw);
  if (versionIssue !== null) throw new CheckpointError(shownAs, [versionIssue]);
  const isFormat1 = (raw as { formatVersion: number }).formatVersion === 1;
  const sealIssue = isFormat1 ? null : manifestSealIssue(raw as object);
  if (sealIssue !== null) throw new CheckpointError(shownAs, [sealIssue]);
  const parsed = (isFormat1 ? CheckpointManifestV1Schema : CheckpointManifestSchema).safeParse(raw);
  if (!parsed.success) throw new CheckpointError(shownAs, zodIssueLines(parsed.error.issues));
  const manifest = parsed.data;
  const layoutIssues = manifestLayoutIssues(manifest.tensors);
  if (layoutIssues.length > 0) throw new CheckpointError(shownAs, layoutIssues);
  const sizeIssue = 'tensorsFile' in manifest ? recordedSizeIssue(manifest) : null;
  if (sizeIssue !== null) throw new CheckpointError(shownAs, [sizeIssue]);
  return manifest;
}

// --- file helpers ---

/** What is at `path`; a problem other than "nothing there" (e.g. no permission) is a CheckpointError. */
async function entryKind(path: string): Promise<'directory' | 'file' | 'other' | 'missing'> {
  try {
    const info = await stat(path);
    return info.isDirectory() ? 'directory' : info.isFile() ? 'file' : 'other';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new CheckpointError(path, [`cannot read: ${(error as Error).message}`]);
    }
    // stat follows links: a link to nothing is there all the same
    return lstat(path).then(
      () => 'other',
      () => 'missing',
    );
  }
}

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
