// JavaScript size budget: a chapter page may load at most BUDGET_KB of gzip-compressed JavaScript
// eagerly (module scripts and everything they import statically). Heavy widgets must load lazily
// (dynamic import), which this check follows but does not count. Run after `npm run build`.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, dirname, posix } from 'node:path';

const DIST = 'dist';
const BUDGET_KB = 60;
const base = (process.env.BASE_PATH ?? '/').replace(/\/?$/, '/');

/** Map a URL path under the site's base to a file in dist/. */
function fileFor(urlPath) {
  const rel = urlPath.startsWith(base) ? urlPath.slice(base.length) : urlPath.replace(/^\//, '');
  return join(DIST, rel);
}

/** All JS files a module loads eagerly: itself plus its static imports, recursively. */
function eagerGraph(file, seen = new Set()) {
  if (seen.has(file) || !existsSync(file)) return seen;
  seen.add(file);
  const src = readFileSync(file, 'utf8');
  const re = /(?:^|[;\n}])\s*import\s*(?:[\w*{}\s,$]+from\s*)?["']([^"']+\.js)["']/g;
  for (const m of src.matchAll(re)) {
    const spec = m[1];
    const next = spec.startsWith('/') ? fileFor(spec) : join(dirname(file), spec);
    eagerGraph(next, seen);
  }
  return seen;
}

function pagesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? pagesUnder(join(dir, d.name)) : d.name.endsWith('.html') ? [join(dir, d.name)] : [],
  );
}

const pages = pagesUnder(join(DIST, 'chapters'));
if (pages.length === 0) {
  console.error('budget: no chapter pages in dist/ — run `npm run build` first');
  process.exit(1);
}

let failed = 0;
for (const page of pages) {
  const html = readFileSync(page, 'utf8');
  const files = new Set();
  for (const m of html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g))
    eagerGraph(fileFor(m[1]), files);
  for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g))
    eagerGraph(fileFor(m[1]), files);
  let bytes = 0;
  for (const f of files) bytes += gzipSync(readFileSync(f)).length;
  // Inline scripts count too.
  for (const m of html.matchAll(/<script(?![^>]*src=)[^>]*>([\s\S]*?)<\/script>/g))
    bytes += gzipSync(m[1]).length;
  const kb = bytes / 1024;
  const ok = kb <= BUDGET_KB;
  if (!ok) failed++;
  console.log(
    `${ok ? 'ok  ' : 'FAIL'} ${posix.relative(DIST, page.replace(/\\/g, '/'))}: ${kb.toFixed(1)} kB gzip JS eager (budget ${BUDGET_KB} kB, ${files.size} files)`,
  );
}
console.log(`budget: ${pages.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
