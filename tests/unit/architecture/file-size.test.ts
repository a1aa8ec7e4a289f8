/**
 * Small files (issue 15 and the developers' guide): no file under components/ or src/workers/ is over 400
 * lines. A file that grows past it is split by job (markup vs styles, pure reading vs rendering), not cut.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Most lines a file under the checked folders may have. */
const MAX_LINES = 400;

/** Every file under a folder. */
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/** Lines of a text file, as `wc -l` counts them (a last line without a newline counts too). */
function lineCount(path: string): number {
  const text = readFileSync(path, 'utf8');
  return text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** "path (N lines)" for each file under `dirs` (relative to `base`) longer than `max` lines. */
function tooLong(base: string, dirs: readonly string[], max = MAX_LINES): string[] {
  return dirs
    .flatMap((d) => files(join(base, d)))
    .map((f) => [relative(base, f), lineCount(f)] as const)
    .filter(([, n]) => n > max)
    .map(([f, n]) => `${f} (${n} lines)`);
}

test(`no file under components/ or src/workers/ is over ${MAX_LINES} lines`, () => {
  expect(tooLong(root, ['components', 'src/workers'])).toEqual([]);
});

test('the check names a file one line over the limit, and counts lines like wc -l', () => {
  const dir = mkdtempSync(join(tmpdir(), 'file-size-'));
  writeFileSync(join(dir, 'ok.ts'), 'x\n'.repeat(MAX_LINES));
  writeFileSync(join(dir, 'long.css'), 'x\n'.repeat(MAX_LINES) + 'last line without a newline');
  expect(tooLong(dir, ['.'])).toEqual([`long.css (${MAX_LINES + 1} lines)`]);
});
