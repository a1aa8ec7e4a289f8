import { describe, expect, it } from 'vitest';
import { State } from 'ts-fsrs';
import {
  cacheIsCurrent,
  formatInterval,
  fromStateRecord,
  gradeCard,
  previewIntervals,
  replay,
  toStateRecord,
} from '../../../src/flashcards/scheduler';
import type { GradeValue, ReviewRecord } from '../../../src/flashcards/records';

const T0 = Date.UTC(2025, 2, 3, 9, 0, 0); // fixed clock: 3 March 2025, 09:00 UTC
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const ID = 'start-here/softmax';

/** Grade a card through a sequence of (grade, minutes after T0) and return the log and final card. */
function run(steps: [GradeValue, number][]) {
  let card;
  const log: ReviewRecord[] = [];
  for (const [g, minutes] of steps) {
    const r = gradeCard(ID, card, g, T0 + minutes * MIN);
    card = r.card;
    log.push(r.review);
  }
  return { card: card!, log };
}

describe('FSRS scheduling glue (FSRS-6 defaults, fixed clock)', () => {
  it('a new card follows the learning steps: Again 1 min, Hard 6 min, Good 10 min, Easy to review', () => {
    const p = previewIntervals(undefined, T0);
    expect(p[1]).toBe(1 * MIN);
    expect(p[2]).toBe(6 * MIN);
    expect(p[3]).toBe(10 * MIN);
    expect(p[4]).toBeGreaterThanOrEqual(DAY);
    const { card, log } = run([[3, 0]]);
    expect(card.state).toBe(State.Learning);
    expect(card.due.getTime()).toBe(T0 + 10 * MIN);
    expect(log[0]).toEqual({ id: `${ID}@${T0}`, card: ID, at: T0, grade: 3, state: 0 });
  });

  it('Good at the second step graduates the card to review with a due date days ahead', () => {
    const { card } = run([
      [3, 0],
      [3, 10],
    ]);
    expect(card.state).toBe(State.Review);
    expect(card.scheduled_days).toBeGreaterThanOrEqual(1);
    expect(card.due.getTime()).toBe(T0 + 10 * MIN + card.scheduled_days * DAY);
  });

  it('a lapse sends a review card to relearning (10 min step) and counts a lapse', () => {
    const first = run([
      [3, 0],
      [3, 10],
    ]);
    const dueMinutes = (first.card.due.getTime() - T0) / MIN;
    const { card } = run([
      [3, 0],
      [3, 10],
      [1, dueMinutes],
    ]);
    expect(card.state).toBe(State.Relearning);
    expect(card.lapses).toBe(1);
    expect(card.due.getTime()).toBe(T0 + (dueMinutes + 10) * MIN);
  });

  it('longer intervals for easier grades', () => {
    const { card } = run([
      [3, 0],
      [3, 10],
    ]);
    const at = card.due.getTime();
    const p = previewIntervals(card, at);
    expect(p[1]).toBeLessThan(p[2]);
    expect(p[2]).toBeLessThan(p[3]);
    expect(p[3]).toBeLessThan(p[4]);
  });

  it('replaying the log gives exactly the state built review by review', () => {
    const { card, log } = run([
      [3, 0],
      [1, 10],
      [3, 12],
      [3, 30],
      [2, 3 * 24 * 60],
      [4, 9 * 24 * 60],
    ]);
    expect(replay(log)).toEqual(card);
  });

  it('keeps the log ordered and ids unique when the clock steps back or two grades share a millisecond', () => {
    const a = gradeCard(ID, undefined, 1, T0);
    const b = gradeCard(ID, a.card, 3, T0 - 5 * MIN);
    expect(b.review.at).toBe(T0 + 1);
    expect(b.review.id).not.toBe(a.review.id);
  });

  it('marks cram reviews and records the state before the review', () => {
    const first = gradeCard(ID, undefined, 3, T0);
    const r = gradeCard(ID, first.card, 3, T0 + MIN, true).review;
    expect(r.cram).toBe(true);
    expect(r.state).toBe(State.Learning);
  });

  it('card-state cache records round-trip and know when they are stale', () => {
    const { card, log } = run([
      [3, 0],
      [3, 10],
    ]);
    const rec = toStateRecord(ID, card, log);
    expect(rec.lastReviewId).toBe(log[1].id);
    expect(rec.reviewCount).toBe(2);
    const back = fromStateRecord(rec);
    expect(back.due).toEqual(card.due);
    expect(back.stability).toBe(card.stability);
    expect(back.last_review).toEqual(card.last_review);
    // The next review computed from the cached state equals the one from the full replay.
    const at = card.due.getTime();
    expect(gradeCard(ID, back, 3, at).card.due).toEqual(gradeCard(ID, card, 3, at).card.due);
    expect(cacheIsCurrent(rec, log)).toBe(true);
    expect(cacheIsCurrent(rec, log.slice(0, 1))).toBe(false);
    expect(cacheIsCurrent(undefined, log)).toBe(false);
  });

  it('formats intervals in words', () => {
    expect(formatInterval(20_000)).toBe('less than a minute');
    expect(formatInterval(MIN)).toBe('1 minute');
    expect(formatInterval(10 * MIN)).toBe('10 minutes');
    expect(formatInterval(60 * MIN)).toBe('1 hour');
    expect(formatInterval(5 * 60 * MIN)).toBe('5 hours');
    expect(formatInterval(DAY)).toBe('1 day');
    expect(formatInterval(12 * DAY)).toBe('12 days');
    expect(formatInterval(45 * DAY)).toBe('1 month');
    expect(formatInterval(200 * DAY)).toBe('7 months');
    expect(formatInterval(365 * DAY)).toBe('1 year');
    expect(formatInterval(548 * DAY)).toBe('1.5 years');
  });
});
