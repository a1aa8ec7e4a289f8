/** The deck: every chapter's Q&A as cards, built at build time and shipped as one JSON file. */
import { cardId, isCardId } from './ids';

/** One chapter as the flashcards see it. */
export interface DeckChapter {
  /** URL slug ("start-here"); also the chapter part of its card ids and the per-chapter deck key. */
  slug: string;
  title: string;
  order: number;
  /** Base-aware URL of the chapter page. */
  href: string;
}

/** One card: the question as plain text and the answer as build-time HTML (math and code rendered). */
export interface DeckCard {
  id: string;
  chapter: string;
  q: string;
  /** Answer HTML rendered from our own Markdown at build time (never from user input). */
  a: string;
}

export interface Deck {
  format: 'attention-notebook-deck';
  version: 1;
  chapters: DeckChapter[];
  cards: DeckCard[];
}

/** What buildDeck needs from a chapter (kept free of Astro types so it is testable in Node). */
export interface ChapterSource extends DeckChapter {
  qa: { q: string; a: string; id?: string }[];
}

/**
 * Build the deck from chapters (in course order). Answers go through `render` (the chapters'
 * Markdown renderer). Two questions of one chapter with the same id would share a history, so the
 * later one gets a numbered id and `duplicates` lists it; a unit test keeps the content free of them.
 */
export async function buildDeck(
  chapters: ChapterSource[],
  render: (markdown: string) => Promise<string>,
): Promise<{ deck: Deck; duplicates: string[] }> {
  const cards: DeckCard[] = [];
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const ch of chapters) {
    for (const qa of ch.qa) {
      let id = cardId(ch.slug, qa);
      if (seen.has(id)) {
        duplicates.push(id);
        let n = 2;
        while (seen.has(`${id}-${n}`)) n++;
        id = `${id}-${n}`;
      }
      seen.add(id);
      cards.push({ id, chapter: ch.slug, q: qa.q, a: await render(qa.a) });
    }
  }
  const deck: Deck = {
    format: 'attention-notebook-deck',
    version: 1,
    chapters: chapters.map(({ slug, title, order, href }) => ({ slug, title, order, href })),
    cards,
  };
  return { deck, duplicates };
}

/** Check a fetched deck file; throws with a readable message when it is not one. Bad cards are dropped. */
export function parseDeck(raw: unknown): Deck {
  const d = raw as Partial<Deck> | null;
  if (!d || typeof d !== 'object' || d.format !== 'attention-notebook-deck' || d.version !== 1) {
    throw new Error('The card list is not in the expected format.');
  }
  if (!Array.isArray(d.chapters) || !Array.isArray(d.cards)) throw new Error('The card list is incomplete.');
  const chapters = d.chapters.filter(
    (c): c is DeckChapter =>
      !!c &&
      typeof c.slug === 'string' &&
      typeof c.title === 'string' &&
      typeof c.order === 'number' &&
      typeof c.href === 'string',
  );
  const slugs = new Set(chapters.map((c) => c.slug));
  const cards = d.cards.filter(
    (c): c is DeckCard =>
      !!c &&
      isCardId(c.id) &&
      typeof c.q === 'string' &&
      typeof c.a === 'string' &&
      typeof c.chapter === 'string' &&
      slugs.has(c.chapter),
  );
  return { format: d.format, version: 1, chapters, cards };
}

/** Key of the whole-course deck; any other deck key is a chapter slug. */
export const ALL = 'all';

/** The cards of one deck ("all" or a chapter slug), in course order. Unknown keys give no cards. */
export function deckCards(deck: Deck, key: string): DeckCard[] {
  return key === ALL ? deck.cards : deck.cards.filter((c) => c.chapter === key);
}

/** A deck key from untrusted input (a URL parameter): a known chapter slug, else "all". */
export function normalizeDeckKey(deck: Pick<Deck, 'chapters'>, key: string | null | undefined): string {
  return key && deck.chapters.some((c) => c.slug === key) ? key : ALL;
}
