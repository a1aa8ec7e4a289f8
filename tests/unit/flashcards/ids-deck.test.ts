import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { cardId, chapterOf, isCardId, slugify } from '../../../src/flashcards/ids';
import { ALL, buildDeck, deckCards, normalizeDeckKey, parseDeck } from '../../../src/flashcards/deck';

describe('card ids', () => {
  it('slugify keeps ASCII letters and digits and joins the rest with single hyphens', () => {
    expect(slugify('What does softmax do to a vector of scores?')).toBe(
      'what-does-softmax-do-to-a-vector-of-scores',
    );
    expect(slugify('  Ünïcode — naïve café?! ')).toBe('unicode-naive-cafe');
    expect(slugify('$e^{x}$ / `exp`')).toBe('e-x-exp');
    expect(slugify('???')).toBe('card');
    const long = slugify('a '.repeat(100));
    expect(long.length).toBeLessThanOrEqual(64);
    expect(long.endsWith('-')).toBe(false);
  });

  it('uses the explicit id when there is one, so rewording the question keeps the card', () => {
    const before = cardId('start-here', { q: 'What does softmax do?', id: 'softmax-sums' });
    const after = cardId('start-here', {
      q: 'What does the softmax function do to scores?',
      id: 'softmax-sums',
    });
    expect(before).toBe('start-here/softmax-sums');
    expect(after).toBe(before);
    expect(cardId('start-here', { q: 'Why subtract the max?' })).toBe('start-here/why-subtract-the-max');
  });

  it('recognises card ids and their chapter', () => {
    expect(isCardId('start-here/softmax-sums')).toBe(true);
    expect(isCardId('start-here')).toBe(false);
    expect(isCardId('Start/x')).toBe(false);
    expect(isCardId('a/b/c')).toBe(false);
    expect(isCardId(42)).toBe(false);
    expect(chapterOf('start-here/softmax-sums')).toBe('start-here');
    expect(chapterOf('nochapter')).toBe('');
  });
});

const chapters = [
  {
    slug: 'start-here',
    title: 'Start here',
    order: 0,
    href: '/chapters/start-here/',
    qa: [
      { q: 'What is softmax?', a: 'Weights that sum to $1$.', id: 'softmax' },
      { q: 'Why subtract the max?', a: 'No overflow.' },
    ],
  },
  {
    slug: 'tokens',
    title: 'Tokens',
    order: 1,
    href: '/chapters/tokens/',
    qa: [
      { q: 'What is a token?', a: 'A piece of text.' },
      { q: 'What is a token?', a: 'Asked twice by mistake.' },
    ],
  },
];

describe('buildDeck / parseDeck', () => {
  it('turns every question into a card with rendered answer HTML, in course order', async () => {
    const { deck, duplicates } = await buildDeck(chapters, async (md) => `<p>${md}</p>`);
    expect(deck.cards.map((c) => c.id)).toEqual([
      'start-here/softmax',
      'start-here/why-subtract-the-max',
      'tokens/what-is-a-token',
      'tokens/what-is-a-token-2',
    ]);
    expect(duplicates).toEqual(['tokens/what-is-a-token']);
    expect(deck.cards[0]).toEqual({
      id: 'start-here/softmax',
      chapter: 'start-here',
      q: 'What is softmax?',
      a: '<p>Weights that sum to $1$.</p>',
    });
    expect(deck.chapters.map((c) => c.slug)).toEqual(['start-here', 'tokens']);
    expect(deckCards(deck, ALL)).toHaveLength(4);
    expect(deckCards(deck, 'tokens')).toHaveLength(2);
    expect(deckCards(deck, 'nope')).toHaveLength(0);
    expect(normalizeDeckKey(deck, 'tokens')).toBe('tokens');
    expect(normalizeDeckKey(deck, '<script>')).toBe(ALL);
    expect(normalizeDeckKey(deck, null)).toBe(ALL);
  });

  it('parseDeck accepts its own output (through JSON) and drops malformed cards', async () => {
    const { deck } = await buildDeck(chapters, async (md) => md);
    expect(parseDeck(JSON.parse(JSON.stringify(deck)))).toEqual(deck);
    const broken = {
      ...deck,
      cards: [
        ...deck.cards,
        { id: 'BAD ID', chapter: 'tokens', q: 'x', a: 'y' },
        null,
        { id: 'ghost/x', chapter: 'ghost', q: 'q', a: 'a' },
      ],
    };
    expect(parseDeck(broken).cards).toHaveLength(4);
    expect(() => parseDeck({ format: 'other' })).toThrow(/not in the expected format/);
    expect(() => parseDeck(null)).toThrow();
    expect(() => parseDeck({ format: 'attention-notebook-deck', version: 1 })).toThrow(/incomplete/);
  });
});

describe('the course content', () => {
  it('gives every question of every chapter a distinct, valid card id', () => {
    const dir = 'content/chapters';
    const ids: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.mdx'))) {
      const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(join(dir, file), 'utf8'))?.[1];
      const data = yaml.load(front ?? '') as { qa?: { q: string; id?: string }[] };
      const slug = file.replace(/\.mdx$/, '').replace(/^\d+-/, '');
      for (const qa of data?.qa ?? []) ids.push(cardId(slug, qa));
    }
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(isCardId(id), id).toBe(true);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });
});
