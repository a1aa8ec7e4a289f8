/**
 * The flashcard session: the deck, the learner's reviews and card states, and the storage behind
 * them. DOM-free (storage and the cross-tab channel are passed in), so it is unit-tested in Node.
 *
 * Reliability rules:
 * - grade() resolves only after the review is written, so the caller shows the next card after that;
 * - every review is its own record keyed by card and time, so two tabs never overwrite each other and
 *   writing a review twice stores it once; a BroadcastChannel tells the other tabs at once;
 * - card states are a cache of the review log, checked on load and rebuilt when stale or corrupt;
 * - unreadable records are removed and reported; with no usable storage the session runs in memory.
 */
import type { Card } from 'ts-fsrs';
import { ALL, deckCards, type Deck } from './deck';
import { newReviews, parseProgress, exportProgress } from './progress-file';
import { cramQueue, dueQueue, type DueQueue, type DueQueueInput } from './queue';
import {
  byTime,
  DEFAULT_SETTINGS,
  keys,
  readStored,
  validReview,
  type GradeValue,
  type ReviewRecord,
  type Settings,
} from './records';
import {
  cacheIsCurrent,
  fromStateRecord,
  gradeCard,
  previewIntervals,
  replay,
  toStateRecord,
} from './scheduler';
import { computeStats, type Stats } from './stats';

/** Key-value storage of records (IndexedDB in the browser, memory in tests and private mode). */
export interface RecordStore {
  readonly persistent: boolean;
  entries(): Promise<[unknown, unknown][]>;
  setMany(entries: [string, unknown][]): Promise<void>;
  delMany(keys: unknown[]): Promise<void>;
}

/** Storage that lasts as long as the page (private mode, blocked storage, tests). */
export class MemoryStore implements RecordStore {
  readonly persistent: boolean;
  readonly map = new Map<unknown, unknown>();
  constructor(persistent = false) {
    this.persistent = persistent;
  }
  async entries(): Promise<[unknown, unknown][]> {
    return [...this.map].map(([k, v]) => [k, structuredClone(v)]);
  }
  async setMany(entries: [string, unknown][]): Promise<void> {
    for (const [k, v] of entries) this.map.set(k, structuredClone(v));
  }
  async delMany(keys: unknown[]): Promise<void> {
    for (const k of keys) this.map.delete(k);
  }
}

/** The subset of BroadcastChannel the session uses. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close(): void;
}

export const CHANNEL_NAME = 'attention-notebook-flashcards';

export type SessionEvent =
  /** Another tab reviewed this card. */
  | { type: 'remote-review'; card: string }
  /** Data changed wholesale (an import or new settings in another tab). */
  | { type: 'reloaded' }
  /** Storage stopped working; the session continues in memory. */
  | { type: 'storage-lost'; message: string };

export type ImportSummary =
  | { ok: true; added: number; known: number; skipped: number; archived: number; saved: boolean }
  | { ok: false; message: string };

export const MESSAGES = {
  noStorage:
    'Your browser is not letting this site keep data (private browsing or blocked storage). The quiz works, but your progress will not be saved when you leave this page.',
  storageLost:
    'Saving stopped working in this browser. You can keep reviewing, but progress from now on will not be kept after you leave this page; export it to keep it.',
  corrupt: (n: number) =>
    `${n} saved flashcard ${n === 1 ? 'record' : 'records'} could not be read and ${n === 1 ? 'was' : 'were'} reset. The rest of your progress is kept.`,
};

export interface OpenOptions {
  deck: Deck;
  /** The storage to use; null (or one that fails to read) means storage is unavailable. */
  store: RecordStore | null;
  channel?: ChannelLike | null;
  now?: () => number;
}

export class FlashcardSession {
  readonly deck: Deck;
  /** Messages for the learner about storage (shown once, near the quiz). */
  readonly notices: string[] = [];
  settings: Settings = { ...DEFAULT_SETTINGS };

