import type { APIRoute, GetStaticPaths } from 'astro';
import { courseChapters, courseDeck } from '../../../site/course-deck';
import { ALL, deckCards } from '../../../../src/flashcards/deck';
import { ankiFile, escapeHtml } from '../../../../src/flashcards/anki';
import { renderAnkiHtml } from '../../../../src/flashcards/anki-render';

/** One Anki file for the whole course and one per chapter: /flashcards/anki/<all|chapter>.txt. */
export const getStaticPaths = (async () => {
  const chapters = await courseChapters();
  return [{ params: { deck: ALL } }, ...chapters.map((c) => ({ params: { deck: c.slug } }))];
}) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ params }) => {
  const deck = await courseDeck(renderAnkiHtml);
  const key = params.deck ?? ALL;
  const chapter = deck.chapters.find((c) => c.slug === key);
  const notes = deckCards(deck, key).map((card) => ({
    guid: `attention-notebook/${card.id}`,
    front: escapeHtml(card.q),
    back: card.a,
    tags: ['attention-notebook', `attention-notebook::${card.chapter}`],
  }));
  const name = chapter
    ? `Attention Notebook::${chapter.order} ${chapter.title.replace(/::/g, ':')}`
    : 'Attention Notebook';
  return new Response(ankiFile(notes, name), { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
};
