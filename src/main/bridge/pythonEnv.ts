/**
 * The bridge's Python: finding an interpreter, setting up the project's virtual environment
 * `.venv-bridge/` from the pinned, hashed `python/requirements.txt`, and checking it all for
 * `steer bridge doctor` (docs/envs/bridge-protocol.md "Processes" says how the servers run in it).
 *
 * Set-up is idempotent: after a successful `pip install --require-hashes`, the requirements file's
 * SHA-256 is written (atomically) to `.venv-bridge/steer-requirements.sha256`; a later set-up whose
 * requirements hash the same installs nothing. The marker is removed before an install starts, so
 * an interrupted one is redone next time.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { decodeFrameHeader, encodeFrame } from './frames.js';

/** The venv's folder under the repository root. */
export const BRIDGE_VENV_NAME = '.venv-bridge';
/** The marker file in the venv: the SHA-256 (hex) of the requirements it was installed from. */
export const REQUIREMENTS_MARKER = 'steer-requirements.sha256';
/** Environment variable naming the interpreter to use instead of searching PATH. */
export const PYTHON_ENV_VAR = 'STEER_PYTHON';
/** Interpreters looked for on PATH, in order. */
export const PYTHON_CANDIDATES: readonly string[] = ['python3.11', 'python3.12', 'python3.10', 'python3'];
/**
 * Python versions the pinned requirements install on: [3.10, 3.13). numpy 1.26.4 has no wheels
 * for 3.13, and building it from source needs a compiler toolchain the app does not ask for.
 */
export const PYTHON_MIN: readonly [number, number] = [3, 10];
export const PYTHON_BELOW: readonly [number, number] = [3, 13];
/** Packages `bridgeStatus` imports in the venv (import name = distribution name for these). */
export const BRIDGE_PACKAGES: readonly string[] = ['numpy', 'gymnasium', 'pettingzoo', 'pygame'];

/** How long a probe of an interpreter may take [ms]. */
const PROBE_TIMEOUT_MS = 15_000;
/** How long the server may take to say hello and close (the client's hello deadline) [ms]. */
const HANDSHAKE_TIMEOUT_MS = 60_000;
/** Lines of pip's output quoted when it fails. */
const PIP_TAIL_LINES = 15;

/** A usable interpreter: its absolute path (sys.executable) and version ("3.11.7"). */
export interface PythonFound {
  readonly path: string;
  readonly version: string;
}

/** `<root>/.venv-bridge`. */
export function bridgeVenvDir(root: string): string {
  return join(root, BRIDGE_VENV_NAME);
}

/** The venv's interpreter: `bin/python` (`Scripts\python.exe` on Windows). */
export function venvPython(root: string): string {
  return process.platform === 'win32'
    ? join(bridgeVenvDir(root), 'Scripts', 'python.exe')
    : join(bridgeVenvDir(root), 'bin', 'python');
}

/** `<root>/python/requirements.txt`. */
export function requirementsPath(root: string): string {
  return join(root, 'python', 'requirements.txt');
}

