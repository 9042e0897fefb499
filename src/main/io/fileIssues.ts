/**
 * Turning validation issues into the lines the CLI and UI print:
 * `<file>: <field path>: <what was expected, what was found>`.
 */
import type { z } from 'zod';
import { formatFieldPath } from '../../core/fieldPath.js';

/** One `path: message` line per zod issue (just `message` for an issue at the root). */
export function zodIssueLines(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const path = formatFieldPath(issue.path);
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
}
