// The body of dist/sw.js; scripts/offline/build-offline.mjs prepends its constants:
//   VERSION   a hash of every built file (a new deployment = a new version)
//   BASE      the site's base path ('/' or '/attention-notebook/')
//   PRECACHE  the app shell, paths relative to BASE: every page, CSS, JS chunks, KaTeX fonts, search index
//   RUNTIME_ONLY  paths cached on first use (capstone chunks, tfjs, wasm, worker, corpus)
//   HEADERS   src/site/headers.js's list, added to every response served here
/* global VERSION, BASE, PRECACHE, HEADERS */
/**
 * The site's service worker. Cache-first from this version's caches, so an open page never mixes two
 * deployments: a new version installs in the background and waits until the page accepts the update
 * prompt ("skip-waiting") or every tab of the old one is closed. Only same-origin GETs under BASE are
 * handled; nothing from another origin is fetched or cached.
 */
const SHELL = `an-shell-${VERSION}`;
const RUNTIME = `an-runtime-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      // cache: 'reload' skips the HTTP cache, so the shell is this deployment's files, not stale copies.
      .then((cache) => cache.addAll(PRECACHE.map((p) => new Request(BASE + p, { cache: 'reload' })))),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      const ours = names.filter((n) => n.startsWith('an-shell-') || n.startsWith('an-runtime-'));
      const first = !ours.some((n) => n !== SHELL && n !== RUNTIME);
      await Promise.all(ours.filter((n) => n !== SHELL && n !== RUNTIME).map((n) => caches.delete(n)));
      // On the very first install, take over the open page (it is this same version); an update never
      // claims pages itself: they switch when the learner accepts the prompt.
      if (first) await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  if (event.data?.type === 'skip-waiting') void self.skipWaiting();
  if (event.data?.type === 'version') event.ports[0]?.postMessage({ version: VERSION });
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin || !url.pathname.startsWith(BASE)) return;
  if (req.headers.has('range')) return; // partial content is never cached
  event.respondWith(respond(req, url));
});

/**
 * The cache key of a request: pages are keyed by their directory URL ('chapters/x/'), assets by path. The
 * query is dropped, as a static host ignores it (Pagefind adds `?ts=` to its index requests, pages take
 * `?q=` or `?deck=`).
 */
function cacheKey(url) {
  let path = url.pathname;
  if (path.endsWith('/index.html')) path = path.slice(0, -'index.html'.length);
  else if (!path.endsWith('/') && !/\.[^/]+$/.test(path)) path += '/';
  return self.location.origin + path;
}

async function respond(req, url) {
  const key = cacheKey(url);
  const shell = await caches.open(SHELL);
  const runtime = await caches.open(RUNTIME);
  let res = (await shell.match(key)) ?? (await runtime.match(key));
  if (!res) {
    try {
      res = await fetch(req);
      if (res.ok && res.type === 'basic') await runtime.put(key, res.clone());
    } catch (err) {
      // Offline and not cached: a page gets the cached 404 page, anything else the network error.
      res = req.mode === 'navigate' ? await shell.match(self.location.origin + BASE + '404.html') : undefined;
      if (!res) throw err;
    }
  }
  return withHeaders(res);
}

/** A copy of the response with the site headers (COOP/COEP: isolation on hosts that cannot set them). */
function withHeaders(res) {
  if (res.type === 'opaque' || res.type === 'opaqueredirect' || res.status === 0) return res;
  const headers = new Headers(res.headers);
  for (const [name, value] of HEADERS) headers.set(name, value);
  const init = { status: res.status, statusText: res.statusText, headers };
  return new Response(res.status === 204 || res.status === 304 ? null : res.body, init);
}