/** SHA-256 (hex) of the requirements file; throws a one-line error when it cannot be read. */
export function requirementsHash(root: string): string {
  const path = requirementsPath(root);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as Error).message}`);
  }
  return createHash('sha256').update(bytes).digest('hex');
}

/** Whether the venv's marker names the current requirements' hash. */
export function markerIsCurrent(root: string): boolean {
  const marker = join(bridgeVenvDir(root), REQUIREMENTS_MARKER);
  if (!existsSync(marker)) return false;
  return readFileSync(marker, 'utf8').trim() === requirementsHash(root);
}

// --- finding an interpreter ---------------------------------------------------------------------

const PROBE_SCRIPT =
  'import json, sys; print(json.dumps({"path": sys.executable, "version": "%d.%d.%d" % sys.version_info[:3]}))';

function versionSupported(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const at = major * 1000 + minor;
  return at >= PYTHON_MIN[0] * 1000 + PYTHON_MIN[1] && at < PYTHON_BELOW[0] * 1000 + PYTHON_BELOW[1];
}

/** The supported versions as text: "3.10–3.12". */
function supportedText(): string {
  return `${PYTHON_MIN.join('.')}–${PYTHON_BELOW[0]}.${PYTHON_BELOW[1] - 1}`;
}

/**
 * Runs `command` as Python (looked up on `env.PATH`) and reports its path and version, or why it cannot be used (does not
 * start, not Python, unsupported version).
 */
export function probePython(
  command: string,
  env: NodeJS.ProcessEnv = process.env,
): PythonFound | { readonly problem: string } {
  const run = spawnSync(command, ['-c', PROBE_SCRIPT], { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS, env });
  if (run.error) return { problem: `${command} does not start (${run.error.message})` };
  if (run.status !== 0) {
    const said = lastLines(`${run.stderr}`, 1).join(' ');
    return { problem: `${command} exited with ${run.status ?? run.signal}${said ? `: ${said}` : ''}` };
  }
  let found: PythonFound;
  try {
    found = JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as PythonFound;
  } catch {
    return { problem: `${command} is not a Python interpreter` };
  }
  if (!versionSupported(found.version)) {
    return { problem: `${command} is Python ${found.version}; the bridge needs ${supportedText()}` };
  }
  return found;
}

/**
 * The interpreter to build the venv with: `$STEER_PYTHON` when set (and nothing else then), else the
 * first of PYTHON_CANDIDATES on PATH whose version is supported; null when there is none.
 */
export function findPython(env: NodeJS.ProcessEnv = process.env): PythonFound | null {
  const override = env[PYTHON_ENV_VAR];
  const candidates = override ? [override] : PYTHON_CANDIDATES;
  for (const command of candidates) {
    const probe = probePython(command, env);
    if ('path' in probe) return probe;
  }
  return null;
}

/** One line saying why findPython found nothing and how to fix it. */
export function noPythonMessage(env: NodeJS.ProcessEnv = process.env): string {
  const override = env[PYTHON_ENV_VAR];
  if (override) {
    const probe = probePython(override, env);
    const why = 'problem' in probe ? probe.problem : 'it is not usable';
    return `${PYTHON_ENV_VAR}=${override} cannot be used: ${why}; point it at a Python ${supportedText()} or unset it`;
  }
  return (
    `no Python ${supportedText()} found (looked for ${PYTHON_CANDIDATES.join(', ')} on PATH): ` +
    'install Python 3.11 (Debian/Ubuntu: apt-get install python3.11 python3.11-venv; macOS and Windows: ' +
    `python.org) or set ${PYTHON_ENV_VAR}=/path/to/python3.11`
  );
}

// --- set-up -------------------------------------------------------------------------------------

/** What setupBridgeVenv needs. */
export interface SetupBridgeVenvOptions {
  /** The repository root (holds python/requirements.txt; the venv goes in `<root>/.venv-bridge`). */
  readonly root: string;
  /** The interpreter to create the venv with (default: findPython()). */
  readonly python?: string;
  /** Receives progress lines and pip's output, line by line. */
  readonly log: (line: string) => void;
  /** Environment of the commands (default process.env); STEER_PYTHON is read from it. */
  readonly env?: NodeJS.ProcessEnv;
}

/** What setupBridgeVenv did. */
export interface SetupBridgeVenvResult {
  /** The venv's interpreter. */
  readonly python: string;
  /** Whether the venv was created by this call. */
  readonly created: boolean;
  /** Whether pip ran (false: the marker matched the requirements). */
  readonly installed: boolean;
}

/** Set-up failed; the message is one line saying what and how to fix it. */
export class BridgeSetupError extends Error {
  override readonly name = 'BridgeSetupError';
}

/**
 * Creates `.venv-bridge` when it is missing (or has no working interpreter) and installs the pinned
 * requirements into it with `pip install --require-hashes`, unless its marker already names the
 * current requirements. Throws BridgeSetupError.
 */
export async function setupBridgeVenv(options: SetupBridgeVenvOptions): Promise<SetupBridgeVenvResult> {
  const { root, log } = options;
  const env = options.env ?? process.env;
  const hash = requirementsHash(root);
  const venvPy = venvPython(root);
  let created = false;
  if (!existsSync(venvPy) || 'problem' in probePython(venvPy, env)) {
    const base = basePython(options.python, env);
    log(`creating ${bridgeVenvDir(root)} with Python ${base.version} (${base.path})`);
    const run = spawnSync(base.path, ['-m', 'venv', '--clear', bridgeVenvDir(root)], {
      encoding: 'utf8',
      env,
    });
    if (run.error || run.status !== 0) {
      const output = `${run.stdout ?? ''}\n${run.stderr ?? ''}`;
      const hint = /ensurepip|venv/.test(output) ? ' (Debian/Ubuntu: apt-get install python3-venv)' : '';
      const said = run.error ? run.error.message : lastLines(output, 3).join(' | ');
      throw new BridgeSetupError(`${base.path} -m venv failed${hint}: ${said}`);
    }
    created = true;
  }
  const marker = join(bridgeVenvDir(root), REQUIREMENTS_MARKER);
  if (!created && markerIsCurrent(root)) {
    log(`${BRIDGE_VENV_NAME} is up to date with python/requirements.txt`);
    return { python: venvPy, created, installed: false };
  }
  rmSync(marker, { force: true });
  const args = ['-m', 'pip', 'install', '--no-input', '--require-hashes', '-r', requirementsPath(root)];
  log(`${venvPy} ${args.join(' ')}`);
  const pipEnv = { ...env, PIP_DISABLE_PIP_VERSION_CHECK: '1', PYTHONNOUSERSITE: '1' };
  const pip = await runStreaming(venvPy, args, pipEnv, log);
  if (pip.failure) {
    throw new BridgeSetupError(`pip install failed (${pip.failure}): ${pip.tail.join(' | ')}`);
  }
  await writeFileAtomic(marker, `${hash}\n`);
  log(`installed python/requirements.txt into ${BRIDGE_VENV_NAME} (sha256 ${hash.slice(0, 12)}…)`);
  return { python: venvPy, created, installed: true };
}

function basePython(command: string | undefined, env: NodeJS.ProcessEnv): PythonFound {
  if (command !== undefined) {
    const probe = probePython(command, env);
    if ('problem' in probe) throw new BridgeSetupError(probe.problem);
    return probe;
  }
  const found = findPython(env);
  if (!found) throw new BridgeSetupError(noPythonMessage(env));
  return found;
}

/** Runs a command, passing each output line (stdout and stderr) to `log`; keeps the last lines. */
function runStreaming(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<{ failure: string | null; tail: string[] }> {
  return new Promise((resolve) => {
    const tail: string[] = [];
    const onLine = (line: string) => {
      log(line);
      tail.push(line);
      if (tail.length > PIP_TAIL_LINES) tail.shift();
    };
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const flushers = [child.stdout, child.stderr].map((stream) => {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const lines = (partial + chunk).split(/\r?\n/);
        partial = lines.pop() ?? '';
        for (const line of lines) if (line.trim() !== '') onLine(line);
      });
      return () => {
        if (partial.trim() !== '') onLine(partial);
        partial = '';
      };
    });
    child.on('error', (error) => resolve({ failure: `${command} does not start: ${error.message}`, tail }));
    child.on('close', (code, signal) => {
      for (const flush of flushers) flush();
      resolve({ failure: code === 0 ? null : `exit ${code ?? signal}`, tail });
    });
  });
}

function lastLines(text: string, count: number): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .slice(-count);
}

// --- doctor -------------------------------------------------------------------------------------

/** One finding of bridgeStatus. */
export interface BridgeCheck {
  /** What was checked: "python", "venv", "requirements", "package numpy", "server handshake". */
  readonly name: string;
  readonly ok: boolean;
  /** What was found: the version or path when ok, the problem when not. */
  readonly detail: string;
  /** How to fix it (when not ok). */
  readonly fix?: string;
  /** True when the check could not run because an earlier one failed. */
  readonly skipped?: boolean;
}

/** What `steer bridge doctor` prints: every check, and whether all passed. */
export interface BridgeStatus {
  readonly ok: boolean;
  readonly checks: readonly BridgeCheck[];
}

const SETUP_FIX = 'run `steer bridge setup`';

/**
 * Checks the bridge's Python set-up under `root`: a base interpreter, the venv, its marker against
 * the requirements, each package of BRIDGE_PACKAGES (imported in one subprocess of the venv's
 * Python, versions compared with the pins), and the server's hello handshake.
 */
export function bridgeStatus(root: string, env: NodeJS.ProcessEnv = process.env): BridgeStatus {
  const checks: BridgeCheck[] = [];
  const found = findPython(env);
  checks.push(
    found
      ? { name: 'python', ok: true, detail: `Python ${found.version} at ${found.path}` }
      : {
          name: 'python',
          ok: false,
          detail: noPythonMessage(env),
          fix: 'install Python 3.11 or set STEER_PYTHON',
        },
  );
  const venvPy = venvPython(root);
  const venvProbe = existsSync(venvPy) ? probePython(venvPy, env) : { problem: `${venvPy} does not exist` };
  const venvOk = 'path' in venvProbe;
  checks.push(
    venvOk
      ? { name: 'venv', ok: true, detail: `${BRIDGE_VENV_NAME} with Python ${venvProbe.version}` }
      : { name: 'venv', ok: false, detail: venvProbe.problem, fix: SETUP_FIX },
  );
  checks.push(requirementsCheck(root, venvOk));
  checks.push(...packageChecks(root, venvOk ? venvPy : null, env));
  checks.push(handshakeCheck(root, venvOk ? venvPy : null, env));
  return { ok: checks.every((check) => check.ok), checks };
}

function skipped(name: string): BridgeCheck {
  return { name, ok: false, detail: 'skipped: no working venv', fix: SETUP_FIX, skipped: true };
}

function requirementsCheck(root: string, venvOk: boolean): BridgeCheck {
  const name = 'requirements';
  if (!venvOk) return skipped(name);
  let current: boolean;
  try {
    current = markerIsCurrent(root);
  } catch (error) {
    return { name, ok: false, detail: (error as Error).message, fix: 'restore python/requirements.txt' };
  }
  if (current) return { name, ok: true, detail: 'installed from the current python/requirements.txt' };
  const hasMarker = existsSync(join(bridgeVenvDir(root), REQUIREMENTS_MARKER));
  const detail = hasMarker
    ? 'python/requirements.txt changed since the last set-up'
    : 'no completed install (no marker)';
  return { name, ok: false, detail, fix: SETUP_FIX };
}

/** name → pinned version, from the `name==version` lines of the requirements file. */
export function pinnedVersions(root: string): Map<string, string> {
  const pins = new Map<string, string>();
  let text = '';
  try {
    text = readFileSync(requirementsPath(root), 'utf8');
  } catch {
    return pins;
  }
  for (const match of text.matchAll(/^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)/gm)) {
    pins.set(normalisedName(match[1]!), match[2]!);
  }
  return pins;
}

function normalisedName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

const IMPORT_SCRIPT = `
import importlib, importlib.metadata, json, os, sys
out = os.dup(1)
os.dup2(2, 1)  # packages that print on import (pygame) must not spoil the JSON
found = {}
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
        found[name] = {"version": importlib.metadata.version(name)}
    except Exception as exc:
        found[name] = {"error": type(exc).__name__ + ": " + str(exc)}
