/**
 * `steer web` (src/main/commands/web.ts): serves a built renderer, prints the URL with the token,
 * stops when its signal aborts; refuses a missing build and non-loopback addresses in one line.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BufferSink } from '../../../../src/main/cli/context.js';
import { runCli } from '../../../../src/main/commands/program.js';
import { steer } from '../cli/runCliInProcess.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'steer-webcmd-'));
  await mkdir(join(dir, 'site'), { recursive: true });
  await writeFile(join(dir, 'site', 'index.html'), '<!doctype html><title>player</title>');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('steer web', () => {
  it('prints the page URL with a token, serves it, and stops on abort', async () => {
    const controller = new AbortController();
    const stdout = new BufferSink();
    const stderr = new BufferSink();
    const running = runCli(['web', '--static', 'site'], {
      stdout,
      stderr,
      cwd: dir,
      signal: controller.signal,
    });
    let url = '';
    for (let k = 0; k < 200 && url === ''; k++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      url = /http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}/.exec(stdout.text())?.[0] ?? '';
    }
    expect(url).not.toBe('');
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>player</title>');
    controller.abort();
    expect(await running).toBe(0);
    await expect(fetch(url)).rejects.toThrow(); // the host is gone
  });

  it('says how to build the renderer when there is none, and refuses a public address', async () => {
    const missing = await steer(['web', '--static', 'nothing'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /^steer: error: web: no built renderer in .*nothing: run npm run build:renderer/,
    );
    const open = await steer(['web', '--static', 'site', '--host', '0.0.0.0'], dir);
    expect(open.code).toBe(1);
    expect(open.stderr).toMatch(/refusing to listen on 0\.0\.0\.0: expected a loopback address/);
  });

  it('refuses a --root that is missing or not a folder, before serving anything', async () => {
    await writeFile(join(dir, 'a-file.txt'), 'not a folder');
    const cases: [string, RegExp][] = [
      ['nowhere', /^steer: error: web: --root nowhere \(\/.*\/nowhere\): no such folder\n$/],
      ['site/nowhere/deeper', /^steer: error: web: --root site\/nowhere\/deeper \(.*\): no such folder\n$/],
      ['a-file.txt', /^steer: error: web: --root a-file\.txt \(\/.*\/a-file\.txt\): not a folder\n$/],
    ];
    for (const [root, message] of cases) {
      const run = await steer(['web', '--static', 'site', '--root', root], dir);
      expect(run.code, root).toBe(1);
      expect(run.stdout, root).toBe(''); // no URL: nothing was served
      expect(run.stderr, root).toMatch(message);
    }
    const absent = join(dir, 'absent');
    const run = await steer(['web', '--static', 'site', '--root', absent], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`web: --root ${absent}: no such folder`);
  });
});
