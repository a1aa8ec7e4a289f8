/**
 * What the flashcards keep on the device, and how stored data is checked when it is read back.
 * The review log is the source of truth; card states are a cache that can be rebuilt from it.
 */
import { z } from 'zod';
import { isCardId } from './ids';

/** Again, Hard, Good, Easy (FSRS ratings 1–4). */
export type GradeValue = 1 | 2 | 3 | 4;
/** FSRS card state: New, Learning, Review, Relearning. */
export type StateValue = 0 | 1 | 2 | 3;

/** One review. Its id is `${card}@${at}`, so writing the same review twice stores it once. */
export interface ReviewRecord {
  id: string;
  card: string;
  /** When the learner graded the card, ms since the epoch. */
  at: number;
  grade: GradeValue;
  /** The card's FSRS state just before this review (for retention: only Review-state recalls count). */
  state: StateValue;
  /** True when the review happened in cram mode (due dates ignored). */
  cram?: boolean;
}

/** A card's FSRS state after its reviews (dates as ms), with the review it was computed up to. */
export interface CardStateRecord {
  card: string;
  due: number;
  stability: number;
  difficulty: number;
  scheduled_days: number;
  learning_steps: number;
  reps: number;
  lapses: number;
  state: StateValue;
  last_review: number | null;
  /** Id of the newest review folded into this state, and how many reviews were. */
  lastReviewId: string;
  reviewCount: number;
}

export interface Settings {
  /** How many new cards each deck introduces per day. */
  newPerDay: number;
}

export const DEFAULT_SETTINGS: Settings = { newPerDay: 20 };
export const MAX_NEW_PER_DAY = 999;

/** Reviews before this date cannot be ours (the project did not exist). */
export const EARLIEST_REVIEW = Date.UTC(2020, 0, 1);
/** Reviews further in the future than this are rejected as foreign (clock skew of a day is tolerated). */
export const FUTURE_TOLERANCE_MS = 24 * 3600 * 1000;

export function reviewId(card: string, at: number): string {
  return `${card}@${at}`;
}

/** Storage keys: one record per review and per card, so two tabs never overwrite each other's reviews. */
export const keys = {
  review: (id: string) => `review:${id}`,
  card: (id: string) => `card:${id}`,
  settings: 'settings',
} as const;

/** A whole number from lo to hi. */
const int = (lo: number, hi: number) => z.number().int().min(lo).max(hi);
/** A card id as cardId makes it. */
const cardIdSchema = z.string().refine(isCardId);

/** A review as stored or exported (without its id, which is recomputed from card and time). */
export function reviewSchema(now: number) {
  return z.object({
    card: cardIdSchema,
    at: int(EARLIEST_REVIEW, now + FUTURE_TOLERANCE_MS),
    grade: int(1, 4),
    state: int(0, 3),
    cram: z.boolean().optional(),
  });
}

/** A cached card state as stored. */
export const cardStateSchema = z.object({
  card: cardIdSchema,
  due: z.number(),
  stability: z.number(),
  difficulty: z.number(),
  scheduled_days: z.number(),
  learning_steps: int(0, 1000),
  reps: int(0, 1e7),
  lapses: int(0, 1e7),
  state: int(0, 3),
  last_review: z.number().nullable(),
  lastReviewId: z.string(),
  reviewCount: int(1, 1e7),
});

/** The settings as stored or exported. */
export const settingsSchema = z.object({ newPerDay: int(0, MAX_NEW_PER_DAY) });

/** A review from storage or a file, checked and normalised (its id recomputed); null when unusable. */
export function validReview(x: unknown, now: number): ReviewRecord | null {
  const r = reviewSchema(now).safeParse(x);
  if (!r.success) return null;
  const { card, at, grade, state, cram } = r.data;
  const review: ReviewRecord = {
    id: reviewId(card, at),
    card,
    at,
    grade: grade as GradeValue,
    state: state as StateValue,
  };
  if (cram) review.cram = true;
  return review;
}

/** A cached card state from storage; null when anything is off (it is then rebuilt from the log). */
export function validCardState(x: unknown): CardStateRecord | null {
  const r = cardStateSchema.safeParse(x);
  return r.success ? { ...r.data, state: r.data.state as StateValue } : null;
}

/** Settings from storage or a file; null when unusable. */
export function validSettings(x: unknown): Settings | null {
  const r = settingsSchema.safeParse(x);
  return r.success ? { newPerDay: r.data.newPerDay } : null;
}

export interface StoredData {
  reviews: ReviewRecord[];
  cards: Map<string, CardStateRecord>;
  settings: Settings;
  /** Keys of entries that could not be read (any IndexedDB key); the caller deletes them and says so. */
  bad: unknown[];
}

/** Sort the stored entries into reviews, card states and settings; everything unreadable goes to `bad`. */
export function readStored(entries: [unknown, unknown][], now: number): StoredData {
  const reviews: ReviewRecord[] = [];
  const cards = new Map<string, CardStateRecord>();
  let settings: Settings = { ...DEFAULT_SETTINGS };
  const bad: unknown[] = [];
  for (const [key, value] of entries) {
    if (typeof key !== 'string') {
      bad.push(key);
    } else if (key === keys.settings) {
      const s = validSettings(value);
      if (s) settings = s;
      else bad.push(key);
    } else if (key.startsWith('review:')) {
      const r = validReview(value, now);
      if (r && key === keys.review(r.id)) reviews.push(r);
      else bad.push(key);
    } else if (key.startsWith('card:')) {
      const c = validCardState(value);
      if (c && key === keys.card(c.card)) cards.set(c.card, c);
      else bad.push(key);
    } else {
      bad.push(key);
    }
  }
  reviews.sort(byTime);
  return { reviews, cards, settings, bad };
}

/** Reviews in the order they happened (ties broken by id, so every tab sorts alike). */
export function byTime(a: ReviewRecord, b: ReviewRecord): number {
  return a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
