/**
 * A plain static file server over a built site, as a static host would serve it: index.html for
 * directories, 404.html for missing paths, and (unless `isolate: false`) the site headers of
 * src/site/headers.js. The bench uses it (astro preview allows one server per project, and an e2e run may
 * hold it); the offline e2e tests use it to serve a copy of dist/ they can change or switch off.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { SITE_HEADERS } from '../../src/site/headers.js';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

/**
 * Serve `dir` on 127.0.0.1 (a free port unless given) under `base`. Resolves to the server, its port and
 * its root URL; close it with server.close().
 * @param {{ dir: string, base?: string, isolate?: boolean, port?: number }} options
 */
export async function serveStatic({ dir, base = '/', isolate = true, port = 0 }) {
  const extra = isolate ? Object.fromEntries(SITE_HEADERS) : {};
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (!path.startsWith(base)) path = '/\0'; // outside the base: not found
    path = normalize(path.slice(base.length - 1)).replace(/^(\.\.[/\\])+/, '');
    let file = join(dir, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    const found = existsSync(file);
    if (!found) file = join(dir, '404.html');
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    res.writeHead(found ? 200 : 404, { 'content-type': type, 'cache-control': 'no-cache', ...extra });
    res.end(existsSync(file) ? readFileSync(file) : 'not found');
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  return { server, port: actual, url: `http://127.0.0.1:${actual}${base}` };
}
