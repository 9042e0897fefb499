/**
 * The one-file CLI that sweep children start from (src/main/build/cliBundle.ts): it is built once
 * per code version, children are started from it, it runs what the sources run (the version read
 * from package.json, a training with gradient worker threads whose entries are .ts files);
 * STEER_CHILD_BUNDLE=0 turns it off, and a bundle removed meanwhile sends children back to the sources.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BUNDLE_DIR, CLI_BUNDLE_ENV, prepareCliBundle } from '../../../../src/main/build/cliBundle.js';
import { codeHash } from '../../../../src/main/build/codeVersion.js';
import { childCommand, STEER_BIN } from '../../../../src/main/workers/steerChildren.js';

const run = promisify(execFile);
let bundle: string;
let dir: string;

beforeAll(async () => {
  bundle = (await prepareCliBundle())!;
  dir = await mkdtemp(join(tmpdir(), 'steer-cli-bundle-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the one-file CLI for children', () => {
  it('is built once per code version, and children start from it', async () => {
    expect(bundle).toBe(join(CLI_BUNDLE_DIR, `steer-${await codeHash()}.mjs`));
    expect(await prepareCliBundle()).toBe(bundle);
    const [, args] = childCommand(['train', '--help'], { oneCore: true });
    expect(args).toContain(bundle);
    expect(args).not.toContain(STEER_BIN);
    process.env[CLI_BUNDLE_ENV] = '0';
    try {
      expect(childCommand(['train'], {})[1]).toEqual([STEER_BIN, 'train']);
    } finally {
      delete process.env[CLI_BUNDLE_ENV];
    }
  });

  it('falls back to the sources when its bundle was removed meanwhile (another version cleaned up)', async () => {
    const aside = `${bundle}.aside`;
    await rename(bundle, aside);
    try {
      expect(childCommand(['train'], {})[1]).toEqual([STEER_BIN, 'train']);
    } finally {
      await rename(aside, bundle);
    }
    expect(childCommand(['train'], {})[1]).toEqual([bundle, 'train']);
  });

  it('runs what the sources run: the version from package.json, a training with helper threads', async () => {
    const packageJson = JSON.parse(
      await readFile(new URL('../../../../package.json', import.meta.url), 'utf8'),
    );
    const version = await run(process.execPath, [bundle, '--version']);
    expect(version.stdout.trim()).toBe(packageJson.version);
    const args = ['train', '--env', 'matrix:penalty0', '--updates', '2', '--update-threads', '2'];
    const out = join(dir, 'run');
    const trained = await run(process.execPath, [
      bundle,
      ...args,
      '--backend',
      'wasm',
      '--out',
      out,
      '--json',
    ]);
    expect(JSON.parse(trained.stdout)).toMatchObject({ status: 'completed', updates: 2 });
  }, 60_000);
});
