import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every HTML page of the built site (dist/), as site-relative paths like "chapters/x/". */
export function builtPages(dir = 'dist'): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        // sandbox/ holds the notebook cells' runtime page (a hidden, sandboxed iframe), not a page to read
        if (!['_astro', 'pagefind', 'data', 'sandbox'].includes(name)) walk(p);
      } else if (name.endsWith('.html')) {
        out.push(
          relative(dir, p)
            .replace(/index\.html$/, '')
            .replace(/\\/g, '/'),
        );
      }
    }
  };
  walk(dir);
  return out.sort();
}

/** Built chapter pages only ("chapters/<slug>/"). */
export function chapterPages(): string[] {
  return builtPages().filter((p) => p.startsWith('chapters/'));
}
