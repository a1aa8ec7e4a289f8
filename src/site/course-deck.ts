/** Build-time access to the course's cards (Astro content collection → flashcard deck). */
import { getChapters, chapterHref, chapterSlug } from './chapters';
import { buildDeck, type ChapterSource } from '../flashcards/deck';
import { renderMarkdown } from '../chapters/render-markdown';

/** The chapters as the flashcards see them, in course order. */
export async function courseChapters(): Promise<ChapterSource[]> {
  return (await getChapters()).map((c) => ({
    slug: chapterSlug(c),
    title: c.data.title,
    order: c.data.order,
    href: chapterHref(c),
    qa: c.data.qa,
  }));
}

/** The deck with answers rendered like the chapters (KaTeX math, shiki code). */
export async function courseDeck(render: (markdown: string) => Promise<string> = renderMarkdown) {
  const { deck, duplicates } = await buildDeck(await courseChapters(), render);
  for (const id of duplicates) {
    console.warn(`flashcards: two questions share the card id "${id}"; give one of them its own \`id\`.`);
  }
  return deck;
}
