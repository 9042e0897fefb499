/**
 * Vitest global set-up: the Python bridge's virtual environment (.venv-bridge), as `npm run
 * bridge:setup` makes it, so that `npm test` on a fresh machine has what the PettingZoo bridge tests
 * need (test/integration/bridge/). Quick when it is already current (the requirements' hash marker).
 * A failure (no Python, no PyPI) is reported here and makes those tests fail with the same reason;
 * the rest of the suite needs no Python.
 */
import { BRIDGE_ROOT } from '../../src/main/bridge/bridgeRoot.js';
import { BridgeSetupError, markerIsCurrent, setupBridgeVenv } from '../../src/main/bridge/pythonEnv.js';

export default async function setup(): Promise<void> {
  if (markerIsCurrent(BRIDGE_ROOT)) return;
  const lines: string[] = [];
  process.stderr.write(
    'test set-up: installing the bridge venv (.venv-bridge) from python/requirements.txt …\n',
  );
  try {
    await setupBridgeVenv({ root: BRIDGE_ROOT, log: (line) => lines.push(line) });
  } catch (error) {
    if (!(error instanceof BridgeSetupError)) throw error;
    process.stderr.write(`test set-up: the bridge venv could not be set up: ${error.message}\n`);
  }
}
