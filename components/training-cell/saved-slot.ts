/**
 * The page's own reads of the checkpoint slot (the summary that offers "Resume from step N", and deleting
 * the slot before a worker exists), each bounded in time like the worker's: an IndexedDB that never
 * answers leaves the offer hidden instead of hanging the cell.
 */
import { delMany, get } from 'idb-keyval';
import { withTimeout } from '../../src/flashcards/with-timeout';
import { CHECKPOINT_KEY, SUMMARY_KEY, type CheckpointSummary } from '../../src/workers/protocol';

/** How long the page waits for IndexedDB. */
const PAGE_STORAGE_TIMEOUT_MS = 4000;

/** The saved checkpoint's summary, or undefined (none, unreadable, or no answer in time). */
export function readSummary(): Promise<CheckpointSummary | undefined> {
  return withTimeout(
    () => get<CheckpointSummary>(SUMMARY_KEY),
    PAGE_STORAGE_TIMEOUT_MS,
    'IndexedDB did not answer',
  ).catch(() => undefined);
}

/** Delete the checkpoint and its summary in one transaction (errors and silence ignored). */
export function deleteSlot(): Promise<void> {
  return withTimeout(
    () => delMany([CHECKPOINT_KEY, SUMMARY_KEY]),
    PAGE_STORAGE_TIMEOUT_MS,
    'IndexedDB did not answer',
  ).catch(() => undefined);
}
