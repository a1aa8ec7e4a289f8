/**
 * The checkpoint slot in IndexedDB: save (with the small summary the page reads to offer "Resume"), load
 * with validation, clear. A failed save is reported and training continues, unsaved.
 */
import { del, get, set } from 'idb-keyval';
import { validateCheckpoint, type Checkpoint } from '../../model';
import { CHECKPOINT_KEY, SUMMARY_KEY, type CheckpointSummary } from '../protocol';
import { errorText, log, post } from './post';

/** Set by the 'idb' fault: every write fails as a full disk would. */
let broken = false;

/** The 'idb' fault: from now on IndexedDB refuses writes. */
export function breakStorage(): void {
  broken = true;
}

/** Write the checkpoint and its summary; posts 'saved' or 'save-failed' (never throws). */
export async function saveCheckpoint(ckpt: Checkpoint): Promise<void> {
  const summary: CheckpointSummary = {
    step: ckpt.step,
    config: ckpt.config,
    savedAt: new Date().toISOString(),
    evals: ckpt.history.evals,
  };
  try {
    if (broken) throw new DOMException('IndexedDB refused the write (simulated).', 'QuotaExceededError');
    await set(CHECKPOINT_KEY, ckpt);
    await set(SUMMARY_KEY, summary);
    post({ type: 'saved', step: ckpt.step });
  } catch (err) {
    const quota = err instanceof DOMException && err.name === 'QuotaExceededError';
    post({
      type: 'save-failed',
      step: ckpt.step,
      message:
        (quota
          ? 'The browser’s storage is full, so the checkpoint was not saved'
          : `The checkpoint could not be saved (${errorText(err)})`) +
        '. Training continues, unsaved: export the weights to keep them.',
    });
  }
}

/** The saved checkpoint, or null (none, unreadable or damaged: logged, and training starts fresh). */
export async function loadCheckpoint(): Promise<Checkpoint | null> {
  let value: unknown;
  try {
    value = await get(CHECKPOINT_KEY);
  } catch (err) {
    log(`The saved checkpoint could not be read (${errorText(err)}); starting fresh.`, 'warn');
    return null;
  }
  if (value === undefined) return null;
  const problems = validateCheckpoint(value);
  if (problems.length) {
    log(`The saved checkpoint is damaged (${problems[0]}); starting fresh.`, 'warn');
    return null;
  }
  return value as Checkpoint;
}

/** Remove the checkpoint and its summary (errors ignored: there is nothing left to lose). */
export async function clearCheckpoint(): Promise<void> {
  await del(CHECKPOINT_KEY).catch(() => undefined);
  await del(SUMMARY_KEY).catch(() => undefined);
}
