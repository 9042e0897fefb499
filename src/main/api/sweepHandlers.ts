/**
 * Handlers of the Training tab's sweep methods (sweepMethods.ts), spread into createApiHandlers
 * (handlers.ts): the sweeps under runs/, read from their status files (src/main/sweep/sweepFolders.ts).
 * Read-only: `steer sweep run` writes those files. Paths in answers and errors are relative to the
 * project root, as the API names files.
 */
import { join } from 'node:path';
import type { ApiHandlers } from '../../shared/api/contract.js';
import { RUNS_DIR } from '../../shared/api/jobMethods.js';
import {
  type SWEEP_METHODS,
  SWEEP_STATES,
  type SweepInfo,
  type SweepRunInfo,
} from '../../shared/api/sweepMethods.js';
import { confine } from '../io/confinedPath.js';
import { relativeMessage } from '../jobs/runCatalog.js';
import { ServiceError } from '../services/serviceError.js';
import {
  findSweepFolders,
  readSweepFolder,
  runnerAlive,
  type SweepFolder,
  stateCounts,
} from '../sweep/index.js';

/** The handlers of the sweep methods for the project folder `projectRoot`. */
export function createSweepHandlers(options: {
  readonly projectRoot: string;
}): Pick<ApiHandlers, keyof typeof SWEEP_METHODS> {
  const runsRoot = join(options.projectRoot, RUNS_DIR);
  const read = async (path: string, method: 'sweeps.list' | 'sweeps.status'): Promise<SweepFolder | null> => {
    const where = await confine(options.projectRoot, RUNS_DIR, `${RUNS_DIR}/${path}`).catch(() => null);
    if (where?.kind === 'outside') {
      throw new ServiceError(
        'refused',
        `${method}: ${RUNS_DIR}/${path}: expected a folder inside ${RUNS_DIR}/, the real path leaves it`,
      );
    }
    if (where?.kind !== 'inside') return null;
    return readSweepFolder(runsRoot, path, { checkFolders: method === 'sweeps.status' });
  };
  return {
    'sweeps.list': async () => {
      const paths = await findSweepFolders(runsRoot);
      const folders = await Promise.all(paths.map((path) => read(path, 'sweeps.list').catch(() => null)));
      const sweeps = folders
        .filter((folder): folder is SweepFolder => folder !== null)
        .map((folder) => sweepInfo(folder, options.projectRoot));
      return { sweeps };
    },
    'sweeps.status': async ({ path }) => {
      const folder = await read(path, 'sweeps.status');
      if (folder === null) {
        throw new ServiceError('not-found', `sweeps.status: ${RUNS_DIR}/${path}: no sweep-status.json there`);
      }
      return {
        sweep: sweepInfo(folder, options.projectRoot),
        runs: 'runs' in folder ? runInfos(folder) : [],
      };
    },
  };
}

/** A sweep folder as the list shows it: its counts and summed progress, or its one error line. */
export function sweepInfo(folder: SweepFolder, projectRoot: string): SweepInfo {
  const counts = { done: 0, running: 0, failed: 0, queued: 0 };
  if ('error' in folder) {
    return {
      path: folder.path,
      name: '',
      file: null,
      updatedAt: null,
      running: false,
      queue: null,
      runs: 0,
      counts,
      update: 0,
      updates: 0,
      error: relativeMessage(new Error(folder.error), projectRoot),
    };
  }
  const { status, runs } = folder;
  const byState = stateCounts(runs);
  for (const state of SWEEP_STATES) counts[state] = byState[state];
  return {
    path: folder.path,
    name: status.sweep,
    file: status.file,
    updatedAt: status.updatedAt,
    running: runnerAlive(status.runner),
    queue: status.queue,
    runs: runs.length,
    counts,
    update: runs.reduce((sum, run) => sum + Math.min(run.update, run.updates), 0),
    updates: runs.reduce((sum, run) => sum + run.updates, 0),
  };
}

/** A read sweep folder's runs as the API shows them. */
function runInfos(folder: Extract<SweepFolder, { runs: unknown }>): SweepRunInfo[] {
  return folder.runs.map((run) => ({
    id: run.id,
    runId: run.path ?? '',
    state: run.state,
    update: run.update,
    updates: run.updates,
    error: run.error,
    hasFolder: run.hasRun,
  }));
}
