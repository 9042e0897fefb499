/**
 * What the dashboard reads from disk, on the main thread: the run folders under runs/, their
 * checkpoints and metrics.jsonl, and the scenario files a job can train on. Reads only (but for
 * the checked folders makeRunSubdir creates); the jobs (jobService.ts) write. Everything is named relative to the project root and checked to stay
 * inside it (a symlink leaving its root is refused).
 */
import type { Dirent } from 'node:fs';
import { mkdir, open, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import {
  BUNDLED_MODELS_DIR,
  isBundledRun,
  isJobScenarioPath,
  isRunId,
  RUNS_DIR,
  type RunInfo,
  runFolderOf,
} from '../../shared/api/jobMethods.js';
import { BUNDLED_SCENARIO_DIR, USER_SCENARIO_DIR } from '../../shared/api/scenarioMethods.js';
import { CHECKPOINT_MANIFEST_FILE, CHECKPOINT_TENSORS_FILE } from '../io/checkpoint.js';
import { type Confined, confine, isInside } from '../io/confinedPath.js';
import type { MetricsRecord } from '../io/metricsLog.js';
import { ServiceError } from '../services/serviceError.js';
import { readRunConfig, runPaths } from '../train/runDir.js';

/** Folders searched for scenario files a job can train on: bundled, and the editor's user folder. */
const SCENARIO_FOLDERS = Object.freeze([BUNDLED_SCENARIO_DIR, USER_SCENARIO_DIR]);
/** Most run folders `runs.list` reads. */
const MAX_LISTED_RUNS = 500;

/** What a checkpoint folder's manifest says, read without its tensors. */
export interface CheckpointSummary {
  readonly name: string;
  readonly update: number;
  readonly createdAt: string;
  readonly tensorBytes: number;
}

/** The run folders and scenario files of one project folder. */
export class RunCatalog {
  /**
   * Parsed metrics per file, and how far the file was read: a training job only appends whole
   * lines, so a later call parses just the bytes added since. A file replaced (another inode: the
   * atomic rewrite of a resume) or shorter than what was read is read again from the start.
   */
  private readonly metricsCache = new Map<
    string,
    { ino: number; consumed: number; records: MetricsRecord[] }
  >();

  /** @param projectRoot the folder holding runs/ and scenarios/. */
  constructor(readonly projectRoot: string) {}

  /**
   * Absolute folder of run `runId` (already shape-checked by RunIdSchema or RunPathSchema; a
   * bundled model "models/<name>" is models/<name>, checked to stay inside models/), checked like
   * scenarioFile: `refused` when its real path (symlinks resolved) leaves runs/, so a symlinked
   * runs/<id> cannot have a job, an evaluation or a read reach outside the project. A folder that
   * does not exist yet is returned as is (a new run; a missing one is the caller's `not-found`),
   * unless it is a dangling symlink. The path returned is the one under the project root, not the
   * real one, so error messages name it as the API does (relativeMessage).
   */
  async runDir(runId: string, method: string): Promise<string> {
    const { root, path: label } = runFolderOf(runId); // runs/<runId>, or a bundled models/<name>
    const dir = join(this.projectRoot, ...label.split('/'));
    const refused = () =>
      new ServiceError(
        'refused',
        `${method}: ${label}: expected a folder inside ${root}/, the real path leaves it`,
      );
    let where: Confined;
    try {
      where = await confine(this.projectRoot, root, label);
    } catch (error) {
      throw new ServiceError('unreadable', `${method}: ${relativeMessage(error, this.projectRoot)}`);
    }
    if (where.kind === 'outside') throw refused();
    return dir;
  }

  /**
   * Folder `sub` ("/"-separated) of run `runId`, created one segment at a time, each checked to
   * have its real path inside the run folder before anything is made in it: `refused` for a
   * symlink leading out (say runs/<id>/replays → elsewhere), so nothing is written there.
   */
  async makeRunSubdir(runId: string, sub: string, method: string): Promise<string> {
    const runDir = await this.runDir(runId, method);
    const realRun = await realpath(runDir);
    let dir = runDir;
    for (const segment of sub.split('/')) {
      dir = join(dir, segment);
      await mkdir(dir, { recursive: true });
      if (!isInside(realRun, await realpath(dir))) {
        throw new ServiceError(
          'refused',
          `${method}: ${runFolderOf(runId).path}/${sub}: expected a folder inside ${runFolderOf(runId).path}/, the real path leaves it`,
        );
      }
    }
    return dir;
  }

  /**
   * A new, empty folder `<parent>/<prefix><k>` of run `runId` (k = 1, 2, … the first free), made
   * exclusively so that two calls never share one; returns its path relative to the run folder
   * ("replays/update-40/eval-2") and its absolute path. `parent` is made as makeRunSubdir makes it.
   */
  async makeNewRunSubdir(
    runId: string,
    parent: string,
    prefix: string,
    method: string,
  ): Promise<{ sub: string; dir: string }> {
    const parentDir = await this.makeRunSubdir(runId, parent, method);
    for (let k = 1; ; k++) {
      const dir = join(parentDir, `${prefix}${k}`);
      try {
        await mkdir(dir); // not recursive: fails with EEXIST when another evaluation took it
        return { sub: `${parent}/${prefix}${k}`, dir };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
  }

  /**
   * A new folder for one evaluation's replays, so a second evaluation never mixes its files
   * (episode-00-seed-10000 beside episode-0-seed-10000) with the first's:
   * runs/<runId>/replays/update-<n>/eval-<k>/, or for a bundled model (never written)
   * runs/replays/models/<name>/update-<n>/eval-<k>/. Its absolute path and its API path.
   */
  async makeEvaluationDir(runId: string, update: number): Promise<{ dir: string; apiDir: string }> {
    const method = 'runs.evaluate';
    if (isBundledRun(runId)) {
      await mkdir(await this.runDir('replays', method), { recursive: true }); // runs/replays, inside runs/
      const made = await this.makeNewRunSubdir('replays', `${runId}/update-${update}`, 'eval-', method);
      return { dir: made.dir, apiDir: `${RUNS_DIR}/replays/${made.sub}` };
    }
    const made = await this.makeNewRunSubdir(runId, `replays/update-${update}`, 'eval-', method);
    return { dir: made.dir, apiDir: `${RUNS_DIR}/${runId}/${made.sub}` };
  }

  /** Scenario files under scenarios/ and runs/scenarios/, with their names, sorted by path. */
  async scenarios(): Promise<{ path: string; name: string }[]> {
    const found: { path: string; name: string }[] = [];
    for (const folder of SCENARIO_FOLDERS) {
      let entries: Dirent[];
      try {
        entries = await readdir(join(this.projectRoot, ...folder.split('/')), { withFileTypes: true });
      } catch {
        continue; // a missing folder lists nothing
      }
      for (const entry of entries) {
        if (!entry.isFile() || !entry.name.endsWith('.json') || entry.name.startsWith('.')) continue;
        const path = `${folder}/${entry.name}`;
        let name = entry.name.replace(/\.json$/, '');
        try {
          const doc = JSON.parse(await readFile(join(this.projectRoot, ...path.split('/')), 'utf8')) as {
            name?: unknown;
          };
          if (typeof doc.name === 'string' && doc.name !== '') name = doc.name;
        } catch {
          // not JSON: listed under its file name; starting a job on it says what is wrong
        }
        found.push({ path, name });
      }
    }
    return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /**
   * The absolute real path of a job's scenario file (a JobScenarioPathSchema path): `not-found`
   * when it does not exist, `refused` when its real path leaves its folder (scenarios/ or
   * runs/scenarios/).
   */
  async scenarioFile(path: string): Promise<string> {
    if (!isJobScenarioPath(path)) {
      throw new ServiceError(
        'invalid-request',
        `jobs.start: scenario ${path}: not directly in ${SCENARIO_FOLDERS.map((f) => `${f}/`).join(' or ')}`,
      );
    }
    const folder = path.split('/').slice(0, -1).join('/');
    const where = await confine(this.projectRoot, folder, path).catch(() => ({ kind: 'missing' }) as const);
    if (where.kind === 'missing')
      throw new ServiceError('not-found', `jobs.start: scenario ${path}: no such file`);
    if (where.kind === 'outside') {
      throw new ServiceError(
        'refused',
        `jobs.start: scenario ${path}: expected a file inside ${folder}/, the real path leaves it`,
      );
    }
    return where.real;
  }

  /**
   * Every run folder under runs/ (a folder with config.json; others, such as runs/scenarios/, are
   * skipped), newest first. `active` gives the status of runs a job trains now.
   */
  async runs(active: (runId: string) => 'running' | 'stopping' | null): Promise<RunInfo[]> {
    const ids = (await this.folderNames(RUNS_DIR)).slice(0, MAX_LISTED_RUNS);
    const runs = await Promise.all(ids.map((id) => this.describeRun(id, active(id))));
    // The bundled models after them, by name: a fresh clone lists them instead of nothing.
    const bundledIds = (await this.folderNames(BUNDLED_MODELS_DIR))
      .sort()
      .map((name) => `${BUNDLED_MODELS_DIR}/${name}`);
    const bundled = await Promise.all(bundledIds.map((id) => this.describeRun(id, null)));
    const found = (list: (RunInfo | null)[]) => list.filter((r): r is RunInfo => r !== null);
    return [
      ...found(runs).sort((a, b) => (a.modifiedAt < b.modifiedAt ? 1 : a.modifiedAt > b.modifiedAt ? -1 : 0)),
      ...found(bundled),
    ];
  }

  /** Names of the folders directly in `folder` that can be run ids (not runs/scenarios/, .x, …). */
  private async folderNames(folder: string): Promise<string[]> {
    let entries: Dirent[];
    try {
      entries = await readdir(join(this.projectRoot, folder), { withFileTypes: true });
    } catch {
      return []; // a missing folder lists nothing
    }
    return entries.filter((e) => e.isDirectory() && isRunId(e.name)).map((e) => e.name);
  }

  /** One run's list entry; null when the folder is not a run (no config.json). */
  async describeRun(runId: string, activeStatus: 'running' | 'stopping' | null): Promise<RunInfo | null> {
    const dir = await this.runDir(runId, 'runs.list').catch(() => null);
    if (dir === null) return null; // leads out of runs/: not listed
    const paths = runPaths(dir);
    const configInfo = await stat(paths.config).catch(() => null);
    if (configInfo === null) return null;
    const times = [configInfo.mtimeMs];
    const metricsInfo = await stat(paths.metrics).catch(() => null);
    if (metricsInfo !== null) times.push(metricsInfo.mtimeMs);
    const modifiedAt = new Date(Math.max(...times)).toISOString();
    try {
      const run = await readRunConfig(dir);
      const checkpoint = await this.latestCheckpoint(runId, 'runs.list');
      const update = checkpoint?.update ?? 0;
      return {
        runId,
        status: activeStatus ?? (update >= run.totalUpdates ? 'complete' : update > 0 ? 'partial' : 'new'),
        algo: run.train.algo,
        env: run.env,
        scenario: run.scenario?.name ?? null,
        seed: run.train.seed,
        totalUpdates: run.totalUpdates,
        update,
        modifiedAt,
      };
    } catch (error) {
      return {
        runId,
        status: 'unreadable',
        algo: '',
        env: '',
        scenario: null,
        seed: null,
        totalUpdates: 0,
        update: 0,
        modifiedAt,
        error: relativeMessage(error, this.projectRoot),
      };
    }
  }

  /** The checkpoint folders of a run (those whose manifest reads), by name. */
  async checkpoints(runId: string): Promise<CheckpointSummary[]> {
    const root = join(await this.runDir(runId, 'runs.checkpoints'), 'checkpoints');
    let entries: Dirent[];
    try {
      entries = await readdir(root, { withFileTypes: true });
    } catch {
      return [];
    }
    const found: CheckpointSummary[] = [];
    for (const entry of entries) {
      // Staging and replaced copies of an atomic save start with '.' (io/atomicWrite.ts).
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const summary = await readCheckpointSummary(join(root, entry.name), entry.name);
      if (summary !== null) found.push(summary);
    }
    return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** checkpoints/latest of a run, or null when there is none (or it does not read). */
  async latestCheckpoint(runId: string, method: string): Promise<CheckpointSummary | null> {
    return readCheckpointSummary(runPaths(await this.runDir(runId, method)).checkpoint, 'latest');
  }

  /**
   * Every record of a run's metrics.jsonl (empty when it has none yet), in file order. Complete
   * lines only: a line still being written is read at the next call.
   */
  async metrics(runId: string): Promise<readonly MetricsRecord[]> {
    const path = runPaths(await this.runDir(runId, 'jobs.metrics')).metrics;
    const info = await stat(path).catch(() => null);
    if (info === null) {
      this.metricsCache.delete(path);
      return [];
    }
    let cached = this.metricsCache.get(path);
    if (cached === undefined || cached.ino !== info.ino || info.size < cached.consumed) {
      cached = { ino: info.ino, consumed: 0, records: [] };
      this.metricsCache.set(path, cached);
    }
    if (info.size === cached.consumed) return cached.records;
    let added: Buffer;
    try {
      const file = await open(path, 'r');
      try {
        added = Buffer.alloc(info.size - cached.consumed);
        const { bytesRead } = await file.read(added, 0, added.length, cached.consumed);
        added = added.subarray(0, bytesRead);
      } finally {
        await file.close();
      }
    } catch (error) {
      throw new ServiceError('unreadable', `jobs.metrics: ${relativeMessage(error, this.projectRoot)}`);
    }
    const end = added.lastIndexOf(0x0a);
    if (end < 0) return cached.records;
    const lines = added.subarray(0, end).toString('utf8').split('\n');
    for (const line of lines) {
      const lineNumber = cached.records.length + 1;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        this.metricsCache.delete(path);
        throw new ServiceError(
          'unreadable',
          `jobs.metrics: ${runFolderOf(runId).path}/metrics.jsonl:${lineNumber}: invalid JSON: ${(error as Error).message}`,
        );
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        this.metricsCache.delete(path);
        throw new ServiceError(
          'unreadable',
          `jobs.metrics: ${runFolderOf(runId).path}/metrics.jsonl:${lineNumber}: expected a JSON object`,
        );
      }
      cached.records.push(value as MetricsRecord);
    }
    cached.consumed += end + 1;
    return cached.records;
  }
}

/** A checkpoint folder's manifest fields, or null when it is missing or does not read. */
async function readCheckpointSummary(dir: string, name: string): Promise<CheckpointSummary | null> {
  try {
    const manifest = JSON.parse(await readFile(join(dir, CHECKPOINT_MANIFEST_FILE), 'utf8')) as {
      createdAt?: unknown;
      meta?: { update?: unknown };
    };
    const update = manifest.meta?.update;
    if (typeof update !== 'number' || !Number.isInteger(update) || update < 0) return null;
    const tensors = await stat(join(dir, CHECKPOINT_TENSORS_FILE));
    return {
      name,
      update,
      createdAt: typeof manifest.createdAt === 'string' ? manifest.createdAt : tensors.mtime.toISOString(),
      tensorBytes: tensors.size,
    };
  } catch {
    return null;
  }
}

/** An error's message with the project root cut from its paths (the API names files relatively). */
export function relativeMessage(error: unknown, projectRoot: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const root = projectRoot.endsWith(sep) ? projectRoot : `${projectRoot}${sep}`;
  return message.split(root).join('');
}

/** Whether `child` lies strictly inside `parent` (both real, absolute). */
