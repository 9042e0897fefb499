/**
 * The scenario files the editor can open and save (scenarioMethods.ts): bundled ones in
 * `scenarios/` (read-only) and the user's in `runs/scenarios/` (the only folder written). Paths
 * cross the API relative to the project root and are checked twice: by ScenarioPathSchema (shape)
 * and here (the real path, symlinks resolved, stays inside its folder). Files are checked by the
 * scenario gate, so the editor shows exactly what `steer scenario validate` prints.
 */
import type { Dirent } from 'node:fs';
import { mkdir, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { openScenario, openScenarioDocument, type ScenarioGateResult } from '../../core/envs/horm/index.js';
import { jsonObjectOf, MAX_SCENARIO_FILE_BYTES, type ScenarioIssue } from '../../core/scenario/index.js';
import {
  BUNDLED_SCENARIO_DIR,
  type ScenarioEntry,
  type ScenarioSource,
  scenarioSourceOf,
  USER_SCENARIO_DIR,
} from '../../shared/api/scenarioMethods.js';
import { writeFileAtomic, writeFileAtomicExclusive } from '../io/atomicWrite.js';
import { type Confined, confine, isInside } from '../io/confinedPath.js';
import { readScenarioText } from '../io/scenarioFile.js';
import { ServiceError } from '../services/serviceError.js';

/** Most files listed per folder. */
const MAX_LISTED = 500;

/** A scenario checked by the scenario gate: the resolved scenario or the issues. */
export interface ScenarioCheck {
  readonly ok: boolean;
  readonly issues: ScenarioIssue[];
  readonly scenario: Record<string, unknown> | null;
}

/** What the gate said, as the API reports it. */
function checkOf(gate: ScenarioGateResult): ScenarioCheck {
  return gate.ok
    ? { ok: true, issues: [], scenario: gate.opened.scenario as unknown as Record<string, unknown> }
    : { ok: false, issues: [...gate.issues], scenario: null };
}

/** Checks the text of a scenario file through the scenario gate (never throws). */
export function checkScenarioText(text: string, label: string): ScenarioCheck {
  return checkOf(openScenario(text, label));
}

/** Checks a scenario document (the editor's object) through the scenario gate (never throws). */
export function checkScenarioDocument(document: Record<string, unknown>, label: string): ScenarioCheck {
  return checkOf(openScenarioDocument(document, label));
}

/** The scenario folders of one project directory. */
export class ScenarioLibrary {
  /** @param projectRoot the folder holding scenarios/ and runs/. */
  constructor(readonly projectRoot: string) {}

  /** Bundled then user files, each folder sorted by name. */
  async list(): Promise<ScenarioEntry[]> {
    const entries: ScenarioEntry[] = [];
    for (const dir of [BUNDLED_SCENARIO_DIR, USER_SCENARIO_DIR]) {
      let names: Dirent[];
      try {
        names = await readdir(join(this.projectRoot, ...dir.split('/')), { withFileTypes: true });
      } catch {
        continue; // a missing folder lists nothing (no user scenario saved yet)
      }
      const files = names
        .filter((d) => d.isFile() && scenarioSourceOf(`${dir}/${d.name}`) !== null)
        .map((d) => d.name)
        .sort()
        .slice(0, MAX_LISTED);
      for (const name of files) entries.push(await this.describe(`${dir}/${name}`));
    }
    return entries;
  }

  /** Reads one file: text, parsed document, resolved scenario or issues. A bad file is not an error. */
  async open(path: string): Promise<{
    path: string;
    source: ScenarioSource;
    text: string;
    modifiedAt: string;
    document: Record<string, unknown> | null;
    scenario: Record<string, unknown> | null;
    issues: ScenarioIssue[];
  }> {
    const { absolute, source } = await this.resolveExisting(path, 'scenarios.open');
    const read = await readScenarioText(absolute);
    if (!read.ok) throw new ServiceError('unreadable', `scenarios.open: ${path}: ${read.problem}`);
    const text = read.text;
    const check = checkScenarioText(text, path);
    return {
      path,
      source,
      text,
      modifiedAt: read.modifiedAt.toISOString(),
      document: jsonObjectOf(text),
      scenario: check.scenario,
      issues: check.issues,
    };
  }

  /**
   * Validates `document` and writes it (2-space JSON) to `path` in the user folder, atomically.
   * Refuses an invalid scenario (issues with their JSON paths), an existing file unless
   * `overwrite` (also one that appears while saving: without `overwrite` the file is created
   * exclusively), and a user folder that is a symlink leading out of the project.
   */
  async save(
    path: string,
    document: Record<string, unknown>,
    overwrite: boolean,
  ): Promise<{ path: string; fileBytes: number; modifiedAt: string; replaced: boolean }> {
    if (scenarioSourceOf(path) !== 'user') {
      throw new ServiceError(
        'refused',
        `scenarios.save: ${path}: expected a path in ${USER_SCENARIO_DIR}/ (bundled scenarios are read-only)`,
      );
    }
    const check = checkScenarioDocument(document, path);
    if (!check.ok) {
      const lines = check.issues.map((issue) => `${issue.path}: ${issue.message}`);
      throw new ServiceError(
        'invalid-request',
        `scenarios.save: ${path}: not saved, the scenario has ${check.issues.length} problem${check.issues.length === 1 ? '' : 's'}: ${lines.join('; ')}`,
        check.issues,
      );
    }
    const folder = join(this.projectRoot, ...USER_SCENARIO_DIR.split('/'));
    await mkdir(folder, { recursive: true });
    const realFolder = await realpath(folder);
    const realRoot = await realpath(this.projectRoot);
    if (!isInside(realRoot, realFolder)) {
      throw new ServiceError(
        'refused',
        `scenarios.save: ${path}: ${USER_SCENARIO_DIR}/ leads out of the project folder (a symlink); not written`,
      );
    }
    const target = join(realFolder, path.split('/').at(-1)!);
    const exists = () =>
      new ServiceError(
        'refused',
        `scenarios.save: ${path}: a file of that name exists; save under another name, or overwrite it`,
      );
    let replaced = false;
    try {
      const existing = await stat(target);
      if (!existing.isFile())
        throw new ServiceError('refused', `scenarios.save: ${path}: exists and is not a file`);
      if (!overwrite) throw exists();
      replaced = true;
    } catch (error) {
      if (error instanceof ServiceError) throw error;
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const text = `${JSON.stringify(document, null, 2)}\n`;
    if (overwrite) {
      await writeFileAtomic(target, text);
    } else {
      // The check above only gives the early message: a file created since (another window, another
      // save of the same name) must not be replaced, so the file is created exclusively.
      try {
        await writeFileAtomicExclusive(target, text);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw exists();
        throw error;
      }
    }
    const info = await stat(target);
    return { path, fileBytes: info.size, modifiedAt: info.mtime.toISOString(), replaced };
  }

  /** The list entry of one file. */
  private async describe(path: string): Promise<ScenarioEntry> {
    const source = scenarioSourceOf(path)!;
    const absolute = join(this.projectRoot, ...path.split('/'));
    try {
      const info = await stat(absolute);
      const base = { path, source, fileBytes: Number(info.size), modifiedAt: info.mtime.toISOString() };
      if (info.size > MAX_SCENARIO_FILE_BYTES) return { ...base, name: null, issueCount: 1 };
      const check = checkScenarioText(await readFile(absolute, 'utf8'), path);
      const name = check.scenario === null ? null : String(check.scenario.name);
      return { ...base, name, issueCount: check.issues.length };
    } catch {
      return { path, source, name: null, issueCount: 1, fileBytes: 0, modifiedAt: new Date(0).toISOString() };
    }
  }

  /**
   * The real path of an existing scenario file (shape already checked), refused when it leaves its
   * folder through a symlink, `not-found` when it does not exist.
   */
  private async resolveExisting(
    path: string,
    method: string,
  ): Promise<{ absolute: string; source: ScenarioSource }> {
    const source = scenarioSourceOf(path);
    if (source === null) throw new ServiceError('refused', `${method}: ${path}: not a scenario path`);
    const folder = source === 'bundled' ? BUNDLED_SCENARIO_DIR : USER_SCENARIO_DIR;
    let where: Confined;
    try {
      where = await confine(this.projectRoot, folder, path);
    } catch (error) {
      throw new ServiceError('unreadable', `${method}: ${path}: ${(error as Error).message}`);
    }
    if (where.kind === 'missing') throw new ServiceError('not-found', `${method}: ${path}: no such file`);
    if (where.kind === 'outside') {
      throw new ServiceError(
        'refused',
        `${method}: ${path}: expected a file inside ${folder}/, the real path leaves it`,
      );
    }
    return { absolute: where.real, source };
  }
}
