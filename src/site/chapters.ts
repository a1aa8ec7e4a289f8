import { getCollection, type CollectionEntry } from 'astro:content';
import { url } from './url';

export type Chapter = CollectionEntry<'chapters'>;

/** All chapters sorted by their `order` field (ties broken by id so the order is stable). */
export async function getChapters(): Promise<Chapter[]> {
  const all = await getCollection('chapters');
  return all.sort((a, b) => a.data.order - b.data.order || a.id.localeCompare(b.id));
}

/** The URL slug of a chapter: its file name without the numeric prefix ("05-attention" → "attention"). */
export function chapterSlug(chapter: Chapter): string {
  return chapter.id.replace(/^\d+-/, '');
}

/** The absolute (base-aware) URL of a chapter page. */
export function chapterHref(chapter: Chapter): string {
  return url(`chapters/${chapterSlug(chapter)}/`);
}
