import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Card } from 'ts-fsrs';
import { cramQueue, dayStart, dueQueue, dueToday, nextDayStart } from '../../../src/flashcards/queue';
import { computeStats, lastDays } from '../../../src/flashcards/stats';
import { gradeCard, replay } from '../../../src/flashcards/scheduler';
import { byTime, type GradeValue, type ReviewRecord } from '../../../src/flashcards/records';

// Learning days start at 4 am local time; pin the zone so the fixed clocks below mean one thing.
const savedTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'UTC';
});
afterAll(() => {
  process.env.TZ = savedTz;
});

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2025, 2, 3, 9, 0, 0); // Monday 3 March 2025, 09:00
const ids = ['c/a', 'c/b', 'c/c', 'c/d', 'c/e'];

/** Build states from a list of (card, grade, time) reviews. */
function history(reviews: [string, GradeValue, number][]) {
  const log: ReviewRecord[] = [];
  const states = new Map<string, Card>();
  for (const [id, g, at] of reviews) {
    const r = gradeCard(id, states.get(id), g, at);
    states.set(id, r.card);
    log.push(r.review);
  }
  const firstReview = new Map<string, number>();
  for (const r of [...log].sort(byTime)) if (!firstReview.has(r.card)) firstReview.set(r.card, r.at);
  return { log, states, firstReview };
}

describe('learning days', () => {
  it('start at 4 am local time', () => {
    expect(dayStart(T0)).toBe(Date.UTC(2025, 2, 3, 4));
    expect(dayStart(Date.UTC(2025, 2, 3, 2))).toBe(Date.UTC(2025, 2, 2, 4));
    expect(nextDayStart(T0)).toBe(Date.UTC(2025, 2, 4, 4));
    expect(lastDays(T0)).toHaveLength(30);
    expect(lastDays(T0)[29]).toBe(Date.UTC(2025, 2, 3, 4));
    expect(lastDays(T0)[0]).toBe(Date.UTC(2025, 1, 2, 4));
  });

  it('stay calendar days across a daylight-saving change', () => {
    process.env.TZ = 'Europe/Berlin';
    try {
      const sat = new Date(2025, 2, 29, 12).getTime(); // DST starts on Sunday 30 March in Berlin
      const next = nextDayStart(sat);
      expect(new Date(next).getDate()).toBe(30);
      expect(new Date(next).getHours()).toBe(4);
      expect(next - dayStart(sat)).toBe(23 * HOUR);
    } finally {
      process.env.TZ = 'UTC';
    }
  });
});

describe('due queue', () => {
  it('shows new cards in course order up to the daily limit', () => {
    const q = dueQueue({ ids, states: new Map(), firstReview: new Map(), now: T0, newPerDay: 3 });
    expect(q.ids).toEqual(['c/a', 'c/b', 'c/c']);
    expect(q.new).toBe(3);
    expect(q.newWaiting).toBe(2);
    expect(q.nextDue).toBeNull();
  });

  it('counts cards introduced today against the limit, and frees the limit the next day', () => {
    const h = history([
      ['c/a', 3, T0],
      ['c/b', 3, T0 + MIN],
    ]);
    const today = dueQueue({ ids, ...h, now: T0 + 2 * MIN, newPerDay: 3 });
    expect(today.ids).toEqual(['c/c']);
    expect(today.nextDue).toBe(T0 + 10 * MIN);
    const tomorrow = dueQueue({ ids, ...h, now: T0 + DAY, newPerDay: 3 });
    expect(tomorrow.ids.slice(-3)).toEqual(['c/c', 'c/d', 'c/e']);
  });

  it('brings a learning card back when its step is due, before reviews and new cards', () => {
    const h = history([
      ['c/a', 3, T0],
      ['c/a', 3, T0 + 10 * MIN], // graduates
      ['c/b', 1, T0 + 20 * MIN], // Again: due in 1 min
    ]);
    const graduatedDue = h.states.get('c/a')!.due.getTime();
    expect(dueQueue({ ids, ...h, now: T0 + 20 * MIN + 30_000, newPerDay: 1 }).ids).toEqual([]);
    const q = dueQueue({ ids, ...h, now: graduatedDue, newPerDay: 5 });
    expect(q.ids[0]).toBe('c/b');
    expect(q.ids[1]).toBe('c/a');
    expect(q.learning).toBe(1);
    expect(q.review).toBe(1);
    expect(q.ids.slice(2)).toEqual(['c/c', 'c/d', 'c/e']);
  });

  it('counts what is due before the day ends', () => {
    const h = history([['c/a', 3, T0]]);
    const input = { ids: ['c/a', 'c/b'], ...h, now: T0 + MIN, newPerDay: 20 };
    expect(dueQueue(input).ids).toEqual(['c/b']);
    expect(dueToday(input)).toBe(2);
  });
});

