/** The due-count lines of the home page and the chapter quiz: new cards named as new, never as "due". */
import type { DueQueue } from './queue';

const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/**
 * One line for the cards to show now: reviews (learning steps included) are "due", unseen cards are
 * "new", so a first-time visitor reads "20 new cards to learn", not "20 cards due". Long form for the
 * home page, short for the chapter quiz's status.
 */
export function dueCountText(
  q: Pick<DueQueue, 'learning' | 'review' | 'new'>,
  form: 'long' | 'short',
): string {
  const due = q.learning + q.review;
  if (form === 'short') {
    if (!due && !q.new) return 'Nothing due now';
    if (!due) return n(q.new, 'new card', 'new cards');
    return q.new ? `${n(due, 'card', 'cards')} due, ${q.new} new` : `${n(due, 'card', 'cards')} due`;
  }
  if (!due && !q.new) return 'No flashcards due right now.';
  if (!due) return `${n(q.new, 'new card', 'new cards')} to learn.`;
  const reviews = `${n(due, 'card', 'cards')} due for review`;
  return q.new ? `${reviews}, ${n(q.new, 'new card', 'new cards')}.` : `${reviews}.`;
}
