// @ts-check
/**
 * The HTTP headers every response of the site carries, in ONE list. They are sent by `astro dev` and
 * `astro preview` (astro.config.mjs), written to `dist/_headers` for static hosts that read it (Netlify,
 * Cloudflare Pages), used by the bench's static server, and added by the service worker to every
 * response it serves (so hosts that cannot set headers, such as GitHub Pages, are isolated after the
 * first load). To add a header everywhere at once, add one line here.
 *
 * COOP same-origin + COEP require-corp make the page cross-origin isolated (`crossOriginIsolated`), which
 * gives it SharedArrayBuffer and so tfjs-backend-wasm's multi-threaded SIMD build. Every resource we load
 * comes from our own origin, so require-corp blocks nothing of ours. A document or script that another
 * origin (an opaque-origin sandboxed iframe, say) must load would also need
 * `Cross-Origin-Resource-Policy: cross-origin` and `Access-Control-Allow-Origin: *`: add them here.
 */

/** @type {ReadonlyArray<readonly [name: string, value: string]>} */
export const SITE_HEADERS = [
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Embedder-Policy', 'require-corp'],
];

/** The site headers as a plain object, the shape Astro's and Vite's `headers` options take. */
export function siteHeaders() {
  return Object.fromEntries(SITE_HEADERS);
}

/**
 * The text of a Netlify/Cloudflare `_headers` file that sends the site headers on every path under base.
 * @param {string} base the site's base path, e.g. '/' or '/attention-notebook/'
 */
export function headersFile(base) {
  const root = `/${base.replace(/^\/+|\/+$/g, '')}/`.replace(/^\/\/$/, '/');
  return `${root}*\n${SITE_HEADERS.map(([name, value]) => `  ${name}: ${value}`).join('\n')}\n`;
}
