import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';

/** Where the chapter MDX files live, relative to the repository root (Vitest's working directory). */
export const CHAPTER_DIR = 'content/chapters';

/** One chapter file: its id (file name without .mdx), raw frontmatter object and MDX body. */
export interface ChapterFile {
  id: string;
  path: string;
  frontmatter: unknown;
  body: string;
}

/** Split an MDX file into its YAML frontmatter (parsed with js-yaml) and its body. */
export function parseChapter(path: string, source: string): Omit<ChapterFile, 'id'> {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(source);
  if (!m) throw new Error(`${path}: no frontmatter block between --- lines`);
  return { path, frontmatter: yaml.load(m[1]), body: m[2] };
}

/** Every content/chapters/*.mdx file, sorted by file name. */
export function readChapters(dir = CHAPTER_DIR): ChapterFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.mdx'))
    .sort()
    .map((f) => ({
      id: f.replace(/\.mdx$/, ''),
      ...parseChapter(join(dir, f), readFileSync(join(dir, f), 'utf8')),
    }));
}

/** The Markdown headings of an MDX body (outside fenced code), as [level, text] pairs. */
export function mdxHeadings(body: string): [number, string][] {
  const out: [number, string][] = [];
  let fence: string | null = null;
  for (const line of body.split(/\r?\n/)) {
    const f = /^\s*(```+|~~~+)/.exec(line);
    if (f) {
      if (fence === null) fence = f[1][0];
      else if (f[1][0] === fence) fence = null;
      continue;
    }
    if (fence !== null) continue;
    const h = /^(#{1,6})\s+(.*)$/.exec(line);
    if (h) out.push([h[1].length, h[2].trim()]);
  }
  return out;
}
