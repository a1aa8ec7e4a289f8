/**
 * Scheduling glue over ts-fsrs (FSRS-6 with its default parameters: 90 % requested retention,
 * learning steps 1 min and 10 min, relearning step 10 min, no fuzz). A card's state is always the
 * result of replaying its reviews in time order, so any set of reviews (two tabs, an import) gives
 * one well-defined state.
 */
import { createEmptyCard, fsrs, type Card, type Grade } from 'ts-fsrs';
import {
  reviewId,
  type CardStateRecord,
  type GradeValue,
  type ReviewRecord,
  type StateValue,
} from './records';

/** The one scheduler: FSRS-6 defaults (fuzz is off, so replaying the log is deterministic). */
export const scheduler = fsrs();

export const GRADES: readonly GradeValue[] = [1, 2, 3, 4];
export const GRADE_NAMES: Record<GradeValue, string> = { 1: 'Again', 2: 'Hard', 3: 'Good', 4: 'Easy' };
export const STATE_NAMES: Record<StateValue, string> = {
  0: 'New',
  1: 'Learning',
  2: 'Review',
  3: 'Relearning',
};

/** A card before its first review. */
export function newCard(now: number): Card {
  return createEmptyCard(new Date(now));
}

/** Fold reviews (of one card, sorted by time) into its FSRS state. */
export function replay(reviews: readonly ReviewRecord[]): Card {
  let card = newCard(reviews.length ? reviews[0].at : 0);
  for (const r of reviews) card = scheduler.next(card, new Date(r.at), r.grade as Grade).card;
  return card;
}

/**
 * Grade a card now: the review to store and the card's next state. The review time is kept strictly
 * after the card's last review, so a clock that stepped back still yields an ordered, unique log.
 */
export function gradeCard(
  id: string,
  card: Card | undefined,
  grade: GradeValue,
  now: number,
  cram = false,
): { review: ReviewRecord; card: Card } {
  const before = card ?? newCard(now);
  const last = before.last_review ? before.last_review.getTime() : -Infinity;
  const at = Math.max(Math.floor(now), last + 1);
  const next = scheduler.next(before, new Date(at), grade as Grade).card;
  const review: ReviewRecord = {
    id: reviewId(id, at),
    card: id,
    at,
    grade,
    state: before.state as StateValue,
  };
  if (cram) review.cram = true;
  return { review, card: next };
}

/** For each grade, how long until the card would be due again (ms) if graded now. */
export function previewIntervals(card: Card | undefined, now: number): Record<GradeValue, number> {
  const preview = scheduler.repeat(card ?? newCard(now), new Date(now));
  const out = {} as Record<GradeValue, number>;
  for (const g of GRADES) out[g] = preview[g as Grade].card.due.getTime() - now;
  return out;
}

/** The cache record of a card state. */
export function toStateRecord(id: string, card: Card, reviews: readonly ReviewRecord[]): CardStateRecord {
  return {
    card: id,
    due: card.due.getTime(),
    stability: card.stability,
    difficulty: card.difficulty,
    scheduled_days: card.scheduled_days,
    learning_steps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    state: card.state as StateValue,
    last_review: card.last_review ? card.last_review.getTime() : null,
    lastReviewId: reviews[reviews.length - 1].id,
    reviewCount: reviews.length,
  };
}

/** A card state back from its cache record. */
export function fromStateRecord(r: CardStateRecord): Card {
  return {
    due: new Date(r.due),
    stability: r.stability,
    difficulty: r.difficulty,
    elapsed_days: 0,
    scheduled_days: r.scheduled_days,
    learning_steps: r.learning_steps,
    reps: r.reps,
    lapses: r.lapses,
    state: r.state,
    last_review: r.last_review === null ? undefined : new Date(r.last_review),
  };
}

/** A cache record is current when it was computed from exactly the reviews we now hold. */
export function cacheIsCurrent(r: CardStateRecord | undefined, reviews: readonly ReviewRecord[]): boolean {
  return !!r && reviews.length === r.reviewCount && reviews[reviews.length - 1]?.id === r.lastReviewId;
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** A duration in words for a button or a status line: "1 minute", "10 minutes", "3 days", "2 months". */
export function formatInterval(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes < 1) return 'less than a minute';
  if (minutes < 59.5) return plural(Math.round(minutes), 'minute');
  const hours = minutes / 60;
  if (hours < 23.5) return plural(Math.round(hours), 'hour');
  const days = hours / 24;
  if (days < 30.5) return plural(Math.round(days), 'day');
  if (days < 365) return plural(Math.max(1, Math.round(days / 30.4)), 'month');
  const years = Math.round((days / 365) * 10) / 10;
  return `${years} year${years === 1 ? '' : 's'}`;
}
