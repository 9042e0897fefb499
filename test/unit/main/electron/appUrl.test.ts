import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  appContentType,
  isAppUrl,
  resolveAppFile,
} from '../../../../src/main/electron/appUrl.js';

const ROOT = join(sep, 'opt', 'steer', 'dist', 'renderer');

describe('isAppUrl', () => {
  it('accepts pages of app://steer and nothing that merely looks like it', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://steer/assets/index-abc.js?x=1#y')).toBe(true);
    for (const url of [
      'app://steer.evil/index.html',
      'app://evil/index.html',
      'app://user@steer/index.html',
      'https://steer/index.html',
      'file:///opt/steer/dist/renderer/index.html',
      'steer',
      '',
    ]) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });
});

describe('resolveAppFile', () => {
  it('maps app://steer paths to files under the renderer folder, / to index.html', () => {
    expect(resolveAppFile('app://steer/', ROOT)).toBe(join(ROOT, 'index.html'));
    expect(resolveAppFile('app://steer/assets/a.js', ROOT)).toBe(join(ROOT, 'assets', 'a.js'));
    // The URL parser resolves dot segments first: they cannot climb above the origin's root.
    expect(resolveAppFile('app://steer/../../secret.txt', ROOT)).toBe(join(ROOT, 'secret.txt'));
    expect(resolveAppFile('app://steer/%2e%2e/%2e%2e/etc/passwd', ROOT)).toBe(join(ROOT, 'etc', 'passwd'));
  });

  it('refuses paths that leave the folder, other origins and malformed encodings', () => {
    for (const url of [
      'app://steer/assets/%2e%2e%2f%2e%2e%2fx',
      'app://steer/a%5c..%5c..%5cx',
      'app://steer/a%00.js',
      'app://steer/%E0%A4%A',
      'app://other/index.html',
    ]) {
      expect(resolveAppFile(url, ROOT), url).toBeNull();
    }
  });

  it('names content types by extension', () => {
    expect(appContentType('index.html')).toBe('text/html; charset=utf-8');
    expect(appContentType('a.JS')).toBe('text/javascript; charset=utf-8');
    expect(appContentType('blob.bin')).toBe('application/octet-stream');
  });
});
