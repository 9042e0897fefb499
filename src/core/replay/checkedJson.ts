/**
 * The header and the footer are JSON guarded by a CRC-32 (header.ts, endBlock.ts): decoding checks
 * the checksum, then the JSON, then the schema, and names every field that fails.
 */
import { strFromU8 } from 'fflate';
import type { z } from 'zod';
import { crc32 } from './crc32.js';
import { hexCrc, ReplayError } from './replayError.js';

/** A field path as JavaScript writes it: `scenario.name`, `lanes[3]`; `(root)` when empty. */
function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path)
    out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  return out === '' ? '(root)' : out;
}

/** "scenario.name: Too small: …; agents: …" from zod issues. */
export function issueText(error: z.ZodError): string {
  return error.issues.map((issue) => `${issuePath(issue.path)}: ${issue.message}`).join('; ');
}

/** Parses `JSON bytes + CRC-32` read at `offset` against `schema`. */
export function decodeCheckedJson<T>(
  bytes: Uint8Array,
  expectedCrc: number,
  schema: z.ZodType<T>,
  section: string,
  offset: number,
): T {
  const actual = crc32(bytes);
  if (actual !== expectedCrc) {
    throw new ReplayError(
      'corrupted',
      section,
      offset,
      `CRC-32 expected ${hexCrc(expectedCrc)}, found ${hexCrc(actual)}`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(strFromU8(bytes));
  } catch (error) {
    throw new ReplayError('invalid', section, offset, `expected JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ReplayError('invalid', section, offset, issueText(parsed.error));
  return parsed.data;
}
