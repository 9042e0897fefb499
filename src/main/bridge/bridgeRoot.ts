/**
 * Where the bridge's Python side lives: the project folder (the repository), which holds the server
 * package (python/) and the project's virtual environment (.venv-bridge). From the sources or the
 * CLI bundle alike: import.meta.url is the source location either way (src/main/build).
 */
import { fileURLToPath } from 'node:url';

/** The project folder (ends with a separator). */
export const BRIDGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
