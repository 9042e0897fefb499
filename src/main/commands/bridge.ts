/**
 * `steer bridge setup` and `steer bridge doctor`: the Python side of the environment bridge
 * (docs/envs/bridge.md). Setup creates the project's virtual environment (.venv-bridge) and installs
 * the pinned, hashed requirements (python/requirements.txt) into it; running it again is quick when
 * nothing changed. Doctor says what is present, what is missing and the command that fixes it.
 * Nothing else in the product needs Python. Engine: src/main/bridge/pythonEnv.ts.
 */
import type { Command } from 'commander';
import { BRIDGE_ROOT } from '../bridge/bridgeRoot.js';
import { BridgeSetupError, bridgeStatus, setupBridgeVenv } from '../bridge/pythonEnv.js';
import type { CommandContext } from '../cli/context.js';
import { CliError } from '../cli/errors.js';

/** Options of `steer bridge setup`. */
export interface BridgeSetupOptions {
  /** The interpreter to create the venv with (default: $STEER_PYTHON, else python3.11, … on PATH). */
  python?: string;
}

/** Options of `steer bridge doctor`. */
export interface BridgeDoctorOptions {
  json?: boolean;
}

/** Adds `bridge setup` and `bridge doctor` to the program. */
export function registerBridgeCommand(
  program: Command,
  actions: {
    setup: (options: BridgeSetupOptions) => Promise<void>;
    doctor: (options: BridgeDoctorOptions) => Promise<void>;
  },
): void {
  const bridge = program
    .command('bridge')
    .description('the Python environment bridge (PettingZoo envs): set-up and checks');
  bridge
    .command('setup')
    .description(
      'create the project virtual environment .venv-bridge and install the pinned requirements (python/requirements.txt)',
    )
    .option(
      '--python <path>',
      'the Python (3.10–3.12) to create it with (default: $STEER_PYTHON, else python3.11, … on PATH)',
    )
    .action(actions.setup);
  bridge
    .command('doctor')
    .description(
      'check the bridge: Python, the venv, its packages and a server handshake; say how to fix what is missing',
    )
    .option('--json', 'one JSON object instead of the lines')
    .action(actions.doctor);
}

/** Runs `steer bridge setup`: exit code 0, or 1 with one line saying what failed and how to fix it. */
export async function bridgeSetupCommand(options: BridgeSetupOptions, ctx: CommandContext): Promise<number> {
  try {
    const result = await setupBridgeVenv({
      root: BRIDGE_ROOT,
      ...(options.python !== undefined && { python: options.python }),
      log: (line) => ctx.stderr.write(`${line}\n`),
    });
    ctx.stdout.write(
      `bridge: ${result.installed ? 'installed' : 'already up to date'}; Python at ${result.python}` +
        " ('steer bridge doctor' checks it)\n",
    );
    return 0;
  } catch (error) {
    if (error instanceof BridgeSetupError) throw new CliError(`bridge setup: ${error.message}`);
    throw error;
  }
}

/** Runs `steer bridge doctor`: one line per check; exit code 0 when every check passed, else 1. */
export async function bridgeDoctorCommand(
  options: BridgeDoctorOptions,
  ctx: CommandContext,
): Promise<number> {
  const status = bridgeStatus(BRIDGE_ROOT);
  if (options.json) {
    ctx.stdout.write(`${JSON.stringify(status)}\n`);
    return status.ok ? 0 : 1;
  }
  for (const check of status.checks) {
    const mark = check.ok ? 'ok  ' : check.skipped ? 'skip' : 'FAIL';
    const fix = check.ok || check.fix === undefined ? '' : ` → ${check.fix}`;
    ctx.stdout.write(`${mark} ${check.name}: ${check.detail}${fix}\n`);
  }
  ctx.stdout.write(
    status.ok
      ? 'bridge: ready (pettingzoo:… envs can be trained)\n'
      : "bridge: not ready; 'npm run bridge:setup' (= steer bridge setup) installs what is missing\n",
  );
  return status.ok ? 0 : 1;
}
