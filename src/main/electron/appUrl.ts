/**
 * The desktop window's origin: the built renderer (dist/renderer) is served on the privileged
 * custom scheme `app://steer/` rather than from `file://` (Electron security checklist item 18:
 * a file:// page may read any local file; an app:// page sees only what main.ts's protocol handler
 * serves). Pure functions only, no `electron` import, so the checks are unit-tested in Node.
 */
import { join, normalize, sep } from 'node:path';
import { rendererContentType } from '../web/contentType.js';

/** Scheme of the window's pages. */
export const APP_SCHEME = 'app';
/** Host of the window's pages: one fixed name, so the origin is `app://steer`. */
export const APP_HOST = 'steer';
/** The page the window opens. */
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * Whether `url` is on the app's origin. Compares scheme and host parsed by the WHATWG URL parser
 * (never string prefixes: `app://steer.evil/` must fail); Node gives a non-special scheme the
 * opaque origin "null", so `URL.origin` cannot be used.
 */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/** Content type of a served file, by extension (the web host's table). */
export function appContentType(file: string): string {
  return rendererContentType(file);
}

/**
 * The file under `rootDir` that an `app://steer/…` request names, or null when the request is not
 * on the app's origin or its path leaves `rootDir` (`..`, encoded separators, NUL). `/` is
 * index.html.
 */
export function resolveAppFile(url: string, rootDir: string): string | null {
  if (!isAppUrl(url)) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url).pathname);
  } catch {
    return null; // malformed percent-encoding
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  if (pathname === '/' || pathname === '') pathname = '/index.html';
  const root = normalize(rootDir + sep);
  const file = normalize(join(root, pathname));
  return file.startsWith(root) ? file : null;
}
