import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Browser, Page } from '@playwright/test';

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

/**
 * Open each path in one phone-sized page (360 × 740) and gather what `check` finds there, each finding
 * prefixed with its path; the narrow-screen sweeps' shared loop.
 */
export async function findOnPhone(
  browser: Browser,
  paths: string[],
  check: (page: Page, path: string) => Promise<string[]>,
): Promise<string[]> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const found: string[] = [];
  for (const path of paths) {
    await page.goto(`./${path}`);
    await page.waitForLoadState('load');
    found.push(...(await check(page, path)).map((f) => `${path}: ${f}`));
  }
  await context.close();
  return found;
}
