/**
 * Training metrics as JSON lines (`runs/<id>/metrics.jsonl`): one flat object per
 * line with stable slash-namespaced keys, e.g.
 * `{"step":40960,"loss/policy":0.013,"loss/value":0.41,"perf/steps_per_s":5120}`.
 *
 * The writer appends and hands each line to the OS at once, so a killed run loses at most the line
 * it was writing; the reader skips such a truncated last line and reports any other bad line by number.
 */
import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** A metric value. JSON has no NaN or Infinity: the writer stores non-finite numbers as null. */
export type MetricValue = number | string | boolean | null;

/** One line of the metrics log: a flat record keyed by slash-namespaced names. */
export type MetricsRecord = Readonly<Record<string, MetricValue>>;

/** What `readMetrics` found. */
export interface MetricsReadResult {
  /** Every complete record, in file order. */
  readonly records: MetricsRecord[];
  /** Whether an unfinished last line (a run killed mid-write) was skipped. */
  readonly truncatedLastLine: boolean;
}

/** A bad metrics record or line; the message starts with `<file>:<line>:` or `<file>:`. */
export class MetricsError extends Error {
  override readonly name = 'MetricsError';
}

/** Append-only writer of one metrics.jsonl file. */
export class MetricsLog {
  private fd: number | null;

  private constructor(
    /** The file being written. */
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /**
   * Opens `path` for appending, creating it and its directory if needed. A truncated last line left
   * by a killed run is cut off first, so the next record starts on a line of its own.
   */
  static open(path: string): MetricsLog {
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(path, 'a+');
    try {
      ftruncateSync(fd, endOfLastCompleteLine(fd));
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    return new MetricsLog(path, fd);
  }

  /**
   * Writes `record` as one line. Keys must be non-empty; values numbers, strings, booleans or null
   * (non-finite numbers are written as null). Throws `MetricsError` naming the key otherwise.
   */
  append(record: MetricsRecord): void {
    if (this.fd === null) throw new MetricsError(`${this.path}: append after close`);
    const clean: Record<string, MetricValue> = {};
    for (const [key, value] of Object.entries(record)) {
      const issue = key === '' ? 'expected a non-empty key' : valueIssue(value);
      if (issue !== null) throw new MetricsError(`${this.path}: ${JSON.stringify(key)}: ${issue}`);
      clean[key] = typeof value === 'number' && !Number.isFinite(value) ? null : value;
    }
    writeSync(this.fd, `${JSON.stringify(clean)}\n`);
  }

  /** Closes the file; later appends throw. Closing twice is harmless. */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/**
 * Reads every record of a metrics.jsonl file. An unfinished last line (no newline and not valid
 * JSON: a run killed mid-write) is skipped and reported in `truncatedLastLine`; any other bad line
 * throws `MetricsError` as `<file>:<line>: <problem>`.
 */
export async function readMetrics(path: string): Promise<MetricsReadResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new MetricsError(`${path}: ${code === 'ENOENT' ? 'file not found' : (error as Error).message}`);
  }
  const lines = text.split('\n');
  const endsWithNewline = lines.at(-1) === '';
  if (endsWithNewline) lines.pop();
  const records: MetricsRecord[] = [];
  let truncatedLastLine = false;
  for (let i = 0; i < lines.length; i++) {
    const isUnfinished = i === lines.length - 1 && !endsWithNewline;
    const parsed = parseLine(lines[i]!);
    if (typeof parsed === 'string') {
      if (isUnfinished && parsed.startsWith('invalid JSON')) {
        truncatedLastLine = true;
        break;
      }
      throw new MetricsError(`${path}:${i + 1}: ${parsed}`);
    }
    records.push(parsed);
  }
  return { records, truncatedLastLine };
}

/** How much of a metrics file's end `readLastRecord` reads [bytes]: many times the longest record. */
const LAST_RECORD_WINDOW = 64 * 1024;

/**
 * The last complete record of a metrics.jsonl file, reading only its end (a live run's file grows
 * by a line per update, and progress reports read it every few seconds); null when the file is
 * missing, empty or its end holds no complete record. An unfinished last line is skipped.
 */
export async function readLastRecord(path: string): Promise<MetricsRecord | null> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch {
    return null;
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, LAST_RECORD_WINDOW);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n');
    lines.pop(); // after the last newline: '' or an unfinished line
    for (const line of lines.reverse()) {
      const parsed = parseLine(line);
      if (typeof parsed !== 'string') return parsed;
    }
    return null;
  } finally {
    await handle.close();
  }
}

/** A record, or the problem with the line. */
function parseLine(line: string): MetricsRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return `invalid JSON: ${(error as Error).message}`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `expected a JSON object, found ${JSON.stringify(value)}`;
  }
  for (const [key, item] of Object.entries(value)) {
    const issue = valueIssue(item);
    if (issue !== null) return `${JSON.stringify(key)}: ${issue}`;
  }
  return value as MetricsRecord;
}

function valueIssue(value: unknown): string | null {
  if (
    value === null ||
    typeof value === 'number' ||
    typeof value === 'string' ||
    typeof value === 'boolean'
  ) {
    return null;
  }
  const found =
    value === undefined
      ? 'undefined'
      : Array.isArray(value)
        ? 'an array'
        : typeof value === 'object'
          ? 'an object'
          : `a ${typeof value}`;
  return `expected a number, string, boolean or null, found ${found}`;
}

/** Byte length of the file up to and including its last newline (0 if it has none). */
function endOfLastCompleteLine(fd: number): number {
  const size = fstatSync(fd).size;
  const chunk = Buffer.alloc(64 * 1024);
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const read = readSync(fd, chunk, 0, end - start, start);
    const at = chunk.subarray(0, read).lastIndexOf(0x0a);
    if (at !== -1) return start + at + 1;
    end = start;
  }
  return 0;
}
