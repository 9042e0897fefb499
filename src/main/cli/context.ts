import { isAbsolute, resolve } from 'node:path';

/**
 * What a command needs from the process it runs in, passed in so the same command functions run
 * from the `steer` binary, from tests (in process, output captured) and later from the desktop app.
 */

/** Somewhere text goes: stdout or stderr, or a buffer in tests. */
export interface TextSink {
  write(text: string): void;
  /** Whether this is an interactive terminal (progress bars redraw in place only there). */
  readonly isTTY: boolean;
  /** The underlying terminal stream, for libraries that draw on it (cli-progress); TTY only. */
  readonly stream?: NodeJS.WriteStream;
}

/** The environment of one command invocation. */
export interface CommandContext {
  /** Results: tables, JSON lines, summaries. */
  readonly stdout: TextSink;
  /** Everything else: progress, the chosen backend, warnings, errors. */
  readonly stderr: TextSink;
  /** Directory relative paths are resolved against. */
  readonly cwd: string;
  /** Aborted on SIGINT/SIGTERM (CLI) or by the caller: long commands save their state and stop. */
  readonly signal?: AbortSignal;
  /** Called after every training update with its number (for embedding and tests). */
  readonly onTrainingUpdate?: (update: number) => void;
}

/** Exit code of a command stopped by SIGINT (128 + 2), as shells report it. */
export const EXIT_INTERRUPTED = 130;

/**
 * A path the user typed, for file operations: kept as typed when `ctx.cwd` is the process's own
 * working directory (so messages show it as typed), otherwise resolved against `ctx.cwd`.
 */
export function userPath(ctx: CommandContext, path: string): string {
  return ctx.cwd === process.cwd() || isAbsolute(path) ? path : resolve(ctx.cwd, path);
}

/** The context of the `steer` process itself: real stdout/stderr, its working directory. */
export function processContext(signal?: AbortSignal): CommandContext {
  const sink = (stream: NodeJS.WriteStream): TextSink => ({
    write: (text) => {
      stream.write(text);
    },
    isTTY: stream.isTTY === true,
    stream,
  });
  return { stdout: sink(process.stdout), stderr: sink(process.stderr), cwd: process.cwd(), signal };
}

/** A sink that keeps what is written, for tests and for capturing a child's output. */
export class BufferSink implements TextSink {
  readonly isTTY = false;
  private readonly chunks: string[] = [];

  write(text: string): void {
    this.chunks.push(text);
  }

  /** Everything written so far. */
  text(): string {
    return this.chunks.join('');
  }
}
