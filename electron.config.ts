/**
 * electron-builder configuration of the desktop app: `npm run dist` (= npm run build, then
 * `electron-builder --config electron.config.ts`; electron-builder ≥ 26 loads a .ts config itself,
 * through jiti). Targets: Linux AppImage and deb, macOS dmg, Windows nsis; output in release/.
 * The app is dist/ (renderer, main, worker and preload bundles), package.json and the production
 * dependencies, packed in an asar archive; the bundled scenarios, models and sample
 * replays ride along as extra resources, which main.ts copies into Documents/STEER Studio. docs/app.md "Desktop app".
 */
import type { Configuration } from 'electron-builder';

const config: Configuration = {
  appId: 'org.steer-studio.app',
  productName: 'STEER Studio',
  copyright: 'MIT licensed',
  directories: { output: 'release', buildResources: 'build' },
  // One predictable name per installer: steer-studio-0.1.0-linux-x64.AppImage, …-win-x64.exe.
  // biome-ignore lint/suspicious/noTemplateCurlyInString: electron-builder's own macros, not JavaScript's
  artifactName: 'steer-studio-${version}-${os}-${arch}.${ext}',
  // package.json beside dist/: bundled modules resolve it from their source location
  // (src/main/electron/bundleElectron.ts). No sources ship: main.mjs, the workers of the training
  // jobs and sim.run (jobWorker.mjs, editorSimWorker.mjs) and the renderer are built into dist/.
  files: ['dist/**', 'package.json', '!**/*.map'],
  extraResources: [
    { from: 'scenarios', to: 'scenarios' },
    { from: 'models', to: 'models' },
    { from: 'samples', to: 'samples' },
  ],
  // Nothing is unpacked: the worker threads load their bundles from the asar like main.mjs does
  // (Electron ≥ 17.3 reads asar archives in worker threads), and nothing runs TypeScript or spawns
  // a binary.
  asar: true,
  // Electron security checklist item 19 (docs/security.md): flip the fuses the app does not need.
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    grantFileProtocolExtraPrivileges: false,
    loadBrowserProcessSpecificV8Snapshot: false,
  },
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Science',
    maintainer: 'STEER Studio',
  },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.education',
  },
  win: {
    target: ['nsis'],
  },
  nsis: {
    oneClick: false,
    allowToChangeInstallationDirectory: true,
  },
};

export default config;
