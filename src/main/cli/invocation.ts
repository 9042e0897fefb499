/** How results files record where they came from: the command line and the machine. */
import { cpus, loadavg, platform, release } from 'node:os';

/** Quotes an argument for a POSIX shell when it needs it. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

/** `steer <args>` as one could type it again. */
export function commandLine(argv: readonly string[]): string {
  return ['steer', ...argv.map(shellQuote)].join(' ');
}

/**
 * "2 × AMD EPYC …, linux 6.1.0, Node v20.20.2; load average 0.42 at start". The load says how
 * shared the machine was (docs/spec/performance.md: machines are shared and noisy).
 */
export function describeMachine(): string {
  const list = cpus();
  const cpu = `${list.length} × ${list[0]?.model.trim() ?? 'unknown CPU'}`;
  return `${cpu}, ${platform()} ${release()}, Node ${process.version}; load average ${loadavg()[0]!.toFixed(2)} at start`;
}
