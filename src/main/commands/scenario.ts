/**
 * `steer scenario validate FILE…` and `steer scenario show FILE`: check scenario files through the
 * scenario gate (the versioned schema of src/core/scenario, docs/scenarios.md, then what the
 * simulator can build) and print one line per problem,
 * `file: path: message`; print a file's resolved scenario with every default
 * filled in. Problems are results, not crashes: exit code 1, never a stack trace.
 */
import type { Command } from 'commander';
import { type CommandContext, userPath } from '../cli/context.js';
import { reportScenarioIssues } from '../cli/scenarioArgument.js';
import { openScenarioFile } from '../io/scenarioFile.js';

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

/** Runs `steer scenario validate`; exit code 0 when every file is valid, else 1. */
export async function scenarioValidateCommand(
  files: readonly string[],
  ctx: CommandContext,
): Promise<number> {
  let bad = 0;
  for (const file of files) {
    const gate = await openScenarioFile(userPath(ctx, file), file);
    if (gate.ok) {
      const version = gate.opened.scenario.version;
      const migrated =
        gate.fromVersion === version ? '' : ` (version ${gate.fromVersion}, read as version ${version})`;
      ctx.stdout.write(`${file}: ok${migrated}\n`);
    } else {
      bad++;
      reportScenarioIssues(file, gate.issues, ctx);
    }
  }
  if (bad > 0 && files.length > 1) {
    ctx.stderr.write(`steer: ${bad} of ${files.length} scenario files have problems\n`);
  }
  return bad === 0 ? 0 : 1;
}

/** Runs `steer scenario show`: the resolved scenario as JSON on stdout; exit code 1 if invalid. */
export async function scenarioShowCommand(file: string, ctx: CommandContext): Promise<number> {
  const gate = await openScenarioFile(userPath(ctx, file), file);
  if (!gate.ok) {
    reportScenarioIssues(file, gate.issues, ctx);
    return 1;
  }
  ctx.stdout.write(`${JSON.stringify(gate.opened.scenario, null, 2)}\n`);
  return 0;
}
