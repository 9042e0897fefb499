/**
 * The repository stands on its own: every link in the Markdown docs, every docs/ path named in
 * code, comments and help texts, and every § section reference resolves inside it. Lettered
 * sections (§a.2, §c.7) are those of docs/spec/steer.md, numbered ones (§1.6, §10.8) those of
 * docs/spec/horm.md, or of docs/spec/bridges.md once a file has named that spec (until it names
 * horm.md again); a § id must be a heading there (`### 1.6 …`, `## c. …`) or, for `§10.8` or
 * `§e.3`, an item of the numbered list under the heading of its section.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** Files whose references are checked: docs, code, tests, scripts. */
function checkedFiles(): string[] {
  const out: string[] = ['README.md', 'package.json', '.ci/run'];
  const walk = (dir: string) => {
    for (const name of readdirSync(join(ROOT, dir))) {
      const path = `${dir}/${name}`;
      if (statSync(join(ROOT, path)).isDirectory()) walk(path);
      else if (/\.(ts|md|js|mjs|json|html|css|sh)$/.test(name)) out.push(path);
    }
  };
  for (const dir of ['docs', 'src', 'test', 'bin', 'scenarios', 'models']) walk(dir);
  return out.filter((path) => existsSync(join(ROOT, path)));
}

/** The section ids a specification defines: headings' leading ids and numbered items under them. */
function sectionIds(markdown: string): Set<string> {
  const ids = new Set<string>();
  let current: string | null = null;
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) inFence = !inFence;
    if (inFence) continue;
    const heading = /^#{1,6} (?:Appendix ([A-Z])\b|([0-9]+(?:\.[0-9]+)*|[a-z](?:\.[0-9]+)*)\.?\s)/.exec(line);
    if (heading !== null) {
      current = heading[1] ?? heading[2]!;
      ids.add(current);
      continue;
    }
    const item = /^([0-9]+)\. /.exec(line);
    if (item !== null && current !== null) ids.add(`${current}.${item[1]}`);
  }
  return ids;
}

/** GitHub's anchor for a heading. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) inFence = !inFence;
    const heading = /^#{1,6} (.*)$/.exec(line);
    if (!inFence && heading !== null) out.add(slug(heading[1]!));
  }
  return out;
}

const SPECS = ['docs/spec/horm.md', 'docs/spec/steer.md', 'docs/spec/bridges.md'] as const;
/** The specs whose sections are numbered: a numbered § is one of the last of them a file named. */
const NUMBERED_SPECS = /\b(horm|bridges)\.md\b/;
const specIds = new Map(SPECS.map((spec) => [spec, sectionIds(readFileSync(join(ROOT, spec), 'utf8'))]));

/** Problems with the references of one file, each "file:line: what". */
function problemsOf(path: string): string[] {
  const text = readFileSync(join(ROOT, path), 'utf8');
  const problems: string[] = [];
  let numbered: (typeof SPECS)[number] =
    path === 'docs/spec/bridges.md' ? 'docs/spec/bridges.md' : 'docs/spec/horm.md';
  text.split('\n').forEach((line, index) => {
    const at = `${path}:${index + 1}`;
    // The team's folder beside the repository (src/shared/ is the repository's own API layer).
    if (
      /(\.\.\/)+shared\/(spec|bench|hooks|design\.md|style\.md|README\.md)|(?<!src\/)shared\/spec\//.test(
        line,
      )
    ) {
      problems.push(`${at}: points outside the repository`);
    }
    if (/style\.md|habit \d/.test(line)) problems.push(`${at}: cites the style guide's habit numbers`);
    // Markdown links (docs only), relative to the file.
    if (path.endsWith('.md')) {
      for (const [, target] of line.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^(https?:|mailto:)/.test(target!)) continue;
        const [file, anchor] = target!.split('#') as [string, string | undefined];
        const resolved = file === '' ? path : relative(ROOT, resolve(join(ROOT, dirname(path)), file));
        if (resolved.startsWith('..')) {
          problems.push(`${at}: link to ${target}: leaves the repository`);
          continue;
        }
        if (!existsSync(join(ROOT, resolved))) {
          problems.push(`${at}: link to ${target}: no such file`);
          continue;
        }
        if (anchor !== undefined && resolved.endsWith('.md')) {
          if (!anchors(readFileSync(join(ROOT, resolved), 'utf8')).has(anchor)) {
            problems.push(`${at}: link to ${target}: no heading #${anchor} in ${resolved}`);
          }
        }
      }
    }
    // Doc paths must exist; § ids must be sections of their specification. A § after
    // "paper" or "RFC 6455" is a section of that document, not of ours.
    const ours = line.replace(/\b(paper|RFC \d+)(,? §\s?[0-9a-g](?:\.[0-9]+)*)+/g, '$1');
    for (const match of ours.matchAll(
      /(?<![\w/.])(docs\/[\w./-]+\.md)|(?<![\w/])((?:[\w-]+\/)*[\w-]+\.md)|§\s?([0-9a-g](?:\.[0-9]+)*)/g,
    )) {
      const docPath = match[1];
      const named = NUMBERED_SPECS.exec(match[1] ?? match[2] ?? '');
      if (named !== null) numbered = named[1] === 'bridges' ? 'docs/spec/bridges.md' : 'docs/spec/horm.md';
      if (docPath !== undefined) {
        if (!existsSync(join(ROOT, docPath))) problems.push(`${at}: ${docPath}: no such file`);
        continue;
      }
      const bare = match[2];
      if (bare !== undefined) {
        const fromFile = relative(ROOT, resolve(join(ROOT, dirname(path)), bare));
        const isSpec = /^spec\/(horm|steer|performance|bridges)\.md$/.test(bare);
        if (isSpec && !(path.startsWith('docs/') && existsSync(join(ROOT, fromFile)))) {
          problems.push(`${at}: ${bare}: write docs/${bare} (or a path relative to this file)`);
        }
        continue;
      }
      // Lettered sections (§a … §g) are STEER's, numbered ones the merge simulator's or the bridges'.
      const id = match[3]!;
      const target = /^[a-g]/.test(id) ? 'docs/spec/steer.md' : numbered;
      if (!specIds.get(target)!.has(id)) {
        problems.push(`${at}: §${id}: no such section in ${target}`);
      }
    }
  });
  return problems;
}

describe('the repository is self-contained', () => {
  it('finds the section ids of the specifications', () => {
    const horm = specIds.get('docs/spec/horm.md')!;
    for (const id of ['0', '1.6', '3.6', '10', '10.8', 'A']) expect(horm.has(id), id).toBe(true);
    const steer = specIds.get('docs/spec/steer.md')!;
    for (const id of ['a', 'a.2', 'c.7', 'e.3', 'g.8']) expect(steer.has(id), id).toBe(true);
    expect(steer.has('c.99')).toBe(false);
  });

  it('resolves every link, docs path and § reference inside the repository', () => {
    const problems = checkedFiles().flatMap(problemsOf);
    expect(problems).toEqual([]);
  });
});