os.write(out, json.dumps(found).encode())
`;

function packageChecks(root: string, python: string | null, env: NodeJS.ProcessEnv): BridgeCheck[] {
  const names = BRIDGE_PACKAGES.map((p) => `package ${p}`);
  if (python === null) return names.map(skipped);
  const run = spawnSync(python, ['-c', IMPORT_SCRIPT, ...BRIDGE_PACKAGES], {
    encoding: 'utf8',
    timeout: HANDSHAKE_TIMEOUT_MS,
    env: { ...env, PYGAME_HIDE_SUPPORT_PROMPT: '1' },
  });
  let found: Record<string, { version?: string; error?: string }>;
  try {
    found = JSON.parse(run.stdout) as typeof found;
  } catch {
    const said = run.error?.message ?? lastLines(`${run.stderr}`, 2).join(' | ');
    return names.map((name) => ({
      name,
      ok: false,
      detail: `the import check failed: ${said}`,
      fix: SETUP_FIX,
    }));
  }
  const pins = pinnedVersions(root);
  return BRIDGE_PACKAGES.map((pkg, i) => {
    const name = names[i]!;
    const result = found[pkg] ?? { error: 'not reported' };
    if (result.version === undefined) {
      return { name, ok: false, detail: `cannot import ${pkg}: ${result.error}`, fix: SETUP_FIX };
    }
    const pin = pins.get(normalisedName(pkg));
    if (pin !== undefined && pin !== result.version) {
      return { name, ok: false, detail: `${pkg} ${result.version}, pinned ${pin}`, fix: SETUP_FIX };
    }
    return { name, ok: true, detail: `${pkg} ${result.version}` };
  });
}

/**
 * Starts the server with a `close` request already on its stdin and checks its two frames: the
 * hello event (protocol steer-bridge/1) and the close reply; then its exit code 0.
 */
function handshakeCheck(root: string, python: string | null, env: NodeJS.ProcessEnv): BridgeCheck {
  const name = 'server handshake';
  if (python === null) return skipped(name);
  const pythonPath = [join(root, 'python'), env.PYTHONPATH].filter(Boolean).join(delimiter);
  const run = spawnSync(python, ['-u', '-m', 'steer_bridge.server'], {
    input: encodeFrame({ id: 1, op: 'close', args: {} }),
    timeout: HANDSHAKE_TIMEOUT_MS,
    killSignal: 'SIGKILL',
    env: { ...env, PYTHONPATH: pythonPath, PYTHONUNBUFFERED: '1' },
    maxBuffer: 1 << 20,
  });
  const fail = (detail: string): BridgeCheck => {
    const said = lastLines(`${run.stderr ?? ''}`, 2).join(' | ');
    return { name, ok: false, detail: said ? `${detail}; stderr: ${said}` : detail, fix: SETUP_FIX };
  };
  if (run.error) return fail(`the server did not run: ${run.error.message}`);
  try {
    const frames = splitFrames(run.stdout);
    const hello = decodeFrameHeader(frames[0] ?? new Uint8Array());
    if (hello.event !== 'hello' || hello.protocol !== 'steer-bridge/1') {
      return fail(`the first frame is not a steer-bridge/1 hello: ${JSON.stringify(hello)}`);
    }
    const reply = decodeFrameHeader(frames[1] ?? new Uint8Array());
    if (reply.id !== 1 || reply.ok !== true) return fail(`close was answered with ${JSON.stringify(reply)}`);
    if (run.status !== 0) return fail(`the server exited with ${run.status ?? run.signal} after close`);
    return {
      name,
      ok: true,
      detail: `hello from pid ${hello.pid} (Python ${hello.python}), closed with exit 0`,
    };
  } catch (error) {
    return fail(`bad output from the server: ${(error as Error).message}`);
  }
}

/** Cuts a buffer into whole frames (length prefix included); a trailing partial frame is dropped. */
function splitFrames(bytes: Uint8Array): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const frames: Uint8Array[] = [];
  let offset = 0;
  while (offset + 4 <= bytes.length) {
    const end = offset + 4 + view.getUint32(offset, true);
    if (end > bytes.length) break;
    frames.push(bytes.subarray(offset, end));
    offset = end;
  }
  return frames;
}
