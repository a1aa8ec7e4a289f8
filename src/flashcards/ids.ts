/** Stable card ids: a card keeps its review history while its question is reworded. */

/** A URL-safe slug of a question: lowercase ASCII letters, digits and single hyphens, at most 64 chars. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return slug || 'card';
}

/**
 * The id of one card: `${chapter}/${qa.id ?? slugify(qa.q)}`. `chapter` is the chapter's URL slug
 * (its file name without the numeric prefix), so renumbering a chapter keeps its cards' history too.
 */
export function cardId(chapter: string, qa: { q: string; id?: string }): string {
  return `${chapter}/${qa.id ?? slugify(qa.q)}`;
}

/** The chapter part of a card id ("start-here/softmax" → "start-here"). */
export function chapterOf(id: string): string {
  const i = id.indexOf('/');
  return i < 0 ? '' : id.slice(0, i);
}

/** A card id: a chapter slug and a question slug joined by "/" (what cardId produces). */
export function isCardId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 200 && /^[a-z0-9][a-z0-9_.-]*\/[a-z0-9-]+$/.test(value);
}
