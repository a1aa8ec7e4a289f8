import type { APIRoute } from 'astro';
import { chapterSlug, getChapters } from '../site/chapters';
import { lastUpdated } from '../site/last-updated';
import { url } from '../site/url';

/** The site's pages that are not chapters (the 404 page is not listed). */
const OTHER_PAGES = ['', 'review/', 'search/'];

/** Escape the five XML special characters. */
const xml = (s: string) =>
  s.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );

/** /sitemap.xml: every page as an absolute URL (SITE_URL + BASE_PATH), chapters with their git date. */
export const GET: APIRoute = async ({ site }) => {
  const chapters = await getChapters();
  const entries = [
    ...OTHER_PAGES.map((path) => ({ path, lastmod: null as string | null })),
    ...chapters.map((c) => ({ path: `chapters/${chapterSlug(c)}/`, lastmod: lastUpdated(c.filePath) })),
  ];
  const body = entries
    .map(({ path, lastmod }) => {
      const loc = new URL(url(path), site).href;
      return `  <url><loc>${xml(loc)}</loc>${lastmod ? `<lastmod>${lastmod}</lastmod>` : ''}</url>`;
    })
    .join('\n');
  return new Response(
    `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${body}\n</urlset>\n`,
    { headers: { 'Content-Type': 'application/xml; charset=utf-8' } },
  );
};
