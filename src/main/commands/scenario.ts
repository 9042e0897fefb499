/**
 * `steer scenario validate FILE…` and `steer scenario show FILE`: check scenario files against the
 * versioned schema (src/core/scenario, docs/scenarios.md) and print one line per problem,
 * `file: path: message`; print a file's resolved scenario with every default
 * filled in. Problems are results, not crashes: exit code 1, never a stack trace.
 */
import { readFile, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { formatIssues, type ParseScenarioResult, parseScenario } from '../../core/scenario/index.js';
import { type CommandContext, userPath } from '../cli/context.js';

/** Largest file read as a scenario [bytes]; real ones are a few kB. */
const MAX_SCENARIO_BYTES = 16 * 1024 * 1024;

/** What `scenario validate` and `scenario show` do when commander calls them. */
export interface ScenarioCommandActions {
  validate: (files: string[]) => Promise<void>;
  show: (file: string) => Promise<void>;
}

/** Adds `scenario validate` and `scenario show` to the program. */
export function registerScenarioCommand(program: Command, actions: ScenarioCommandActions): void {
  const scenario = program
    .command('scenario')
    .description('check and inspect scenario files (bundled in scenarios/; format in docs/scenarios.md)');
  scenario
    .command('validate')
    .description('check scenario files: "FILE: ok", or one line per problem (file: path: message), exit 1')
    .argument('<files...>', 'scenario JSON files, e.g. scenarios/*.json')
    .action(actions.validate);
  scenario
    .command('show')
    .description('print the scenario as the simulator will use it, with every default filled in (JSON)')
    .argument('<file>', 'a scenario JSON file, e.g. scenarios/horm-easy.json')
    .action(actions.show);
}

/** Why a file could not be read, in a few words. */
function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EISDIR') return 'is a directory, expected a scenario JSON file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return `cannot read the file: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Reads and validates one file. `file` is shown as the user typed it; it is read relative to
 * `ctx.cwd`. A file that cannot be read is a failed result whose one line says why.
 */
export async function readScenarioFile(file: string, ctx: CommandContext): Promise<ParseScenarioResult> {
  const path = userPath(ctx, file);
  const unreadable = (message: string): ParseScenarioResult => ({
    ok: false,
    file,
    issues: [{ path: '', message }], // about the file, not a field: `file: message`
  });
  let text: string;
  try {
    const info = await stat(path);
    if (info.isDirectory()) return unreadable(readFailure({ code: 'EISDIR' }));
    if (info.size > MAX_SCENARIO_BYTES) {
      return unreadable(
        `expected a scenario file of at most ${MAX_SCENARIO_BYTES / 1024 / 1024} MB, received ${(info.size / 1024 / 1024).toFixed(1)} MB`,
      );
    }
    text = await readFile(path, 'utf8');
  } catch (error) {
    return unreadable(readFailure(error));
  }
  return parseScenario(text, file);
}

/** The lines of a failed result, on stderr. */
function reportProblems(result: ParseScenarioResult & { ok: false }, ctx: CommandContext): void {
  for (const line of formatIssues(result.file, result.issues)) ctx.stderr.write(`${line}\n`);
}

/** Runs `steer scenario validate`; exit code 0 when every file is valid, else 1. */
export async function scenarioValidateCommand(
  files: readonly string[],
  ctx: CommandContext,
): Promise<number> {
  let bad = 0;
  for (const file of files) {
    const result = await readScenarioFile(file, ctx);
    if (result.ok) {
      const migrated =
        result.fromVersion === result.scenario.version
          ? ''
          : ` (version ${result.fromVersion}, read as version ${result.scenario.version})`;
      ctx.stdout.write(`${file}: ok${migrated}\n`);
    } else {
      bad++;
      reportProblems(result, ctx);
    }
  }
  if (bad > 0 && files.length > 1) {
    ctx.stderr.write(`steer: ${bad} of ${files.length} scenario files have problems\n`);
  }
  return bad === 0 ? 0 : 1;
}

/** Runs `steer scenario show`: the resolved scenario as JSON on stdout; exit code 1 if invalid. */
export async function scenarioShowCommand(file: string, ctx: CommandContext): Promise<number> {
  const result = await readScenarioFile(file, ctx);
  if (!result.ok) {
    reportProblems(result, ctx);
    return 1;
  }
  ctx.stdout.write(`${JSON.stringify(result.scenario, null, 2)}\n`);
  return 0;
}
