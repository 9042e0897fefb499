/**
 * The replays the app can open: `.replay` files under the project's samples/ and runs/ folders
 * (REPLAY_ROOTS). Paths cross the API relative to the project root and are checked twice: by
 * ReplayPathSchema (shape) and here (the real path, symlinks resolved, stays inside its root).
 */
import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import {
  MujocoReplayReader,
  REPLAY_FILE_EXTENSION,
  ReplayError,
  ReplayReader,
  replayKindOf,
} from '../../core/replay/index.js';
import {
  MAX_LISTED_REPLAYS,
  REPLAY_ROOTS,
  type ReplayEntry,
  type ReplayRootSchema,
} from '../../shared/api/contract.js';
import { type Confined, confine } from '../io/confinedPath.js';
import { ServiceError } from '../services/serviceError.js';

type ReplayRoot = (typeof ReplayRootSchema)['options'][number];

/** Folders deeper than this below a root are not searched (runs/<id>/replays/<x> is 2). */
const MAX_DEPTH = 6;
/** Files larger than this are listed without a summary and refused by `open` [bytes]. */
export const MAX_REPLAY_FILE_BYTES = 256 * 1024 * 1024;
/** Files up to this size are read for their list summary [bytes]; larger ones are listed bare. */
const SUMMARY_READ_BYTES = 16 * 1024 * 1024;

/** A replay file read for the window. */
export interface ReplayFileBytes {
  readonly path: string;
  readonly fileBytes: number;
  readonly modifiedAt: string;
  readonly bytes: Uint8Array;
}

/** The replay folders of one project directory. */
export class ReplayLibrary {
  /** @param projectRoot the folder holding samples/ and runs/ (the repository, or the app's data folder). */
  constructor(readonly projectRoot: string) {}

  /** Every replay under `root` (default: all roots), sorted by root then path; at most MAX_LISTED_REPLAYS. */
  async list(root?: ReplayRoot): Promise<{ replays: ReplayEntry[]; truncated: boolean }> {
    const found: { path: string; root: ReplayRoot; absolute: string }[] = [];
    let truncated = false;
    for (const name of root === undefined ? REPLAY_ROOTS : [root]) {
      const walk = async (dir: string, depth: number): Promise<void> => {
        let entries: Dirent[];
        try {
          entries = await readdir(dir, { withFileTypes: true });
        } catch {
          return; // a missing or unreadable folder lists nothing
        }
        entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const entry of entries) {
          if (found.length >= MAX_LISTED_REPLAYS) {
            truncated = true;
            return;
          }
          if (entry.name.startsWith('.')) continue;
          const absolute = join(dir, entry.name);
          if (entry.isDirectory() && depth < MAX_DEPTH) await walk(absolute, depth + 1);
          else if (entry.isFile() && entry.name.endsWith(REPLAY_FILE_EXTENSION)) {
            const path = relative(this.projectRoot, absolute).split(sep).join('/');
            found.push({ path, root: name, absolute });
          }
        }
      };
      await walk(join(this.projectRoot, name), 0);
    }
    const replays = await Promise.all(found.map((f) => this.describe(f.path, f.root, f.absolute)));
    return { replays, truncated };
  }

  /** Reads one replay (a ReplayPathSchema path) for the window. */
  async open(path: string): Promise<ReplayFileBytes> {
    const absolute = await this.resolve(path);
    const info = await stat(absolute);
    if (!info.isFile()) throw new ServiceError('unreadable', `replays.open: ${path}: not a file`);
    if (info.size > MAX_REPLAY_FILE_BYTES) {
      throw new ServiceError(
        'unreadable',
        `replays.open: ${path}: expected at most ${MAX_REPLAY_FILE_BYTES} bytes, the file has ${info.size}`,
      );
    }
    const buffer = await readFile(absolute);
    return {
      path,
      fileBytes: buffer.length,
      modifiedAt: info.mtime.toISOString(),
      // A plain Uint8Array over the Buffer's memory: the transports send it as bytes.
      bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length),
    };
  }

  /**
   * The absolute real path of `path` (already shape-checked), refused when it leaves its root (a
   * symlink pointing elsewhere) and `not-found` when it does not exist.
   */
  private async resolve(path: string): Promise<string> {
    const rootName = path.split('/')[0]!;
    let where: Confined;
    try {
      where = await confine(this.projectRoot, rootName, path);
    } catch (error) {
      throw new ServiceError('unreadable', `replays.open: ${path}: ${(error as Error).message}`);
    }
    if (where.kind === 'missing') throw new ServiceError('not-found', `replays.open: ${path}: no such file`);
    if (where.kind === 'outside') {
      throw new ServiceError(
        'refused',
        `replays.open: ${path}: expected a file inside ${rootName}/, the real path leaves it`,
      );
    }
    return where.real;
  }

  /** The list entry of one file: size, time and, when it reads, a summary from header and footer. */
  private async describe(path: string, root: ReplayRoot, absolute: string): Promise<ReplayEntry> {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(absolute);
    } catch (error) {
      return { path, root, fileBytes: 0, modifiedAt: new Date(0).toISOString(), error: String(error) };
    }
    const base = { path, root, fileBytes: Number(info.size), modifiedAt: info.mtime.toISOString() };
    if (info.size > SUMMARY_READ_BYTES) return base;
    try {
      const bytes = await readFile(absolute);
      if (replayKindOf(bytes) === 'mujoco') {
        const { header, footer } = MujocoReplayReader.open(bytes);
        return {
          ...base,
          summary: {
            env: header.env,
            scenario: header.task.scenario,
            seed: header.seed,
            model: header.model.name,
            agents: header.agents.length,
            steps: footer.summary.steps,
            frames: footer.frames,
            crashed: false, // a robot does not crash; an early end is in the step count
          },
        };
      }
      const { header, footer } = ReplayReader.open(bytes);
      return {
        ...base,
        summary: {
          env: header.env,
          scenario: header.scenario.name,
          seed: header.scenario.seed,
          model: header.model.name,
          agents: header.agents,
          steps: footer.summary.steps,
          frames: footer.frames,
          crashed: footer.summary.crashedAgents.length > 0,
        },
      };
    } catch (error) {
      const reason = error instanceof ReplayError ? error.message : String(error);
      return { ...base, error: reason };
    }
  }
}
