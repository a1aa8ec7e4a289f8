/** The lazily loaded part of the chapter quiz and the home page's due count (brings in ts-fsrs). */
import { loadSession } from './load';
import { Quiz, type QuizOptions } from './quiz';
import { dueCountText } from '../../src/flashcards/due-text';

/** Load the cards and progress, then start a quiz in `root` (which holds Quiz.astro's markup). */
export async function mountQuiz(root: HTMLElement, deckUrl: string, options: QuizOptions): Promise<Quiz> {
  const session = await loadSession(deckUrl);
  const quiz = new Quiz(root, session, options);
  quiz.start(true);
  return quiz;
}

/** How many cards of a deck are due now, and whether progress is being saved. */
export async function dueSummary(deckUrl: string, deckKey: string) {
  const session = await loadSession(deckUrl);
  const stats = session.stats(deckKey);
  const queue = session.dueQueue(deckKey);
  return {
    dueNow: stats.dueNow,
    /** "20 new cards to learn." / "3 cards due for review, 2 new cards." */
    text: dueCountText(queue, 'long'),
    /** "20 new cards" / "3 cards due, 2 new" */
    short: dueCountText(queue, 'short'),
    nextDue: queue.nextDue,
    reviewed: stats.cards.learning + stats.cards.review,
    persistent: session.persistent,
  };
}
