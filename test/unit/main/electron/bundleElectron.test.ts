import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleElectron } from '../../../../src/main/electron/bundleElectron.js';

const outDirs: string[] = [];
afterAll(async () => {
  for (const dir of outDirs) await rm(dir, { recursive: true, force: true });
});

describe('bundleElectron', () => {
  it('builds a preload that requires nothing but electron (sandboxed) and an ES-module main', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'steer-electron-'));
    outDirs.push(outDir);
    const { main, preload } = await bundleElectron(outDir);

    const preloadText = await readFile(preload, 'utf8');
    const required = [...preloadText.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(preloadText).toContain('steerApi');

    const mainText = await readFile(main, 'utf8');
    expect(mainText).toMatch(/^import \{[^}]*\bBrowserWindow\b[^}]*\} from "electron";$/m);
    expect(mainText).toContain('steer:'); // the API channels come from the bundled contract
  });
});
