// Link check of the built site: every internal href/src in dist/*.html must resolve to a file in
// dist/ (honouring BASE_PATH), and every #fragment on a page must name an element id on it.
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const DIST = 'dist';
const base = (process.env.BASE_PATH ?? '/').replace(/\/?$/, '/');

function htmlFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    return d.isDirectory() ? htmlFiles(p) : d.name.endsWith('.html') ? [p] : [];
  });
}

/** Resolve a URL path to a file in dist/, as a static host would (dir → index.html). */
function resolves(path) {
  if (!path.startsWith(base)) return false;
  const rel = decodeURIComponent(path.slice(base.length));
  const p = join(DIST, rel);
  if (existsSync(p) && statSync(p).isFile()) return true;
  return existsSync(join(p, 'index.html')) || existsSync(`${p}.html`);
}

const problems = [];
const pages = htmlFiles(DIST);
for (const file of pages) {
  const html = readFileSync(file, 'utf8');
  const pageUrl = new URL(
    `http://site${base}${relative(DIST, file)
      .replace(/index\.html$/, '')
      .replace(/\\/g, '/')}`,
  );
  const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
  for (const m of html.matchAll(/<(\w+)[^>]*?\s(href|src)="([^"]+)"/g)) {
    const [, tag, attr, value] = m;
    const raw = value.replace(/&amp;/g, '&');
    if (/^(https?:|mailto:|data:|blob:|javascript:)/.test(raw)) {
      // Links out (<a href>) are fine; anything the page would *load* from elsewhere is not.
      if (/^https?:/.test(raw) && !(tag === 'a' && attr === 'href')) problems.push(`${file}: loads ${raw}`);
      continue;
    }
    const u = new URL(raw, pageUrl);
    if (u.pathname === pageUrl.pathname && u.hash) {
      const id = decodeURIComponent(u.hash.slice(1));
      if (!ids.has(id)) problems.push(`${file}: #${id} names no element on the page`);
      continue;
    }
    if (!resolves(u.pathname)) problems.push(`${file}: ${raw} → ${u.pathname} not found in dist/`);
  }
}
for (const p of problems) console.log(`FAIL ${p}`);
console.log(`links: ${pages.length} pages checked, ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
