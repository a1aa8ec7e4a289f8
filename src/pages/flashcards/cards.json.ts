import type { APIRoute } from 'astro';
import { courseDeck } from '../../site/course-deck';

/** Every card of the course with build-time answer HTML; the review page and quizzes fetch it. */
export const GET: APIRoute = async () =>
  new Response(JSON.stringify(await courseDeck()), {
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
