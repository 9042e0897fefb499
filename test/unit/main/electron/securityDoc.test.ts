/**
 * docs/security.md stays true: it quotes no line numbers (they went stale; functions and files are
 * named instead), the Electron version it names is the one package.json pins exactly, and what it
 * says about encoded paths is what appUrl.ts (the desktop window) and the web host do: a path is
 * percent-decoded once and served when it stays inside the renderer folder (an encoded `/`
 * included); refused are paths that leave it, NUL, malformed escapes, and in app:// a backslash.
 */

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAppFile } from '../../../../src/main/electron/appUrl.js';
import { startWebHost, type WebHost } from '../../../../src/main/web/server.js';

const REPOSITORY = fileURLToPath(new URL('../../../../', import.meta.url));

let doc: string;
let dir: string;
let host: WebHost;
beforeAll(async () => {
  doc = await readFile(join(REPOSITORY, 'docs', 'security.md'), 'utf8');
  dir = await mkdtemp(join(tmpdir(), 'steer-security-doc-'));
  await mkdir(join(dir, 'site', 'assets'), { recursive: true });
  await writeFile(join(dir, 'site', 'index.html'), '<!doctype html><title>page</title>');
  await writeFile(join(dir, 'site', 'assets', 'app.js'), 'export {};\n');
  await writeFile(join(dir, 'private.txt'), 'not served');
  host = await startWebHost({ staticDir: join(dir, 'site'), projectRoot: dir, version: 'x' });
});
afterAll(async () => {
  await host?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Status of GET `path` (sent as written, not normalised by a client). */
function status(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port: host.port, path }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('docs/security.md', () => {
  it('quotes no line numbers', () => {
    const quotes = [
      ...doc.matchAll(/[\w.-]+\.(?:ts|js|mjs|cjs|json):\d+/g),
      ...doc.matchAll(/`\d+(?:[–-]\d+)?`/g),
      ...doc.matchAll(/line numbers? (?:are|is) those/gi),
    ].map((m) => m[0]);
    expect(quotes).toEqual([]);
  });

  it('names the Electron version package.json pins exactly', async () => {
    const pkg = JSON.parse(await readFile(join(REPOSITORY, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    const pinned = pkg.devDependencies.electron!;
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    const row = doc.split('\n').find((line) => line.startsWith('| 16 |'))!;
    expect(row).toContain(`\`electron\` ${pinned}, pinned exactly`);
  });

  it('says what is refused in paths as the code does it (app:// and the web host)', async () => {
    const root = join(sep, 'opt', 'steer', 'dist', 'renderer');
    // app://: decoded once; an encoded "/" that stays inside is served
    expect(resolveAppFile('app://steer/assets%2Fa.js', root)).toBe(join(root, 'assets', 'a.js'));
    expect(resolveAppFile('app://steer/assets/%2e%2e/index.html', root)).toBe(join(root, 'index.html'));
    for (const refused of [
      'app://steer/assets/%2e%2e%2f%2e%2e%2fx', // leaves the folder
      'app://steer/a%00.js', // NUL
      'app://steer/%E0%A4%A', // malformed escape
      'app://steer/assets%5Ca.js', // a backslash, even inside
    ]) {
      expect(resolveAppFile(refused, root), refused).toBeNull();
    }
    // the web host: the same rule (src/main/web/staticFiles.ts serveStaticFile)
    expect(await status('/assets%2Fapp.js')).toBe(200);
    expect(await status('/assets/%2e%2e/index.html')).toBe(200);
    expect(await status('/%2e%2e%2fprivate.txt')).toBe(404);
    expect(await status('/%00')).toBe(404);
    expect(await status('/%E0%A4%A')).toBe(400);
    // and the page says so
    expect(doc).toMatch(/an encoded `\/` \(`%2F`\)[^|]* is served/i);
    expect(doc).not.toMatch(/encoded `\/` and `\\` [^|]*refused/);
  });
});
