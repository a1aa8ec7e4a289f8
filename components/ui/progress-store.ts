/** Reading progress kept in localStorage: how far each chapter was read and which was read last. */
import { readStoredRecord } from './stored-record';
export interface ChapterProgress {
  /** Furthest scroll position reached, 0–100 (percent of the article). */
  percent: number;
  /** Chapter title, for the "where you left off" link. */
  title: string;
  /** Chapter URL. */
  href: string;
  /** When it was last read, ms since the epoch. */
  at: number;
}

const KEY = 'an-reading-progress';

/** Read all chapter progress; corrupt or foreign data yields an empty record instead of a crash. */
export function loadProgress(): Record<string, ChapterProgress> {
  return readStoredRecord(KEY, (v) => {
    const p = v as Partial<ChapterProgress> | null;
    return typeof p?.percent === 'number' &&
      typeof p.title === 'string' &&
      typeof p.href === 'string' &&
      typeof p.at === 'number'
      ? { percent: Math.min(100, Math.max(0, p.percent)), title: p.title, href: p.href, at: p.at }
      : undefined;
  });
}

/** Record progress for one chapter, keeping the furthest point reached. Storage errors are ignored. */
export function saveProgress(id: string, entry: ChapterProgress): void {
  const all = loadProgress();
  const prev = all[id];
  all[id] = { ...entry, percent: Math.max(entry.percent, prev?.percent ?? 0) };
  try {
    localStorage.setItem(KEY, JSON.stringify(all));
  } catch {
    // Private mode or full storage: progress simply is not remembered.
  }
}

/** The most recently read chapter, if any. */
export function lastRead(): (ChapterProgress & { id: string }) | undefined {
  const entries = Object.entries(loadProgress()).sort((a, b) => b[1].at - a[1].at);
  return entries.length ? { id: entries[0][0], ...entries[0][1] } : undefined;
}
