/**
 * The envs of a run on a bridged env family (`pettingzoo:…`, docs/envs/bridge.md): the trainer's
 * copies as one vector over the Python servers (one per core), and single envs (evaluation) in a
 * server each. Both open synchronously, as the registry's envs are built. Before anything starts,
 * the project's Python set-up is checked, so a missing one is one line with the command that fixes it.
 */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import type { BridgedEnvRequest } from '../../core/envs/bridged/bridgedEnvName.js';
import type { MultiAgentEnv } from '../../core/envs/types.js';
import type { VectorEnv } from '../../core/envs/vector.js';
import { BRIDGE_ROOT } from './bridgeRoot.js';
import { openBridgeVectorEnvSync, singleBridgeEnv } from './bridgeVectorEnv.js';
import { markerIsCurrent, venvPython } from './pythonEnv.js';

/** How a bridged env's copies are made. */
export interface BridgedEnvs {
  /** One env in a server of its own. */
  readonly makeEnv: () => MultiAgentEnv;
  /** `count` copies split over the servers (one per core, at most one per copy). */
  readonly makeVector: (count: number) => VectorEnv;
}

/** Throws an Error of one line when the project's bridge venv is missing or out of date. */
export function assertBridgeReady(envName: string, root: string = BRIDGE_ROOT): void {
  const python = venvPython(root);
  const shown = relative(process.cwd(), python) || python;
  if (!existsSync(python)) {
    throw new Error(
      `${envName}: the bridge's Python is not set up (${shown} does not exist): run 'npm run bridge:setup' ('steer bridge doctor' checks it)`,
    );
  }
  if (!markerIsCurrent(root)) {
    throw new Error(
      `${envName}: the bridge's Python packages are not installed from the current python/requirements.txt: run 'npm run bridge:setup'`,
    );
  }
}

/** The env builders of `envName`, whose server-side description is `request`. */
export function bridgedEnvs(envName: string, request: BridgedEnvRequest): BridgedEnvs {
  assertBridgeReady(envName);
  const open = (copies: number, servers?: number) =>
    openBridgeVectorEnvSync({
      envName,
      family: request.family,
      module: request.module,
      env: request.env,
      kwargs: request.kwargs,
      copies,
      ...(servers === undefined ? {} : { servers }),
    });
  return {
    makeEnv: () => singleBridgeEnv(open(1, 1)),
    makeVector: (count) => open(count),
  };
}
