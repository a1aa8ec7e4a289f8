/** Load the deck and the learner's progress once per page (lazily imported: it brings in ts-fsrs). */
import { parseDeck } from '../../src/flashcards/deck';
import { CHANNEL_NAME, FlashcardSession } from '../../src/flashcards/session';
import { openIdbStore } from './idb-store';

const sessions = new Map<string, Promise<FlashcardSession>>();

/** The session for the deck file at `deckUrl`; rejects with a readable message if the cards cannot load. */
export function loadSession(deckUrl: string): Promise<FlashcardSession> {
  let s = sessions.get(deckUrl);
  if (!s) {
    s = open(deckUrl);
    sessions.set(deckUrl, s);
    s.catch(() => sessions.delete(deckUrl));
  }
  return s;
}

async function open(deckUrl: string): Promise<FlashcardSession> {
  let raw: unknown;
  try {
    const res = await fetch(deckUrl);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    raw = await res.json();
  } catch {
    throw new Error('The flashcards could not be loaded. Check your connection and reload the page.');
  }
  const deck = parseDeck(raw);
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL_NAME) : null;
  return FlashcardSession.open({ deck, store: await openIdbStore(), channel });
}
