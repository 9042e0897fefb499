/**
 * Content types of the files the built renderer (dist/renderer) holds, by extension: one table for
 * both hosts that serve it, the web host (server.ts) and the Electron shell's app:// protocol
 * (src/main/electron/appUrl.ts).
 */
import { extname } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
};

/** Content type of a renderer file, by extension (case-insensitive); octet-stream when unknown. */
export function rendererContentType(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}
