import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { excerptLines } from '../../../src/site/excerpt';
import { CHAPTER_DIR, readChapters } from './chapter-files';

/** A listing longer than this is shown as an excerpt with the whole file behind a click. */
const MAX_FULL_LINES = 180;

/** Every <SourceCode …/> of a chapter with the file its `code` comes from and its excerpt props. */
function listings(body: string): { file: string; tag: string }[] {
  const imports = new Map<string, string>();
  for (const m of body.matchAll(/^import (\w+) from '([^']+)\?raw';$/gm)) imports.set(m[1], m[2]);
  return [...body.matchAll(/<SourceCode\b[\s\S]*?\/>/g)].flatMap((m) => {
    const name = /code=\{(\w+)\}/.exec(m[0])?.[1];
    const path = name ? imports.get(name) : undefined;
    return path ? [{ file: join(CHAPTER_DIR, path), tag: m[0] }] : [];
  });
}

describe('long listings collapse behind the lines that teach', () => {
  it.each(readChapters().map((c) => [c.id, c.body] as const))('%s', (_id, body) => {
    for (const { file, tag } of listings(body)) {
      const code = readFileSync(file, 'utf8');
      const from = /from="([^"]+)"/.exec(tag)?.[1];
      const count = Number(/count=\{(\d+)\}/.exec(tag)?.[1] ?? 20);
      const lines = /lines=\{\[(\d+), (\d+)\]\}/.exec(tag);
      const total = code.trimEnd().split('\n').length;
      if (!from && !lines) {
        expect(total, `${file} is shown whole`).toBeLessThanOrEqual(MAX_FULL_LINES);
        continue;
      }
      // The excerpt still finds its lines in the file (the build would fail otherwise), and it is short.
      const part = excerptLines(
        code,
        lines ? { lines: [Number(lines[1]), Number(lines[2])] } : { from, count },
        file,
      );
      expect(part.last - part.first + 1).toBeLessThanOrEqual(40);
    }
  });
});
