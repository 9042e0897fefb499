import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BridgeSetupError,
  bridgeStatus,
  bridgeVenvDir,
  findPython,
  noPythonMessage,
  pinnedVersions,
  REQUIREMENTS_MARKER,
  requirementsHash,
  setupBridgeVenv,
  venvPython,
} from '../../../../src/main/bridge/pythonEnv.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const posix = process.platform !== 'win32';

/**
 * A shell script standing in for Python: answers the version probe (`-c`) with `version`, makes a
 * venv (`-m venv --clear DIR`: copies itself to DIR/bin/python), and fakes pip (`-m pip`): counts
 * its calls in `<venv>/pip-calls` and fails when `<venv>/pip-fails` exists.
 */
function fakePython(path: string, version: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(
    path,
    `#!/bin/sh
here="$(cd "$(dirname "$0")" && pwd)"
if [ "$1" = "-c" ]; then echo '{"path": "'"$here/$(basename "$0")"'", "version": "${version}"}'; exit 0; fi
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then mkdir -p "$4/bin" && cp "$0" "$4/bin/python"; exit 0; fi
if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then
  echo "Collecting numpy==1.26.4"
  echo call >> "$here/../pip-calls"
  if [ -f "$here/../pip-fails" ]; then echo "ERROR: THESE PACKAGES DO NOT MATCH THE HASHES" >&2; exit 1; fi
  echo "Successfully installed numpy-1.26.4"; exit 0
fi
exit 2
`,
  );
  chmodSync(path, 0o755);
  return path;
}

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'steer-pyenv-'));
  mkdirSync(join(root, 'python'));
  writeFileSync(join(root, 'python', 'requirements.txt'), 'numpy==1.26.4 \\\n    --hash=sha256:00\n');
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const pipCalls = () => {
  try {
    return readFileSync(join(bridgeVenvDir(root), 'pip-calls'), 'utf8')
      .split('\n')
      .filter(Boolean).length;
  } catch {
    return 0;
  }
};

describe.runIf(posix)('findPython', () => {
  it('takes STEER_PYTHON over PATH and reports its path and version', () => {
    const fake = fakePython(join(root, 'bin', 'py'), '3.11.9');
    expect(findPython({ ...process.env, STEER_PYTHON: fake })).toEqual({ path: fake, version: '3.11.9' });
  });

  it('refuses an unsupported STEER_PYTHON instead of falling back, and says why', () => {
    const old = fakePython(join(root, 'bin', 'py39'), '3.9.18');
    const env = { ...process.env, STEER_PYTHON: old };
    expect(findPython(env)).toBeNull();
    expect(noPythonMessage(env)).toMatch(/STEER_PYTHON=.*py39 cannot be used: .*3\.9\.18.*needs 3\.10–3\.12/);
    const missing = { ...process.env, STEER_PYTHON: join(root, 'nowhere') };
    expect(findPython(missing)).toBeNull();
    expect(noPythonMessage(missing)).toMatch(/does not start/);
  });

  it('names the interpreters it looked for and how to install one', () => {
    const message = noPythonMessage({ PATH: '' });
    expect(message).toMatch(/python3\.11.*python3 on PATH/);
    expect(message).toMatch(/apt-get install python3\.11/);
    expect(findPython({ PATH: join(root, 'empty') })).toBeNull();
  });
});

