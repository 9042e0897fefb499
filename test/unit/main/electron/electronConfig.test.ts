/**
 * electron.config.ts as `npm run dist` reads it: loaded by electron-builder's own config loader
 * (jiti for .ts) and checked against electron-builder's schema, without packaging anything (that
 * needs the Electron build, which cannot be downloaded here).
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const require = createRequire(import.meta.url);

interface BuilderConfig {
  readonly [key: string]: unknown;
  readonly asar?: boolean;
  readonly electronFuses?: Record<string, boolean>;
}

describe('electron.config.ts', () => {
  it("passes electron-builder's schema and names the targets, resources and fuses", async () => {
    const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      getConfig(projectDir: string, configPath: string, fromOptions: null): Promise<BuilderConfig>;
      validateConfiguration(config: BuilderConfig, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    const config = await getConfig(REPO, `${REPO}electron.config.ts`, null);
    await validateConfiguration(config, new DebugLogger(false));

    expect(config).toMatchObject({
      appId: expect.any(String),
      productName: 'STEER Studio',
      asar: true,
      linux: { target: ['AppImage', 'deb'] },
      mac: { target: ['dmg'] },
      win: { target: ['nsis'] },
      extraResources: [
        { from: 'scenarios', to: 'scenarios' },
        { from: 'models', to: 'models' },
        { from: 'samples', to: 'samples' },
      ],
    });
    // electron-builder normalises `files` into one file set.
    expect(config.files).toEqual([{ filter: expect.arrayContaining(['dist/**', 'package.json']) }]);
    // The workers run from their bundles in dist/ (bundleElectron.ts): no sources, nothing unpacked.
    expect(JSON.stringify(config.files)).not.toContain('src/');
    expect(config.asarUnpack).toBeUndefined();
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      grantFileProtocolExtraPrivileges: false,
      onlyLoadAppFromAsar: true,
    });
  });
});
