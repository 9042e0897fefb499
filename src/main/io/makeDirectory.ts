/**
 * `mkdir -p` that always ends. Node's `mkdir(path, { recursive: true })` never settles (and spins a
 * core) when a parent exists but refuses the child with ENOENT, which procfs does: it retries the
 * parent (EEXIST), then the child (ENOENT), for ever (`steer train --out /proc/x` hung this way).
 * Here the missing folders are found first and made one at a time, top down, each tried once.
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** A folder could not be made; `reason` says which part refused and why. */
export class DirectoryError extends Error {
  override readonly name = 'DirectoryError';
  /** The errno code of the refusal (ENOENT, ENOTDIR, EACCES, …), if there was one. */
  readonly code: string | undefined;

  constructor(
    readonly path: string,
    readonly reason: string,
    code?: string,
  ) {
    super(`cannot create the folder ${path}: ${reason}`);
    this.code = code;
  }
}

function errnoCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Whether `path` is a directory (symlinks followed); false when it is missing or unreadable. */
async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Makes `dir` and its missing parents (as `mkdir -p`); resolves at once when it exists. Throws a
 * DirectoryError naming the part that refused: a file on the way ("… is not a folder"), a file
 * system that takes no new folders ("/proc does not take new folders"), permissions, and so on.
 */
export async function makeDirectory(dir: string): Promise<void> {
  // --- up to the nearest part that exists: it must be a folder ---
  const missing: string[] = [];
  for (let current = resolve(dir); ; ) {
    let isDir: boolean;
    try {
      isDir = (await stat(current)).isDirectory();
    } catch (error) {
      const code = errnoCode(error);
      const parent = dirname(current);
      // ENOTDIR: a file further up, which the walk reaches and names
      if ((code === 'ENOENT' || code === 'ENOTDIR') && parent !== current) {
        missing.push(current);
        current = parent;
        continue;
      }
      throw new DirectoryError(dir, (error as Error).message, code);
    }
    if (!isDir) throw new DirectoryError(dir, `${current} is not a folder`, 'ENOTDIR');
    break;
  }
  // --- down again, one folder at a time, each tried once ---
  for (const folder of missing.reverse()) {
    try {
      await mkdir(folder);
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'EEXIST' && (await isDirectory(folder))) continue; // made meanwhile by someone else
      const parent = dirname(folder);
      if (code === 'ENOENT' && (await isDirectory(parent))) {
        throw new DirectoryError(dir, `${parent} does not take new folders (mkdir ${folder}: ENOENT)`, code);
      }
      if (code === 'EEXIST') throw new DirectoryError(dir, `${folder} exists and is not a folder`, code);
      throw new DirectoryError(dir, (error as Error).message, code);
    }
  }
}
