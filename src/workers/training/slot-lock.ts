/**
 * One run owns the checkpoint slot at a time, across tabs: a run holds the Web Lock SLOT_LOCK while it
 * trains, and a run in another tab that cannot take it is refused with a plain sentence instead of
 * silently overwriting the other tab's checkpoint. Without the Web Locks API (old browsers) runs proceed.
 */

/** The lock's name (one per origin, like the IndexedDB slot). */
export const SLOT_LOCK = 'attention-notebook/training-cell/checkpoint-slot';

/** What the refused tab is told. */
export const SLOT_BUSY =
  'Another tab of this site is training and owns the saved checkpoint. Stop it there (or close that tab), ' +
  'then press Train here; two runs would overwrite each other’s checkpoint.';

/** The part of navigator.locks this needs. */
export interface LockManagerLike {
  request<T>(
    name: string,
    options: { ifAvailable: boolean },
    callback: (lock: unknown) => Promise<T>,
  ): Promise<T>;
}

/** Run `work` while holding the slot; throws SLOT_BUSY when another run holds it. */
export async function withSlot<T>(locks: LockManagerLike | undefined, work: () => Promise<T>): Promise<T> {
  if (!locks) return work();
  let busy = false;
  const result = await locks.request(SLOT_LOCK, { ifAvailable: true }, async (lock) => {
    if (lock === null) {
      busy = true;
      return undefined;
    }
    return work();
  });
  if (busy) throw new Error(SLOT_BUSY);
  return result as T;
}
