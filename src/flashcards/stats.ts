/** Numbers for the stats panel: due today, reviewed today, 30-day retention and reviews per day. */
import type { ReviewRecord } from './records';
import { dayStart, dueQueue, dueToday, ROLLOVER_HOUR, type DueQueueInput } from './queue';

export interface DayBucket {
  /** Start of the learning day, ms since the epoch. */
  start: number;
  again: number;
  hard: number;
  good: number;
  easy: number;
}

export interface Stats {
  dueNow: number;
  dueToday: number;
  reviewedToday: number;
  /** Recall of cards in the Review state over the last 30 days: passed (Hard/Good/Easy) of all such reviews. */
  retention: { passed: number; total: number; rate: number | null };
  /** Reviews per learning day, oldest first, the last one being today. */
  days: DayBucket[];
  /** How many of the deck's cards are new, in (re)learning, and in review. */
  cards: { new: number; learning: number; review: number };
}

export const STATS_DAYS = 30;

/** The starts of the last `n` learning days, oldest first (calendar arithmetic, so DST-safe). */
export function lastDays(now: number, n = STATS_DAYS): number[] {
  const starts: number[] = [];
  const d = new Date(dayStart(now));
  for (let i = 0; i < n; i++) {
    starts.unshift(d.getTime());
    d.setDate(d.getDate() - 1);
    d.setHours(ROLLOVER_HOUR, 0, 0, 0);
  }
  return starts;
}

/** Stats of one deck: `reviews` are all reviews in time order; only the deck's cards count. */
export function computeStats(input: DueQueueInput & { reviews: readonly ReviewRecord[] }): Stats {
  const { ids, states, reviews, now } = input;
  const inDeck = new Set(ids);
  const starts = lastDays(now);
  const days: DayBucket[] = starts.map((start) => ({ start, again: 0, hard: 0, good: 0, easy: 0 }));
  const names = ['', 'again', 'hard', 'good', 'easy'] as const;
  let passed = 0;
  let total = 0;
  for (const r of reviews) {
    if (!inDeck.has(r.card) || r.at < starts[0] || r.at > now) continue;
    let i = days.length - 1;
    while (i > 0 && r.at < days[i].start) i--;
    days[i][names[r.grade]]++;
    if (r.state === 2) {
      total++;
      if (r.grade >= 2) passed++;
    }
  }
  const today = days[days.length - 1];
  const cards = { new: 0, learning: 0, review: 0 };
  for (const id of ids) {
    const s = states.get(id)?.state;
    if (s === undefined || s === 0) cards.new++;
    else if (s === 2) cards.review++;
    else cards.learning++;
  }
  return {
    dueNow: dueQueue(input).ids.length,
    dueToday: dueToday(input),
    reviewedToday: today.again + today.hard + today.good + today.easy,
    retention: { passed, total, rate: total ? passed / total : null },
    days,
    cards,
  };
}
