import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withTimeout } from '../../../src/flashcards/with-timeout';

describe('withTimeout', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it.each([
    [
      'throws at once (private mode)',
      () => {
        throw new Error('The operation is insecure.');
      },
      'The operation is insecure.',
    ],
    ['rejects', () => Promise.reject(new Error('blocked')), 'blocked'],
  ])('work that %s rejects with its own error and leaves no timer behind', async (_n, work, msg) => {
    await expect(withTimeout(work as () => Promise<never>, 4000, 'IndexedDB did not answer')).rejects.toThrow(
      msg,
    );
    // the old Promise.race left a 4 s timer whose rejection nobody handled
    expect(vi.getTimerCount()).toBe(0);
  });

  it('resolves with the work and clears its timer', async () => {
    await expect(withTimeout(() => Promise.resolve(7), 4000, 'late')).resolves.toBe(7);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects with the message when the work never answers', async () => {
    const p = withTimeout(() => new Promise<never>(() => {}), 4000, 'IndexedDB did not answer');
    const assertion = expect(p).rejects.toThrow('IndexedDB did not answer');
    await vi.advanceTimersByTimeAsync(4000);
    await assertion;
  });
});
