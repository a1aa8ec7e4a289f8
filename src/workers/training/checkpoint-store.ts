/**
 * The checkpoint slot in IndexedDB: save the checkpoint and the small summary the page reads to offer
 * "Resume" in ONE transaction (idb-keyval's setMany), load with validation, clear. Every call is bounded
 * by STORAGE_TIMEOUT_MS (an IndexedDB that never answers must not freeze training or Stop): a save that
 * fails or times out is reported and training continues, unsaved.
 */
import { delMany, get, setMany } from 'idb-keyval';
import { withTimeout } from '../../flashcards/with-timeout';
import { validateCheckpoint, type Checkpoint } from '../../model';
import { CHECKPOINT_KEY, SUMMARY_KEY, type CheckpointSummary, type FromWorker } from '../protocol';

/** How long one IndexedDB call may take before the worker gives up on it. */
export const STORAGE_TIMEOUT_MS = 10_000;

/** The three calls the slot needs (idb-keyval in the browser; a fake in unit tests). */
export interface SlotStorage {
  get(key: string): Promise<unknown>;
  setMany(entries: [string, unknown][]): Promise<void>;
  delMany(keys: string[]): Promise<void>;
}

/** idb-keyval's default store. */
export const idbStorage: SlotStorage = { get, setMany, delMany };

/** An error's message, or the thrown value as text. */
function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The checkpoint slot over a storage, each call bounded in time. */
export class CheckpointStore {
  /** Set by the 'idb' fault: every write fails as a full disk would. */
  private broken = false;

  constructor(
    private readonly storage: SlotStorage = idbStorage,
    private readonly timeoutMs = STORAGE_TIMEOUT_MS,
  ) {}

  /** The 'idb' fault: from now on IndexedDB refuses writes. */
  breakWrites(): void {
    this.broken = true;
  }

  private bounded<T>(work: () => Promise<T>): Promise<T> {
    const s = Math.round(this.timeoutMs / 1000);
    return withTimeout(work, this.timeoutMs, `IndexedDB did not answer within ${s} s`);
  }

  /** Write the checkpoint and its summary in one transaction; the message to post ('saved' or 'save-failed'). */
  async save(ckpt: Checkpoint): Promise<FromWorker> {
    const summary: CheckpointSummary = {
      step: ckpt.step,
      config: ckpt.config,
      savedAt: new Date().toISOString(),
      evals: ckpt.history.evals,
    };
    try {
      if (this.broken)
        throw new DOMException('IndexedDB refused the write (simulated).', 'QuotaExceededError');
      await this.bounded(() =>
        this.storage.setMany([
          [CHECKPOINT_KEY, ckpt],
          [SUMMARY_KEY, summary],
        ]),
      );
      return { type: 'saved', step: ckpt.step };
    } catch (err) {
      const quota = err instanceof DOMException && err.name === 'QuotaExceededError';
      return {
        type: 'save-failed',
        step: ckpt.step,
        message:
          (quota
            ? 'The browser’s storage is full, so the checkpoint was not saved'
            : `The checkpoint could not be saved (${errorText(err)})`) +
          '. Training continues, unsaved: export the weights to keep them.',
      };
    }
  }

  /** The saved checkpoint, or null with the warning to log (none, unreadable, too slow or damaged). */
  async load(): Promise<{ ckpt: Checkpoint | null; warning?: string }> {
    let value: unknown;
    try {
      value = await this.bounded(() => this.storage.get(CHECKPOINT_KEY));
    } catch (err) {
      return {
        ckpt: null,
        warning: `The saved checkpoint could not be read (${errorText(err)}); starting fresh.`,
      };
    }
    if (value === undefined) return { ckpt: null };
    const problems = validateCheckpoint(value);
    if (problems.length) {
      return { ckpt: null, warning: `The saved checkpoint is damaged (${problems[0]}); starting fresh.` };
    }
    return { ckpt: value as Checkpoint };
  }

  /** Remove the checkpoint and its summary in one transaction (errors ignored: nothing is left to lose). */
  async clear(): Promise<void> {
    await this.bounded(() => this.storage.delMany([CHECKPOINT_KEY, SUMMARY_KEY])).catch(() => undefined);
  }
}
