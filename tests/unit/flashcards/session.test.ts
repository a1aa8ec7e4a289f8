import { describe, expect, it } from 'vitest';
import type { Deck } from '../../../src/flashcards/deck';
import { keys } from '../../../src/flashcards/records';
import { FlashcardSession, MemoryStore, MESSAGES, type RecordStore } from '../../../src/flashcards/session';

const MIN = 60_000;
const T0 = Date.UTC(2025, 2, 3, 9, 0, 0);

function deck(...ids: string[]): Deck {
  return {
    format: 'attention-notebook-deck',
    version: 1,
    chapters: [
      { slug: 'one', title: 'One', order: 1, href: '/chapters/one/' },
      { slug: 'two', title: 'Two', order: 2, href: '/chapters/two/' },
    ],
    cards: ids.map((id) => ({ id, chapter: id.split('/')[0], q: `Q ${id}?`, a: `<p>A ${id}</p>` })),
  };
}
const DECK = deck('one/a', 'one/b', 'two/c');

/** A clock the test moves by hand. */
function clock(start = T0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

/** A "persistent" store (stands in for IndexedDB) that records the order of writes. */
class TracingStore extends MemoryStore {
  writes: string[] = [];
  constructor() {
    super(true);
  }
  override async setMany(entries: [string, unknown][]) {
    await new Promise((r) => setTimeout(r, 5));
    await super.setMany(entries);
    this.writes.push(...entries.map(([k]) => k));
  }
}

const reviewKeys = (s: MemoryStore) => [...s.map.keys()].filter((k) => String(k).startsWith('review:'));

describe('FlashcardSession', () => {
  it('stores a review before grade() resolves, and a new session resumes from storage', async () => {
    const store = new TracingStore();
    const c = clock();
    const s = await FlashcardSession.open({ deck: DECK, store, now: c.now });
    expect(s.persistent).toBe(true);
    expect(s.dueQueue().ids).toEqual(['one/a', 'one/b', 'two/c']);
    const r = await s.grade('one/a', 3);
    expect(store.writes).toEqual([keys.review(r.id), keys.card('one/a')]);
    expect(s.dueQueue().ids).toEqual(['one/b', 'two/c']);
    c.advance(MIN);
    await s.grade('one/b', 1);

    const again = await FlashcardSession.open({ deck: DECK, store, now: c.now });
    expect(again.notices).toEqual([]);
    expect(again.reviews()).toEqual(s.reviews());
    expect(again.state('one/a')).toEqual(s.state('one/a'));
    expect(again.dueQueue().ids).toEqual(['two/c']);
    c.advance(MIN);
    expect(again.dueQueue().ids).toEqual(['one/b', 'two/c']); // the 1-minute step is due
    expect(again.stats().reviewedToday).toBe(2);
  });

  it('keeps a reworded card’s history and archives removed questions without crashing', async () => {
    const store = new MemoryStore(true);
    const c = clock();
    const s = await FlashcardSession.open({ deck: DECK, store, now: c.now });
    await s.grade('one/a', 3);
    await s.grade('two/c', 3);
    // Next build: one/a reworded (same id, new text), two/c removed, one/d added.
    const next = deck('one/a', 'one/b', 'one/d');
    next.cards[0].q = 'A reworded question?';
    const later = await FlashcardSession.open({ deck: next, store, now: c.now });
    expect(later.state('one/a')?.reps).toBe(1);
    expect(later.archived()).toEqual(['two/c']);
    expect(later.dueQueue().ids).toEqual(['one/b', 'one/d']);
    expect(later.stats().cards).toEqual({ new: 2, learning: 1, review: 0 });
    expect(JSON.parse(later.exportProgress()).reviews).toHaveLength(2);
  });

  it('resets corrupt or foreign records, says so, and keeps everything else', async () => {
    const store = new MemoryStore(true);
    const c = clock();
    const s = await FlashcardSession.open({ deck: DECK, store, now: c.now });
    await s.grade('one/a', 3);
    c.advance(MIN);
    const kept = await s.grade('one/b', 3);
    store.map.set(keys.review('one/a@1'), 'garbage');
    store.map.set(keys.card('one/b'), { card: 'one/b', due: null });
    store.map.set('foreign', { hello: 'world' });
    store.map.set(keys.settings, { newPerDay: 1e9 });
    const after = await FlashcardSession.open({ deck: DECK, store, now: c.now });
    expect(after.notices).toEqual([MESSAGES.corrupt(4)]);
    expect(after.reviews().map((r) => r.id)).toContain(kept.id);
    expect(after.reviews()).toHaveLength(2);
    expect(after.state('one/b')).toEqual(s.state('one/b')); // rebuilt from the log
    expect(after.settings.newPerDay).toBe(20);
    expect(store.map.has('foreign')).toBe(false);
    expect(store.map.has(keys.review('one/a@1'))).toBe(false);
    expect((store.map.get(keys.card('one/b')) as { due: number }).due).toBe(s.state('one/b')!.due.getTime());
    const third = await FlashcardSession.open({ deck: DECK, store, now: c.now });
    expect(third.notices).toEqual([]);
  });

  it('rebuilds a stale card-state cache from the review log', async () => {
    const store = new MemoryStore(true);
    const c = clock();
    const s = await FlashcardSession.open({ deck: DECK, store, now: c.now });
    await s.grade('one/a', 3);
    const oldCache = store.map.get(keys.card('one/a'));
    c.advance(10 * MIN);
    await s.grade('one/a', 3);
    store.map.set(keys.card('one/a'), oldCache); // e.g. another tab wrote its older view last
    const after = await FlashcardSession.open({ deck: DECK, store, now: c.now });
    expect(after.state('one/a')).toEqual(s.state('one/a'));
    expect(after.state('one/a')?.state).toBe(2);
  });

  it('works in memory when storage is unavailable and says progress will not be saved', async () => {
    const c = clock();
    const s = await FlashcardSession.open({ deck: DECK, store: null, now: c.now });
    expect(s.persistent).toBe(false);
    expect(s.notices).toEqual([MESSAGES.noStorage]);
    await s.grade('one/a', 3);
    expect(s.dueQueue().ids).toEqual(['one/b', 'two/c']);

    const throwing: RecordStore = {
      persistent: true,
      entries: () => Promise.reject(new DOMException('The user denied permission', 'InvalidStateError')),
      setMany: () => Promise.reject(new Error('no')),
      delMany: () => Promise.reject(new Error('no')),
    };
    const t = await FlashcardSession.open({ deck: DECK, store: throwing, now: c.now });
    expect(t.persistent).toBe(false);
    expect(t.notices).toEqual([MESSAGES.noStorage]);
    await t.grade('one/a', 4);
    expect(t.reviews()).toHaveLength(1);
  });

  it('keeps reviewing in memory when a write fails mid-session, and tells the page once', async () => {
    const store = new MemoryStore(true);
    const c = clock();
    const s = await FlashcardSession.open({ deck: DECK, store, now: c.now });
    await s.grade('one/a', 3);
    const events: string[] = [];
    s.on((e) => events.push(e.type));
    store.setMany = () => Promise.reject(new DOMException('Quota exceeded', 'QuotaExceededError'));
    c.advance(MIN);
    await s.grade('one/b', 3);
    c.advance(MIN);
    await s.grade('two/c', 3);
    expect(s.persistent).toBe(false);
    expect(events).toEqual(['storage-lost']);
    expect(s.notices).toEqual([MESSAGES.storageLost]);
    expect(s.reviews()).toHaveLength(3);
    expect(s.dueQueue().ids).toEqual([]);
  });

  it('two tabs: no review is lost or duplicated, and each tab learns of the other’s reviews at once', async () => {
    const store = new MemoryStore(true);
    const c = clock();
    const name = `test-${Math.random()}`;
    const a = await FlashcardSession.open({
      deck: DECK,
      store,
      channel: new BroadcastChannel(name),
      now: c.now,
    });
    const b = await FlashcardSession.open({
      deck: DECK,
      store,
      channel: new BroadcastChannel(name),
      now: c.now,
    });
    const heard = new Promise<string>((resolve) =>
      b.on((e) => e.type === 'remote-review' && resolve(e.card)),
    );
    // Both tabs show one/a; A grades it first.
    await a.grade('one/a', 3);
    expect(await heard).toBe('one/a');
    expect(b.dueQueue().ids).toEqual(['one/b', 'two/c']);
    // Both grade different cards at the same moment.
    c.advance(MIN);
    await Promise.all([a.grade('one/b', 3), b.grade('two/c', 1)]);
    // And B grades one/a again (a real second review, not a duplicate).
    c.advance(20 * MIN);
    await b.grade('one/a', 3);
    await new Promise((r) => setTimeout(r, 50));
    const fresh = await FlashcardSession.open({ deck: DECK, store, now: c.now });
    expect(reviewKeys(store)).toHaveLength(4);
    expect(fresh.reviews()).toHaveLength(4);
    expect(a.reviews()).toEqual(fresh.reviews());
    expect(b.reviews()).toEqual(fresh.reviews());
    expect(fresh.state('one/a')).toEqual(a.state('one/a'));
    a.close();
    b.close();
  });

  it('imports a progress file idempotently and reports what it did', async () => {
    const c = clock();
    const from = await FlashcardSession.open({ deck: DECK, store: new MemoryStore(true), now: c.now });
    await from.grade('one/a', 3);
    c.advance(MIN);
    await from.grade('one/b', 2);
    await from.setSettings({ newPerDay: 5 });
    const file = JSON.parse(from.exportProgress());
    file.reviews.push({ card: 'gone/q', at: T0, grade: 3, state: 0 }, { card: 'one/a', at: 'x' });
    const text = JSON.stringify(file);

    const store = new MemoryStore(true);
    const to = await FlashcardSession.open({ deck: DECK, store, now: c.now });
    const first = await to.importProgress(text);
    expect(first).toEqual({ ok: true, added: 3, known: 0, skipped: 1, archived: 1, saved: true });
    expect(to.state('one/b')).toEqual(from.state('one/b'));
    expect(to.settings.newPerDay).toBe(5);
    expect(to.archived()).toEqual(['gone/q']);
    const second = await to.importProgress(text);
    expect(second).toMatchObject({ ok: true, added: 0, known: 3, skipped: 1 });
    expect(reviewKeys(store)).toHaveLength(3);

    const bad = await to.importProgress('{"oops": ');
    expect(bad.ok).toBe(false);
    expect(reviewKeys(store)).toHaveLength(3);
    const reopened = await FlashcardSession.open({ deck: DECK, store, now: c.now });
    expect(reopened.reviews()).toEqual(to.reviews());
  });

  it('cram mode ignores due dates and resumes from the log', async () => {
    const c = clock();
    const store = new MemoryStore(true);
    const s = await FlashcardSession.open({ deck: DECK, store, now: c.now });
    await s.grade('one/a', 4); // now due in days
    c.advance(MIN);
    const since = c.now();
    expect(s.cramQueue('one', since)).toEqual(['one/a', 'one/b']);
    await s.grade('one/a', 3, { cram: true });
    c.advance(MIN);
    await s.grade('one/b', 1, { cram: true });
    const again = await FlashcardSession.open({ deck: DECK, store, now: c.now });
    expect(again.cramQueue('one', since)).toEqual(['one/b']);
    expect(again.reviews().filter((r) => r.cram)).toHaveLength(2);
  });
});
