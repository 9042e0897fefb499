/**
 * A WebSocket client that writes frames byte by byte (RFC 6455 §5.2), so a test can send what no
 * well-behaved client library would: bad opcodes, RSV bits, unmasked frames, invalid UTF-8, bad
 * close codes, oversized messages. It reads the server's frames back and reports the close code.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** Opcodes of RFC 6455. */
export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa };

/** How to build one frame; every field may break the protocol on purpose. */
export interface FrameSpec {
  readonly opcode: number;
  readonly payload: Uint8Array;
  /** FIN bit; default true. */
  readonly fin?: boolean;
  /** RSV1–3 as a 3-bit number; default 0. */
  readonly rsv?: number;
  /** Clients must mask; default true. */
  readonly masked?: boolean;
}

/** The bytes of one frame. */
export function encodeFrame(spec: FrameSpec): Buffer {
  const { payload } = spec;
  const masked = spec.masked ?? true;
  const head: number[] = [((spec.fin ?? true) ? 0x80 : 0) | ((spec.rsv ?? 0) << 4) | (spec.opcode & 0x0f)];
  const maskBit = masked ? 0x80 : 0;
  if (payload.length < 126) head.push(maskBit | payload.length);
  else if (payload.length < 65536) head.push(maskBit | 126, payload.length >> 8, payload.length & 0xff);
  else {
    head.push(maskBit | 127, 0, 0, 0, 0);
    const n = payload.length;
    head.push((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
  }
  if (!masked) return Buffer.concat([Buffer.from(head), payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i]! ^= mask[i & 3]!;
  return Buffer.concat([Buffer.from(head), mask, body]);
}

/** A frame the server sent. */
export interface ServerFrame {
  readonly opcode: number;
  readonly payload: Buffer;
}

/** What the server did with the connection. */
export interface RawOutcome {
  /** Frames received before the connection ended (or the wait ran out). */
  readonly frames: ServerFrame[];
  /** The code of the server's close frame, or null when it sent none. */
  readonly closeCode: number | null;
  /** Whether the TCP connection ended. */
  readonly ended: boolean;
}

/** An open raw connection to a WebSocket endpoint. */
export class RawWebSocket {
  private buffer = Buffer.alloc(0);
  private readonly frames: ServerFrame[] = [];
  private ended = false;
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.parse();
      this.wake();
    });
    const end = () => {
      this.ended = true;
      this.wake();
    };
    socket.on('close', end);
    socket.on('error', end);
  }

  /** Upgrades a TCP connection to `ws://127.0.0.1:port/path`; rejects unless the server answers 101. */
  static open(port: number, path: string): Promise<RawWebSocket> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      const key = randomBytes(16).toString('base64');
      let head = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onData);
        const status = head.subarray(0, end).toString('latin1').split('\r\n')[0] ?? '';
        if (!/^HTTP\/1\.1 101 /.test(status)) {
          socket.destroy();
          reject(new Error(`upgrade refused: ${status}`));
          return;
        }
        const raw = new RawWebSocket(socket);
        const rest = head.subarray(end + 4);
        if (rest.length > 0) socket.emit('data', rest);
        resolve(raw);
      };
      socket.on('data', onData);
      socket.once('error', reject);
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
  }

  /** Writes raw bytes (one or more frames, or anything at all). */
  write(bytes: Uint8Array): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  /**
   * Waits until the server has sent its close frame or ended the connection, or `timeoutMs`
   * passed. (After its close frame a server waits a while for the client's before it hangs up.)
   */
  async outcome(timeoutMs: number): Promise<RawOutcome> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended && this.closeCode() === null && Date.now() < deadline) {
      await this.waitForNews(deadline - Date.now());
    }
    return { frames: [...this.frames], closeCode: this.closeCode(), ended: this.ended };
  }

  /** Waits for the next data frame (text or binary) the server sends, or null after `timeoutMs`. */
  async nextMessage(timeoutMs: number): Promise<ServerFrame | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.frames.findIndex((f) => f.opcode === OPCODE.binary || f.opcode === OPCODE.text);
      if (index >= 0) return this.frames.splice(index, 1)[0]!;
      if (this.ended || Date.now() >= deadline) return null;
      await this.waitForNews(deadline - Date.now());
    }
  }

  /** Closes the TCP connection from this side. */
  destroy(): void {
    this.socket.destroy();
  }

  private closeCode(): number | null {
    const close = this.frames.find((f) => f.opcode === OPCODE.close);
    return close !== undefined && close.payload.length >= 2 ? close.payload.readUInt16BE(0) : null;
  }

  private parse(): void {
    for (;;) {
      const b = this.buffer;
      if (b.length < 2) return;
      let length = b[1]! & 0x7f;
      let at = 2;
      if (length === 126) {
        if (b.length < 4) return;
        length = b.readUInt16BE(2);
        at = 4;
      } else if (length === 127) {
        if (b.length < 10) return;
        length = Number(b.readBigUInt64BE(2));
        at = 10;
      }
      if (b.length < at + length) return; // servers never mask
      this.frames.push({ opcode: b[0]! & 0x0f, payload: Buffer.from(b.subarray(at, at + length)) });
      this.buffer = b.subarray(at + length);
    }
  }

  private waitForNews(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(ms, 0));
      const waiters = this.waiters;
      function done() {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      }
      waiters.add(done);
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