describe('cram queue', () => {
  it('goes through every card once, ignoring due dates; Again goes to the back', () => {
    const since = T0;
    const h = history([
      ['c/a', 3, T0 - DAY], // before the cram: ignored
      ['c/a', 3, T0 + MIN],
      ['c/b', 1, T0 + 2 * MIN],
      ['c/c', 4, T0 + 3 * MIN],
    ]);
    expect(cramQueue(ids, h.log, since)).toEqual(['c/d', 'c/e', 'c/b']);
    expect(cramQueue(ids, [], since)).toEqual(ids);
    // Passing the Again card later finishes it.
    const more = [
      ...h.log,
      gradeCard('c/b', replay(h.log.filter((r) => r.card === 'c/b')), 3, T0 + 9 * MIN).review,
    ];
    expect(cramQueue(ids, more, since)).toEqual(['c/d', 'c/e']);
  });
});

describe('stats', () => {
  it('reports due today, reviewed today, 30-day retention of review cards and reviews per day', () => {
    const h = history([
      ['c/d', 1, T0 - 40 * DAY], // older than 30 days: not in the chart or the retention
      ['c/a', 3, T0 - 12 * DAY],
      ['c/a', 3, T0 - 12 * DAY + 10 * MIN],
      ['c/b', 3, T0 - 12 * DAY],
      ['c/b', 3, T0 - 12 * DAY + 10 * MIN],
      ['c/a', 1, T0 - 2 * DAY], // a lapse: review-state recall failed
      ['c/b', 3, T0 - 2 * DAY], // review-state recall passed
      ['c/c', 3, T0 - HOUR],
      ['c/z', 3, T0 - HOUR], // not in this deck
    ]);
    h.log.sort(byTime);
    const s = computeStats({
      ids: ['c/a', 'c/b', 'c/c', 'c/d'],
      ...h,
      reviews: h.log,
      now: T0,
      newPerDay: 20,
    });
    expect(s.reviewedToday).toBe(1);
    expect(s.retention).toEqual({ passed: 1, total: 2, rate: 0.5 });
    expect(s.days).toHaveLength(30);
    expect(s.days[29]).toMatchObject({ again: 0, good: 1 });
    expect(s.days[27]).toMatchObject({ again: 1, good: 1 });
    expect(s.days[17]).toMatchObject({ good: 4 });
    expect(s.days.reduce((n, d) => n + d.again + d.hard + d.good + d.easy, 0)).toBe(7);
    expect(s.cards).toEqual({ new: 0, learning: 3, review: 1 });
    expect(s.dueNow).toBeGreaterThanOrEqual(2);
    expect(s.dueToday).toBeGreaterThanOrEqual(s.dueNow);
  });

  it('has no retention rate before any review-state recall', () => {
    const s = computeStats({
      ids,
      states: new Map(),
      firstReview: new Map(),
      reviews: [],
      now: T0,
      newPerDay: 20,
    });
    expect(s.retention.rate).toBeNull();
    expect(s.dueNow).toBe(5);
    expect(s.reviewedToday).toBe(0);
  });
});
