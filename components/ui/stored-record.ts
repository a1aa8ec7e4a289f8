/** A `{ [id]: entry }` record kept as JSON in localStorage, read defensively (storage blocked, damaged, foreign). */

/**
 * The record stored under `key`, keeping only the entries `accept` turns into a well-formed value
 * (it returns undefined to drop one); an unreadable or non-object record reads as empty, never a crash.
 */
export function readStoredRecord<T>(
  key: string,
  accept: (value: unknown) => T | undefined,
): Record<string, T> {
  try {
    const raw = JSON.parse(localStorage.getItem(key) ?? '{}') as unknown;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
    const out: Record<string, T> = {};
    for (const [id, value] of Object.entries(raw as Record<string, unknown>)) {
      const entry = accept(value);
      if (entry !== undefined) out[id] = entry;
    }
    return out;
  } catch {
    return {};
  }
}
