/** A promise bounded in time, with no timer and no rejection left behind whatever the work does. */

/**
 * Run `work` and settle with its result, or reject with `message` after `ms`. The timer is cleared as
 * soon as the work settles, and a `work` that throws at once (private modes: IndexedDB refuses to open)
 * rejects at once instead of leaving a timeout promise to reject later, unhandled.
 */
export function withTimeout<T>(work: () => Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(message)), ms);
    const settle =
      <V>(f: (v: V) => void) =>
      (v: V) => {
        clearTimeout(timer);
        f(v);
      };
    try {
      work().then(settle(resolve), settle(reject));
    } catch (e) {
      settle(reject)(e);
    }
  });
}
