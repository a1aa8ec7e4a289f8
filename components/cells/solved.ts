/** Solved exercises, remembered in localStorage: `{ [exerciseId]: { chapter, title, at } }`. */
import { SOLVED_EVENT, SOLVED_KEY } from './cell-keys';
import { readStoredRecord } from '../ui/stored-record';

/** One solved exercise. */
export interface SolvedEntry {
  chapter: string;
  title: string;
  /** When it was first solved (ISO date). */
  at: string;
}

/** The solved exercises recorded in this browser (empty when storage is blocked or damaged). */
export function readSolved(): Record<string, SolvedEntry> {
  return readStoredRecord(SOLVED_KEY, (v) => {
    const e = v as Partial<SolvedEntry> | null;
    return e && typeof e.chapter === 'string' && typeof e.title === 'string'
      ? { chapter: e.chapter, title: e.title, at: String(e.at ?? '') }
      : undefined;
  });
}

/** Record an exercise as solved; false when storage is unavailable. */
export function markSolved(id: string, chapter: string, title: string): boolean {
  const all = readSolved();
  if (all[id]) return true;
  all[id] = { chapter, title, at: new Date().toISOString() };
  try {
    localStorage.setItem(SOLVED_KEY, JSON.stringify(all));
  } catch {
    return false;
  }
  dispatchEvent(new CustomEvent(SOLVED_EVENT));
  return true;
}
