/**
 * The import graph keeps its shape (docs/design.md "Layers"): renderer → shared ← main, everything
 * may import core and core imports nothing above it; no file imports itself back through others,
 * and no area does either (an area is a folder right under a layer, such as src/main/jobs: if
 * jobs/ imports train/, train/ must not import jobs/). The graph is read by dependency-cruiser from the TypeScript sources, type
 * imports included.
 */
import { resolve } from 'node:path';
import { cruise, type ICruiseResult, type IModule } from 'dependency-cruiser';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** What no layer may import, as dependency-cruiser rules. */
const LAYER_RULES = [
  { name: 'core-stays-below', from: '^src/core/', to: '^src/(shared|main|renderer)/' },
  { name: 'shared-is-platform-free', from: '^src/shared/', to: '^src/(main|renderer)/' },
  { name: 'renderer-never-imports-main', from: '^src/renderer/', to: '^src/main/' },
  { name: 'main-never-imports-renderer', from: '^src/main/', to: '^src/renderer/' },
].map(({ name, from, to }) => ({ name, severity: 'error' as const, from: { path: from }, to: { path: to } }));

let result: ICruiseResult;

beforeAll(async () => {
  const previous = process.cwd();
  process.chdir(ROOT); // paths in the result are relative to the working directory
  try {
    const cruised = await cruise(
      ['src'],
      {
        tsConfig: { fileName: 'tsconfig.json' },
        tsPreCompilationDeps: true, // type-only imports count: they tie the files too
        doNotFollow: { path: 'node_modules' },
        exclude: { path: '\\.(css|html)$' },
        ruleSet: {
          forbidden: [
            ...LAYER_RULES,
            { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
          ],
        },
        validate: true,
      },
      undefined,
      { tsConfig: { fileName: resolve(ROOT, 'tsconfig.json') } },
    );
    result = cruised.output as ICruiseResult;
  } finally {
    process.chdir(previous);
  }
}, 60_000);

/**
 * The area a source file belongs to: the folder right under its layer (src/main/jobs,
 * src/core/sim, src/renderer/editor), or the layer itself for a file directly in it (src/main/cli.ts).
 * Inside an area, subfolders may lean on each other's files as a package does; areas may not.
 */
const folderOf = (path: string) => {
  const parts = path.split('/');
  return parts.slice(0, Math.min(3, parts.length - 1)).join('/');
};

/** Folder → the folders it imports (its own excluded), over the project's sources. */
function folderGraph(modules: readonly IModule[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const module of modules) {
    if (!module.source.startsWith('src/')) continue;
    const from = folderOf(module.source);
    const targets = graph.get(from) ?? new Set<string>();
    graph.set(from, targets);
    for (const dependency of module.dependencies) {
      if (!dependency.resolved.startsWith('src/')) continue;
      const to = folderOf(dependency.resolved);
      if (to !== from) targets.add(to);
    }
  }
  return graph;
}

/** Strongly connected groups of more than one node (Tarjan). */
function cycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe('the import graph', () => {
  it('reads every source file', () => {
    const sources = result.modules.filter((m) => m.source.startsWith('src/'));
    expect(sources.length).toBeGreaterThan(150);
    expect(sources.some((m) => m.source === 'src/shared/api/contract.ts')).toBe(true);
  });

  it('keeps the layers: renderer → shared ← main, all → core, core → nothing above it', () => {
    const broken = result.summary.violations
      .filter((v) => v.rule.name !== 'no-circular')
      .map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
    expect(broken).toEqual([]);
  });

  it('has no import cycle between files', () => {
    const circular = result.summary.violations
      .filter((v) => v.rule.name === 'no-circular')
      .map((v) => [v.from, ...(v.cycle ?? []).map((step) => step.name)].join(' → '));
    expect(circular).toEqual([]);
  });

  it('has no import cycle between areas (src/main/jobs ↔ src/main/train, …)', () => {
    const graph = folderGraph(result.modules);
    const explained = cycles(graph).map((group) =>
      group
        .flatMap((from) =>
          result.modules
            .filter((m) => folderOf(m.source) === from)
            .flatMap((m) =>
              m.dependencies
                .filter((d) => group.includes(folderOf(d.resolved)) && folderOf(d.resolved) !== from)
                .map((d) => `${m.source} → ${d.resolved}`),
            ),
        )
        .join('\n'),
    );
    expect(explained).toEqual([]);
  });

  it('finds a cycle when there is one (the check is live)', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c']]);
  });
});
