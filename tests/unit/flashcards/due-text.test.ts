import { describe, expect, it } from 'vitest';
import { dueCountText } from '../../../src/flashcards/due-text';

describe('dueCountText', () => {
  it.each([
    // a first-time visitor: nothing is due yet, only new cards to learn
    [{ learning: 0, review: 0, new: 20 }, '20 new cards to learn.', '20 new cards'],
    [{ learning: 0, review: 0, new: 1 }, '1 new card to learn.', '1 new card'],
    [{ learning: 0, review: 0, new: 0 }, 'No flashcards due right now.', 'Nothing due now'],
    [{ learning: 1, review: 0, new: 0 }, '1 card due for review.', '1 card due'],
    [{ learning: 1, review: 2, new: 0 }, '3 cards due for review.', '3 cards due'],
    [{ learning: 0, review: 3, new: 1 }, '3 cards due for review, 1 new card.', '3 cards due, 1 new'],
  ])('%j', (q, long, short) => {
    expect(dueCountText(q, 'long')).toBe(long);
    expect(dueCountText(q, 'short')).toBe(short);
  });
});
