/**
 * Who may talk to the browser host: requests whose Host header names this server (no DNS
 * rebinding), browsers whose Origin is the host's own page (no other site's scripts) and API
 * sockets that carry the session token (compared in constant time).
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The names, origins and token of one running host. */
export class HostIdentity {
  private readonly tokenBytes: Buffer;
  /** The port, once the server listens. */
  port = 0;

  constructor(
    private readonly bindHost: string,
    token: string,
  ) {
    this.tokenBytes = Buffer.from(token, 'utf8');
  }

  /** Host header values that name this server. */
  private hosts(): string[] {
    const port = this.port;
    return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${this.bindHost}:${port}`];
  }

  /** Whether the request's Host header names this server. */
  hostAllowed(req: IncomingMessage): boolean {
    return this.hosts().includes(req.headers.host ?? '');
  }

  /** Whether `origin` is one of this server's own origins. */
  originAllowed(origin: string): boolean {
    return this.hosts().some((host) => `http://${host}` === origin);
  }

  /** Constant-time comparison with the session token. */
  tokenMatches(given: string | null): boolean {
    if (given === null) return false;
    const bytes = Buffer.from(given, 'utf8');
    return bytes.length === this.tokenBytes.length && timingSafeEqual(bytes, this.tokenBytes);
  }
}
