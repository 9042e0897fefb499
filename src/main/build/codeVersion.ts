/**
 * The code version a run is trained with: every worker of a queue must run the same code as the
 * command that queued the run, since the numbers of a run resumed on another machine must continue
 * those of the first. It is `<package version>+<hash>`, the hash the first 12 hex digits of the
 * SHA-256 of what training runs (src/core, src/main, src/shared, bin/, package-lock.json and
 * tsconfig.json, which the one-file CLI is compiled with: names
 * and contents, in a fixed order), so a checkout, a copy or an image of one commit agree, and any
 * edit or dependency change shows. `STEER_CODE_VERSION` replaces it (a release or image tag).
 */
import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Environment variable that, set, is the code version. */
export const CODE_VERSION_ENV = 'STEER_CODE_VERSION';

/** The repository's root. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** What the hash covers, relative to the root: folders (walked) and files. */
const HASHED = ['src/core', 'src/main', 'src/shared', 'bin', 'package-lock.json', 'tsconfig.json'];

/** Hex digits of the hash kept in the version. */
const HASH_DIGITS = 12;

/** Every file under `path` (or `path` itself), relative to `root` with '/' separators, sorted. */
async function filesUnder(root: string, path: string): Promise<string[]> {
  const full = join(root, path);
  let entries: Dirent[];
  try {
    entries = await readdir(full, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') return [path];
    if (code === 'ENOENT') return []; // a tree without it (a copy of the sources alone)
    throw error;
  }
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory()
        ? filesUnder(root, `${path}/${entry.name}`)
        : Promise.resolve(entry.isFile() ? [`${path}/${entry.name}`] : []),
    ),
  );
  return nested.flat().sort();
}

/** The hash part of the version for the tree at `root` (see the header). */
export async function codeHash(root: string = ROOT): Promise<string> {
  const hash = createHash('sha256');
  for (const top of HASHED) {
    for (const file of await filesUnder(root, top)) {
      hash.update(`${relative(root, join(root, file)).split(sep).join('/')}\0`);
      hash.update(await readFile(join(root, file)));
      hash.update('\0');
    }
  }
  return hash.digest('hex').slice(0, HASH_DIGITS);
}

/** This process's code version: STEER_CODE_VERSION, else `<package version>+<codeHash>`. */
export async function codeVersion(
  env: NodeJS.ProcessEnv = process.env,
  root: string = ROOT,
): Promise<string> {
  const given = env[CODE_VERSION_ENV];
  if (given !== undefined && given !== '') return given;
  const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
  return `${version}+${await codeHash(root)}`;
}
