/**
 * The one rule for every path the app reaches on a caller's behalf (replays, scenario files, run
 * and model folders): the path is named relative to the project folder, under one of its roots
 * (samples/, runs/, models/, scenarios/, runs/scenarios/), and its real path — every symlink
 * resolved — must stay strictly inside that root's real path. So `models/evil → /tmp/outside` is
 * refused as `runs/evil → /tmp/outside` is, whatever reads it.
 */
import { lstat, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';

/** Where a path under a root leads. */
export type Confined =
  /** It exists and its real path lies inside the root's: `real` is that path. */
  | { readonly kind: 'inside'; readonly real: string }
  /** Nothing is there (no dangling symlink either): a new file or folder may be made at `path`. */
  | { readonly kind: 'missing' }
  /** It exists (or is a symlink) and its real path leaves the root. */
  | { readonly kind: 'outside' };

/** Whether `child` lies strictly inside `parent` (both real, absolute). */
export function isInside(parent: string, child: string): boolean {
  const inside = relative(parent, child);
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside);
}

/**
 * Where `path` ("/"-separated, relative to `projectRoot`, starting with `root`) leads. Other
 * failures than a missing file (permissions, a loop of symlinks) are thrown as they are.
 */
export async function confine(projectRoot: string, root: string, path: string): Promise<Confined> {
  const absolute = join(projectRoot, ...path.split('/'));
  let realRoot: string;
  let real: string;
  try {
    realRoot = await realpath(join(projectRoot, ...root.split('/')));
    real = await realpath(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
    // A dangling symlink is refused too: following it later would create something outside.
    return (await lstat(absolute).catch(() => null))?.isSymbolicLink()
      ? { kind: 'outside' }
      : { kind: 'missing' };
  }
  return isInside(realRoot, real) ? { kind: 'inside', real } : { kind: 'outside' };
}
