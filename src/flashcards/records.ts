/**
 * What the flashcards keep on the device, and how stored data is checked when it is read back.
 * The review log is the source of truth; card states are a cache that can be rebuilt from it.
 */
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

const isObj = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isInt = (x: unknown, lo: number, hi: number): x is number =>
  Number.isInteger(x) && (x as number) >= lo && (x as number) <= hi;

/** A review from storage or a file, checked and normalised (its id recomputed); null when unusable. */
export function validReview(x: unknown, now: number): ReviewRecord | null {
  if (!isObj(x)) return null;
  const { card, at, grade, state, cram } = x;
  if (!isCardId(card) || !isInt(at, EARLIEST_REVIEW, now + FUTURE_TOLERANCE_MS)) return null;
  if (!isInt(grade, 1, 4) || !isInt(state, 0, 3)) return null;
  if (cram !== undefined && typeof cram !== 'boolean') return null;
  const r: ReviewRecord = {
    id: reviewId(card, at),
    card,
    at,
    grade: grade as GradeValue,
    state: state as StateValue,
  };
  if (cram) r.cram = true;
  return r;
}

/** A cached card state from storage; null when anything is off (it is then rebuilt from the log). */
export function validCardState(x: unknown): CardStateRecord | null {
  if (!isObj(x)) return null;
  const c = x as Partial<CardStateRecord>;
  if (!isCardId(c.card) || !isNum(c.due) || !isNum(c.stability) || !isNum(c.difficulty)) return null;
  if (!isNum(c.scheduled_days) || !isInt(c.learning_steps, 0, 1000)) return null;
  if (!isInt(c.reps, 0, 1e7) || !isInt(c.lapses, 0, 1e7) || !isInt(c.state, 0, 3)) return null;
  if (c.last_review !== null && !isNum(c.last_review)) return null;
  if (typeof c.lastReviewId !== 'string' || !isInt(c.reviewCount, 1, 1e7)) return null;
  return {
    card: c.card,
    due: c.due,
    stability: c.stability,
    difficulty: c.difficulty,
    scheduled_days: c.scheduled_days,
    learning_steps: c.learning_steps,
    reps: c.reps,
    lapses: c.lapses,
    state: c.state as StateValue,
    last_review: c.last_review ?? null,
    lastReviewId: c.lastReviewId,
    reviewCount: c.reviewCount,
  };
}

export function validSettings(x: unknown): Settings | null {
  if (!isObj(x) || !isInt(x.newPerDay, 0, MAX_NEW_PER_DAY)) return null;
  return { newPerDay: x.newPerDay };
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
