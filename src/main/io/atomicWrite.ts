/**
 * Atomic file writes (docs/design.md "Files": every write is atomic). A reader, or a run restarted
 * after a crash or power loss, sees either the previous file or the new one, never a prefix of it:
 * the data goes to a temporary file in the same directory, is flushed to disk, and is renamed
 * over the target (rename within one directory is atomic on POSIX and on NTFS).
 */
import { link, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { makeDirectory } from './makeDirectory.js';

/** Prefix of every temporary name written here (matched by `.gitignore`'s `.tmp-*`). */
export const TEMP_PREFIX = '.tmp-';

let tempCounter = 0;

/**
 * A fresh temporary name beside `path`: `.tmp-<name>-<label>-<pid>-<n>`. The pid and a counter make
 * it unique across processes and calls without randomness.
 */
export function tempSibling(path: string, label: string): string {
  tempCounter += 1;
  return join(dirname(path), `${TEMP_PREFIX}${basename(path)}-${label}-${process.pid}-${tempCounter}`);
}

/**
 * Writes `data` to a new file and flushes it to disk (fsync) before returning. Not atomic by itself:
 * for files inside a staging directory that is renamed into place afterwards. Fails if `path` exists.
 */
export async function writeFileSynced(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Flushes a directory's entries (new names, renames) to disk. Best effort: some platforms
 * (Windows) cannot open a directory for this, and there rename durability is the file system's job.
 */
export async function fsyncDirectory(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // not supported here; see the doc comment
  } finally {
    await handle?.close();
  }
}

/**
 * Replaces `path` with `data` atomically: temp file in the same directory, fsync, rename over
 * `path`, fsync the directory. Creates the parent directory if needed (makeDirectory: a folder that
 * cannot be made is a DirectoryError, never a hang). On failure the temp file is removed and `path`
 * keeps its old content.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  await makeDirectory(dir);
  const temp = tempSibling(path, 'write');
  try {
    await writeFileSynced(temp, data);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await fsyncDirectory(dir);
}

/**
 * Creates `path` with `data` atomically and never over an existing file: the temp file is written
 * and flushed as for writeFileAtomic, then hard-linked to `path` (link fails with EEXIST when a
 * file, directory or symlink of that name exists, even one created a moment ago; rename would
 * replace it) and unlinked. Readers see no file or the whole file. Throws the EEXIST error when
 * `path` exists; the temp file is removed whatever happens. Needs a file system with hard links
 * (every local one the app runs on: ext4, APFS, NTFS).
 */
export async function writeFileAtomicExclusive(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  await makeDirectory(dir);
  const temp = tempSibling(path, 'create');
  try {
    await writeFileSynced(temp, data);
    await link(temp, path);
  } finally {
    await rm(temp, { force: true });
  }
  await fsyncDirectory(dir);
}

/**
 * Writes `value` as pretty-printed JSON (2-space indent, trailing newline) with `writeFileAtomic`.
 * Throws if `value` has no JSON form (undefined, a function).
 */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const text = JSON.stringify(value, null, 2);
  if (text === undefined) throw new TypeError(`${path}: value has no JSON representation`);
  await writeFileAtomic(path, `${text}\n`);
}
