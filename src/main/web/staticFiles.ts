/**
 * The browser host's static files: the built renderer, GET and HEAD only, from its folder only
 * (a path that leaves it after decoding and normalising, or holds NUL, is not found), HTML pages
 * with a strict Content-Security-Policy, and never a referrer (the page URL carries the token).
 */
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { contentSecurityPolicy } from './contentSecurityPolicy.js';
import { rendererContentType } from './contentType.js';
import type { HostIdentity } from './hostIdentity.js';

/** What serving static files needs to know of the host. */
export interface StaticSite {
  /** The build folder (index.html and assets/). */
  readonly staticDir: string;
  readonly identity: HostIdentity;
  /** The WebSocket path the pages' CSP allows connecting to. */
  readonly apiPath: string;
}

/** Answers one HTTP request with a static file or a short plain-text refusal. */
export async function serveStaticFile(
  site: StaticSite,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const text = (status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end(`${body}\n`);
  };
  if (!site.identity.hostAllowed(req)) {
    return text(403, `web host: Host "${req.headers.host ?? ''}" is not this server`);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'web host: only GET and HEAD');
  const staticRoot = normalize(site.staticDir + sep);
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://host').pathname);
  } catch {
    return text(400, 'web host: malformed path');
  }
  if (pathname === '/') pathname = '/index.html';
  const file = normalize(join(staticRoot, pathname));
  if (!file.startsWith(staticRoot) || pathname.includes('\0')) return text(404, 'web host: not found');
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) return text(404, 'web host: not found');
    size = info.size;
  } catch {
    if (pathname === '/index.html') {
      return text(503, `web host: the renderer is not built (no ${file}): run npm run build:renderer`);
    }
    return text(404, 'web host: not found');
  }
  res.writeHead(200, fileHeaders(site, file, size));
  res.end(req.method === 'HEAD' ? undefined : await readFile(file));
}

/** The response headers of a file of `size` bytes. */
function fileHeaders(site: StaticSite, file: string, size: number): Record<string, string | number> {
  const headers: Record<string, string | number> = {
    'content-type': rendererContentType(file),
    'content-length': size,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    // The page URL carries the token: never send it on as a referrer.
    'referrer-policy': 'no-referrer',
  };
  if (extname(file) === '.html') {
    // CSP sources cannot name IPv6 literals; 'self' covers the page's own origin in any case.
    const port = site.identity.port;
    headers['content-security-policy'] = contentSecurityPolicy([
      `ws://127.0.0.1:${port}${site.apiPath}`,
      `ws://localhost:${port}${site.apiPath}`,
    ]);
  }
  return headers;
}
