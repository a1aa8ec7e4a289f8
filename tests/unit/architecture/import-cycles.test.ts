/**
 * No import circles in src/ (issue 15 §5: kernels/check.ts ↔ kernels/cases/*, cases/fused.ts → model.ts →
 * kernels). Relative imports, type-only ones included, are followed file to file; a cycle fails with its path.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const IMPORT = /(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

/** Every .ts file under a folder. */
function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The file a relative import names, if it is a .ts file of ours. */
function resolve(from: string, spec: string): string | null {
  const p = normalize(join(dirname(from), spec));
  for (const cand of [p, `${p}.ts`, join(p, 'index.ts')]) {
    try {
      if (cand.endsWith('.ts') && statSync(cand).isFile()) return cand;
    } catch {
      // not this candidate
    }
  }
  return null;
}

/** Each cycle once, as a list of files starting at its smallest path. */
function importCycles(files: string[]): string[][] {
  const graph = new Map(
    files.map((f) => [
      f,
      [...readFileSync(f, 'utf8').matchAll(IMPORT)]
        .map((m) => resolve(f, m[1] ?? m[2]))
        .filter((d): d is string => d !== null),
    ]),
  );
  const found = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): void => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      if (state.get(m) === 'open') {
        const c = stack.slice(stack.indexOf(m));
        const i = c.indexOf([...c].sort()[0]);
        const cycle = [...c.slice(i), ...c.slice(0, i)];
        found.set(cycle.join(' -> '), cycle);
      } else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const f of files) if (!state.has(f)) visit(f);
  return [...found.values()];
}

test('src/ has no import circles', () => {
  const cycles = importCycles(tsFiles(join(root, 'src'))).map((c) =>
    c.map((f) => f.slice(root.length)).join(' -> '),
  );
  expect(cycles).toEqual([]);
});

test('the check finds a circle like the old kernel-check layout (type-only imports count)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cycles-'));
  mkdirSync(join(dir, 'cases'));
  writeFileSync(
    join(dir, 'check.ts'),
    "import { cases } from './cases/adamw';\nexport interface KernelCase {}\n",
  );
  writeFileSync(
    join(dir, 'cases/adamw.ts'),
    "import type { KernelCase } from '../check';\nexport const cases = [];\n",
  );
  writeFileSync(join(dir, 'free.ts'), "import { cases } from './cases/adamw';\n");
  const cycles = importCycles(tsFiles(dir)).map((c) => c.map((f) => f.slice(dir.length + 1)));
  expect(cycles).toEqual([['cases/adamw.ts', 'check.ts']]);
});
