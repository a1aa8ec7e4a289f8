/** Which card comes next: the due queue (FSRS due dates, a daily new-card limit) and the cram queue. */
import type { Card } from 'ts-fsrs';
import type { ReviewRecord } from './records';

/** The learner's day starts at 4 am local time (as in Anki), so a late-night session counts as one day. */
export const ROLLOVER_HOUR = 4;

/** Start of the learning day containing `now` (local time), ms since the epoch. */
export function dayStart(now: number, rolloverHour = ROLLOVER_HOUR): number {
  const d = new Date(now);
  d.setHours(rolloverHour, 0, 0, 0);
  if (d.getTime() > now) d.setDate(d.getDate() - 1);
  return d.getTime();
}

/** Start of the next learning day (DST-safe: calendar arithmetic, not 24 h). */
export function nextDayStart(now: number, rolloverHour = ROLLOVER_HOUR): number {
  const d = new Date(dayStart(now, rolloverHour));
  d.setDate(d.getDate() + 1);
  d.setHours(rolloverHour, 0, 0, 0);
  return d.getTime();
}

export interface DueQueueInput {
  /** The deck's card ids in course order. */
  ids: readonly string[];
  /** FSRS state of every card that has been reviewed at least once. */
  states: ReadonlyMap<string, Card>;
  /** When each card was first reviewed (to count the new cards introduced today). */
  firstReview: ReadonlyMap<string, number>;
  now: number;
  newPerDay: number;
}

export interface DueQueue {
  /** Cards to show now, in order: learning steps that are due, then due reviews, then new cards. */
  ids: string[];
  learning: number;
  review: number;
  new: number;
  /** New cards that wait for a later day because of the daily limit. */
  newWaiting: number;
  /** Earliest due time of a card that is not due yet (null when there is none). */
  nextDue: number | null;
}

/** Cards due now in a deck. Learning and relearning cards follow their short steps (1 min, 10 min). */
export function dueQueue({ ids, states, firstReview, now, newPerDay }: DueQueueInput): DueQueue {
  const start = dayStart(now);
  const learning: [string, number][] = [];
  const review: [string, number][] = [];
  const fresh: string[] = [];
  let introducedToday = 0;
  let nextDue: number | null = null;
  for (const id of ids) {
    const card = states.get(id);
    if (!card) {
      fresh.push(id);
      continue;
    }
    if ((firstReview.get(id) ?? -Infinity) >= start) introducedToday++;
    const due = card.due.getTime();
    if (due > now) {
      nextDue = nextDue === null ? due : Math.min(nextDue, due);
    } else if (card.state === 1 || card.state === 3) {
      learning.push([id, due]);
    } else {
      review.push([id, due]);
    }
  }
  const byDue = (a: [string, number], b: [string, number]) => a[1] - b[1];
  learning.sort(byDue);
  review.sort(byDue);
  const newToday = fresh.slice(0, Math.max(0, newPerDay - introducedToday));
  return {
    ids: [...learning.map((x) => x[0]), ...review.map((x) => x[0]), ...newToday],
    learning: learning.length,
    review: review.length,
    new: newToday.length,
    newWaiting: fresh.length - newToday.length,
    nextDue,
  };
}

/** How many cards of the deck are due before the day ends (due reviews plus today's new cards). */
export function dueToday(input: DueQueueInput): number {
  const end = nextDayStart(input.now);
  const q = dueQueue({ ...input, now: end - 1 });
  return q.ids.length;
}

/**
 * Cram: every card of the deck once, in course order, ignoring due dates. A card graded Again goes
 * to the back; a card graded Hard, Good or Easy since the cram began is done. Derived from the log,
 * so a reload resumes the same cram.
 */
export function cramQueue(ids: readonly string[], reviews: readonly ReviewRecord[], since: number): string[] {
  const last = new Map<string, ReviewRecord>();
  for (const r of reviews) if (r.at >= since) last.set(r.card, r);
  const inDeck = new Set(ids);
  const untouched = ids.filter((id) => !last.has(id));
  const again = [...last.values()]
    .filter((r) => r.grade === 1 && inDeck.has(r.card))
    .sort((a, b) => a.at - b.at)
    .map((r) => r.card);
  return [...untouched, ...again];
}
