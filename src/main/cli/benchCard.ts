/**
 * What the env benchmarks (`steer bench --env horm | mujoco | pettingzoo:…`) do with their table:
 * print it (unless --json printed the figures), and with --markdown write a results card: a title,
 * a paragraph saying what was measured and the target, the command, date and machine, the table.
 */
import { writeFileAtomic } from '../io/atomicWrite.js';
import { type CommandContext, userPath } from './context.js';
import { commandLine, describeMachine } from './invocation.js';

/** Where and when a benchmark ran; take it before the benchmark adds its own load. */
export interface BenchRunInfo {
  readonly machine: string;
  readonly date: string;
}

/** The machine and the time, now. */
export function benchRunInfo(): BenchRunInfo {
  return { machine: describeMachine(), date: new Date().toISOString() };
}

/** What the card says besides the table. */
export interface BenchCardText {
  readonly title: string;
  /** The paragraph under the title, as lines. */
  readonly intro: readonly string[];
}

/** The results card's text. */
export function formatBenchCard(
  text: BenchCardText,
  table: string,
  info: BenchRunInfo & { command: string },
): string {
  return [
    `# ${text.title}`,
    '',
    ...text.intro,
    '',
    `- Command: \`${info.command}\``,
    `- Date: ${info.date}`,
    `- Machine: ${info.machine}`,
    '',
    table,
    '',
  ].join('\n');
}

/** Prints `table` (unless the figures went out as JSON) and writes the card to `--markdown`, if given. */
export async function reportBenchTable(
  ctx: CommandContext,
  options: { readonly json?: boolean | undefined; readonly markdown?: string | undefined },
  argv: readonly string[],
  table: string,
  text: BenchCardText,
  info: BenchRunInfo,
): Promise<void> {
  if (!options.json) ctx.stdout.write(`${table}\n`);
  if (options.markdown === undefined) return;
  await writeFileAtomic(
    userPath(ctx, options.markdown),
    formatBenchCard(text, table, { ...info, command: commandLine(argv) }),
  );
  ctx.stderr.write(`wrote ${options.markdown}\n`);
}
