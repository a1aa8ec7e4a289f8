/** The flashcards' IndexedDB storage, through idb-keyval (one database, one object store). */
import { createStore, delMany, entries, get, setMany } from 'idb-keyval';
import type { RecordStore } from '../../src/flashcards/session';
import { withTimeout } from '../../src/flashcards/with-timeout';

export const DB_NAME = 'attention-notebook-flashcards';
export const STORE_NAME = 'records';

/** Some browsers never answer an open request (blocked storage); after this long we give up. */
const OPEN_TIMEOUT_MS = 4000;

/**
 * Open the store and prove it can be read. Returns null where IndexedDB is missing, throws (private
 * modes, blocked storage, sandboxed frames) or does not answer: the quiz then runs in memory.
 */
export async function openIdbStore(): Promise<RecordStore | null> {
  try {
    if (typeof indexedDB === 'undefined') return null;
    const store = createStore(DB_NAME, STORE_NAME);
    await withTimeout(() => get('settings', store), OPEN_TIMEOUT_MS, 'IndexedDB did not answer');
    return {
      persistent: true,
      entries: () => entries(store),
      setMany: (items) => setMany(items, store),
      delMany: (keys) => delMany(keys as IDBValidKey[], store),
    };
  } catch {
    return null;
  }
}
