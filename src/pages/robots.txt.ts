import type { APIRoute } from 'astro';
import { url } from '../site/url';

/** /robots.txt: everything may be crawled; points crawlers at the sitemap (absolute, SITE_URL + BASE_PATH). */
export const GET: APIRoute = ({ site }) =>
  new Response(`User-agent: *\nAllow: /\n\nSitemap: ${new URL(url('sitemap.xml'), site).href}\n`, {
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  });
