/** Runs `steer …` in this process with captured output (shared by the CLI tests). */
import { BufferSink, type CommandContext } from '../../../../src/main/cli/context.js';
import { runCli } from '../../../../src/main/commands/program.js';

/** What one in-process `steer` invocation printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `steer <argv>` with `cwd` as working directory and optional extra context (signal, update hook). */
export async function steer(
  argv: readonly string[],
  cwd: string,
  extra: Partial<Pick<CommandContext, 'signal' | 'onTrainingUpdate'>> = {},
): Promise<CliRun> {
  const stdout = new BufferSink();
  const stderr = new BufferSink();
  const code = await runCli(argv, { stdout, stderr, cwd, ...extra });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