  private store: RecordStore;
  private readonly channel: ChannelLike | null;
  private readonly now: () => number;
  private readonly byId = new Map<string, ReviewRecord>();
  private readonly byCard = new Map<string, ReviewRecord[]>();
  private readonly states = new Map<string, Card>();
  private readonly listeners = new Set<(e: SessionEvent) => void>();
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(deck: Deck, store: RecordStore, channel: ChannelLike | null, now: () => number) {
    this.deck = deck;
    this.store = store;
    this.channel = channel;
    this.now = now;
  }

  /** Load the learner's progress for `deck`; never throws for storage problems (see `notices`). */
  static async open({ deck, store, channel = null, now = Date.now }: OpenOptions): Promise<FlashcardSession> {
    const session = new FlashcardSession(deck, store ?? new MemoryStore(), channel, now);
    if (!store) session.notices.push(MESSAGES.noStorage);
    await session.load();
    channel?.addEventListener('message', (e) => session.onMessage(e.data));
    return session;
  }

  get persistent(): boolean {
    return this.store.persistent;
  }

  on(listener: (e: SessionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.channel?.close();
    this.listeners.clear();
  }

  /** All reviews held, in time order (archived cards included). */
  reviews(): ReviewRecord[] {
    return [...this.byId.values()].sort(byTime);
  }

  /** FSRS state of a card; undefined while it is new. */
  state(id: string): Card | undefined {
    return this.states.get(id);
  }

  /** Cards with reviews that are no longer in the course (their history is kept, not shown). */
  archived(): string[] {
    const known = new Set(this.deck.cards.map((c) => c.id));
    return [...this.byCard.keys()].filter((id) => !known.has(id)).sort();
  }

  dueQueue(deckKey = ALL): DueQueue {
    return dueQueue(this.queueInput(deckKey));
  }

  cramQueue(deckKey: string, since: number): string[] {
    return cramQueue(this.ids(deckKey), this.reviews(), since);
  }

  stats(deckKey = ALL): Stats {
    return computeStats({ ...this.queueInput(deckKey), reviews: this.reviews() });
  }

  /** Time until due for each grade, if the card were graded now. */
  preview(id: string): Record<GradeValue, number> {
    return previewIntervals(this.states.get(id), this.now());
  }

  /** Grade a card. Resolves once the review is stored (or kept in memory when storage failed). */
  grade(id: string, grade: GradeValue, options: { cram?: boolean } = {}): Promise<ReviewRecord> {
    return this.serial(async () => {
      const { review } = gradeCard(id, this.states.get(id), grade, this.now(), options.cram);
      const list = [...(this.byCard.get(id) ?? []), review].sort(byTime);
      const card = replay(list);
      await this.persist([
        [keys.review(review.id), review],
        [keys.card(id), toStateRecord(id, card, list)],
      ]);
      this.addReviews([review]);
      this.post({ type: 'review', review });
      return review;
    });
  }

  setSettings(settings: Settings): Promise<void> {
    return this.serial(async () => {
      this.settings = { ...settings };
      await this.persist([[keys.settings, this.settings]]);
      this.post({ type: 'reload' });
    });
  }

  /** The progress file of everything held (archived cards included). */
  exportProgress(): string {
    return exportProgress({
      reviews: this.reviews(),
      states: this.states,
      settings: this.settings,
      now: this.now(),
    });
  }

  /** Merge a progress file: new reviews are added, known ones ignored, invalid entries skipped. */
  importProgress(text: string): Promise<ImportSummary> {
    return this.serial(async () => {
      const parsed = parseProgress(text, this.now());
      if (!parsed.ok) return parsed;
      const fresh = newReviews(new Set(this.byId.keys()), parsed.reviews);
      const touched = new Set(fresh.map((r) => r.card));
      const entries: [string, unknown][] = fresh.map((r) => [keys.review(r.id), r]);
      for (const id of touched) {
        const list = [...(this.byCard.get(id) ?? []), ...fresh.filter((r) => r.card === id)].sort(byTime);
        entries.push([keys.card(id), toStateRecord(id, replay(list), list)]);
      }
      if (parsed.settings) entries.push([keys.settings, parsed.settings]);
      const saved = await this.persist(entries);
      this.addReviews(fresh);
      if (parsed.settings) this.settings = parsed.settings;
      this.post({ type: 'reload' });
      const known = new Set(this.deck.cards.map((c) => c.id));
      return {
        ok: true,
        added: fresh.length,
        known: parsed.reviews.length - fresh.length,
        skipped: parsed.skipped,
        archived: new Set(fresh.filter((r) => !known.has(r.card)).map((r) => r.card)).size,
        saved,
      };
    });
  }

  /** Read everything from storage again (after another tab imported or changed settings). */
  reload(): Promise<void> {
    return this.serial(() => this.load());
  }

  // ——— internals ———

  private ids(deckKey: string): string[] {
    return deckCards(this.deck, deckKey).map((c) => c.id);
  }

  private queueInput(deckKey: string): DueQueueInput {
    const firstReview = new Map<string, number>();
    for (const [id, list] of this.byCard) firstReview.set(id, list[0].at);
    return {
      ids: this.ids(deckKey),
      states: this.states,
      firstReview,
      now: this.now(),
      newPerDay: this.settings.newPerDay,
    };
  }

  /** Run storage operations one at a time, in call order. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private emit(e: SessionEvent): void {
    for (const l of this.listeners) l(e);
  }

  private post(message: unknown): void {
    try {
      this.channel?.postMessage(message);
    } catch {
      // A closed channel: other tabs pick the change up on their next load.
    }
  }

  /** Write entries; on failure switch to memory (once) and say so. True when written durably. */
  private async persist(entries: [string, unknown][]): Promise<boolean> {
    try {
      await this.store.setMany(entries);
      return this.store.persistent;
    } catch {
      if (this.store.persistent) {
        this.store = new MemoryStore();
        this.notices.push(MESSAGES.storageLost);
        this.emit({ type: 'storage-lost', message: MESSAGES.storageLost });
      }
      return false;
    }
  }

  private async load(): Promise<void> {
    let entries: [unknown, unknown][];
    try {
      entries = await this.store.entries();
    } catch {
      if (this.store.persistent) {
        this.store = new MemoryStore();
        this.notices.push(MESSAGES.noStorage);
      }
      entries = [];
    }
    const data = readStored(entries, this.now());
    this.byId.clear();
    this.byCard.clear();
    this.states.clear();
    this.settings = data.settings;
    const repairs: [string, unknown][] = [];
    const stale: unknown[] = [...data.bad];
    for (const r of data.reviews) this.index(r);
    for (const [id, list] of this.byCard) {
      const cached = data.cards.get(id);
      if (cacheIsCurrent(cached, list)) {
        this.states.set(id, fromStateRecord(cached!));
      } else {
        const card = replay(list);
        this.states.set(id, card);
        repairs.push([keys.card(id), toStateRecord(id, card, list)]);
      }
    }
    for (const id of data.cards.keys()) if (!this.byCard.has(id)) stale.push(keys.card(id));
    if (data.bad.length) this.notices.push(MESSAGES.corrupt(data.bad.length));
    if (stale.length) await this.store.delMany(stale).catch(() => undefined);
    if (repairs.length) await this.store.setMany(repairs).catch(() => undefined);
  }

  private index(r: ReviewRecord): void {
    this.byId.set(r.id, r);
    const list = this.byCard.get(r.card);
    if (list) list.push(r);
    else this.byCard.set(r.card, [r]);
  }

  /** Add reviews to memory and recompute the cards they touch. */
  private addReviews(reviews: readonly ReviewRecord[]): void {
    const touched = new Set<string>();
    for (const r of reviews) {
      if (this.byId.has(r.id)) continue;
      this.index(r);
      touched.add(r.card);
    }
    for (const id of touched) {
      const list = this.byCard.get(id)!.sort(byTime);
      this.states.set(id, replay(list));
    }
  }

  private onMessage(data: unknown): void {
    const m = data as { type?: unknown; review?: unknown } | null;
    if (m?.type === 'review') {
      const r = validReview(m.review, this.now());
      if (!r || this.byId.has(r.id)) return;
      this.addReviews([r]);
      this.emit({ type: 'remote-review', card: r.card });
    } else if (m?.type === 'reload' && this.store.persistent) {
      void this.reload().then(() => this.emit({ type: 'reloaded' }));
    }
  }
}
