/**
 * The Content-Security-Policy of the app's page, shared by both hosts: the browser host sends it
 * with index.html (server.ts), the Electron main process with every `app://` response
 * (src/main/electron/main.ts). Platform-free.
 */

/** Own scripts, workers and styles only, no eval, no plugins, no framing; `connect` adds API socket URLs. */
export function contentSecurityPolicy(connect: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "worker-src 'self'", // the player's renderer worker (a bundled module script)
    "style-src 'self'",
    "img-src 'self' data: blob:",
    ['connect-src', "'self'", ...connect].join(' '),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