describe.runIf(posix)('setupBridgeVenv', () => {
  it('creates the venv, installs once, and skips the install while the marker matches', async () => {
    const base = fakePython(join(root, 'base', 'python3'), '3.11.9');
    const lines: string[] = [];
    const first = await setupBridgeVenv({ root, python: base, log: (l) => lines.push(l) });
    expect(first).toEqual({ python: venvPython(root), created: true, installed: true });
    expect(pipCalls()).toBe(1);
    expect(lines).toContain('Successfully installed numpy-1.26.4'); // pip's output is streamed
    const marker = join(bridgeVenvDir(root), REQUIREMENTS_MARKER);
    expect(readFileSync(marker, 'utf8').trim()).toBe(requirementsHash(root));

    const second = await setupBridgeVenv({ root, log: () => {} });
    expect(second).toEqual({ python: venvPython(root), created: false, installed: false });
    expect(pipCalls()).toBe(1);

    writeFileSync(join(root, 'python', 'requirements.txt'), 'numpy==1.26.5\n');
    const third = await setupBridgeVenv({ root, log: () => {} });
    expect(third.installed).toBe(true);
    expect(pipCalls()).toBe(2);
    expect(readFileSync(marker, 'utf8').trim()).toBe(requirementsHash(root));
  });

  it('reports pip failing with its last lines and leaves no marker, so the next run retries', async () => {
    fakePython(venvPython(root), '3.11.9');
    writeFileSync(join(bridgeVenvDir(root), REQUIREMENTS_MARKER), `${requirementsHash(root)}x\n`);
    writeFileSync(join(bridgeVenvDir(root), 'pip-fails'), '');
    const error = await setupBridgeVenv({ root, log: () => {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BridgeSetupError);
    expect((error as Error).message).toMatch(/^pip install failed \(exit 1\): .*DO NOT MATCH THE HASHES/);
    expect((error as Error).message).not.toContain('\n');
    expect(bridgeStatus(root, { ...process.env, STEER_PYTHON: venvPython(root) }).checks[2]).toMatchObject({
      name: 'requirements',
      ok: false,
      detail: 'no completed install (no marker)',
    });
    rmSync(join(bridgeVenvDir(root), 'pip-fails'));
    expect((await setupBridgeVenv({ root, log: () => {} })).installed).toBe(true);
    expect(pipCalls()).toBe(2);
  });

  it('says which interpreters it looked for when there is none', async () => {
    const error = await setupBridgeVenv({ root, log: () => {}, env: { PATH: join(root, 'empty') } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BridgeSetupError);
    expect((error as Error).message).toMatch(/^no Python 3\.10–3\.12 found \(looked for python3\.11/);
  });
});

describe.runIf(posix)('bridgeStatus', () => {
  it('reports a missing venv with the set-up command as the fix and skips what needs it', () => {
    const fake = fakePython(join(root, 'bin', 'py'), '3.11.9');
    const status = bridgeStatus(root, { ...process.env, STEER_PYTHON: fake });
    expect(status.ok).toBe(false);
    const byName = new Map(status.checks.map((c) => [c.name, c]));
    expect(byName.get('python')).toMatchObject({ ok: true, detail: `Python 3.11.9 at ${fake}` });
    expect(byName.get('venv')).toMatchObject({ ok: false, fix: 'run `steer bridge setup`' });
    expect(byName.get('venv')?.detail).toContain('does not exist');
    expect(byName.get('package pettingzoo')).toMatchObject({ ok: false, skipped: true });
    expect(byName.get('server handshake')).toMatchObject({ ok: false, skipped: true });
  });

  // The real server is stdlib-only, so any supported python3 can say hello; the venv is a symlink.
  const python = findPython();
  it.runIf(python !== null)('completes the hello handshake with the real server', () => {
    symlinkSync(join(REPO, 'python', 'steer_bridge'), join(root, 'python', 'steer_bridge'));
    mkdirSync(dirname(venvPython(root)), { recursive: true });
    symlinkSync(python!.path, venvPython(root));
    const check = bridgeStatus(root).checks.find((c) => c.name === 'server handshake');
    expect(check).toMatchObject({ ok: true });
    expect(check?.detail).toMatch(/^hello from pid \d+ \(Python 3\.\d+\.\d+\), closed with exit 0$/);
  });
});

describe('pinnedVersions', () => {
  it('reads the name==version pins of the real requirements, normalising names', () => {
    const pins = pinnedVersions(REPO);
    for (const name of ['numpy', 'gymnasium', 'pettingzoo', 'pygame'])
      expect(pins.get(name)).toMatch(/^\d+\./);
  });
});
