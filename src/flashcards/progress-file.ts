/** Export and import of flashcard progress as a JSON file (a backup, or a move to another device). */
import type { Card } from 'ts-fsrs';
import { z } from 'zod';
import { byTime, validReview, validSettings, type ReviewRecord, type Settings } from './records';
import { STATE_NAMES } from './scheduler';

export const PROGRESS_FORMAT = 'attention-notebook-flashcards';
export const PROGRESS_VERSION = 1;
/** Larger files are refused before reading (a progress file of 100 000 reviews is about 10 MB). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export interface ProgressFile {
  format: typeof PROGRESS_FORMAT;
  version: typeof PROGRESS_VERSION;
  exportedAt: string;
  note: string;
  settings: Settings;
  reviews: Omit<ReviewRecord, 'id'>[];
  /** Card states at export time, for people reading the file; import recomputes them from `reviews`. */
  cards: Record<
    string,
    { state: string; due: string; stability: number; difficulty: number; reps: number; lapses: number }
  >;
}

/** The progress file: every review (the source of truth), settings, and the card states for reference. */
export function exportProgress(input: {
  reviews: readonly ReviewRecord[];
  states: ReadonlyMap<string, Card>;
  settings: Settings;
  now: number;
}): string {
  const cards: ProgressFile['cards'] = {};
  for (const [id, c] of [...input.states].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    cards[id] = {
      state: STATE_NAMES[c.state as 0 | 1 | 2 | 3],
      due: c.due.toISOString(),
      stability: c.stability,
      difficulty: c.difficulty,
      reps: c.reps,
      lapses: c.lapses,
    };
  }
  const file: ProgressFile = {
    format: PROGRESS_FORMAT,
    version: PROGRESS_VERSION,
    exportedAt: new Date(input.now).toISOString(),
    note: 'Flashcard progress from Attention Notebook. On import, card states are recomputed from the reviews.',
    settings: input.settings,
    reviews: [...input.reviews]
      .sort(byTime)
      .map(({ card, at, grade, state, cram }) =>
        cram ? { card, at, grade, state, cram } : { card, at, grade, state },
      ),
    cards,
  };
  return JSON.stringify(file, null, 1);
}

/** A file name like attention-notebook-flashcards-2025-03-01.json (local date). */
export function progressFileName(now: number): string {
  const d = new Date(now);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${PROGRESS_FORMAT}-${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}.json`;
}

/**
 * What makes a file a progress file: our format name, our version and a list of reviews. Each review
 * and the settings are checked on their own (records.ts), so one bad entry does not refuse the file.
 */
const progressFileSchema = z.object({
  format: z.literal(PROGRESS_FORMAT),
  version: z.literal(PROGRESS_VERSION),
  reviews: z.array(z.unknown()),
  settings: z.unknown().optional(), // zod 4 makes even unknown() keys required: a file may leave settings out
});

export type ParsedProgress =
  | { ok: true; reviews: ReviewRecord[]; settings: Settings | null; skipped: number }
  | { ok: false; message: string };

/**
 * Read a progress file. A file that is not one is refused whole with a message saying why; inside a
 * good file, entries that are not valid reviews are skipped and counted, and the rest is kept.
 */
export function parseProgress(text: string, now: number): ParsedProgress {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return {
      ok: false,
      message:
        'This file is not valid JSON, so nothing was imported. Choose a progress file exported from this page.',
    };
  }
  const file = progressFileSchema.safeParse(raw);
  if (!file.success) {
    const at = new Set(file.error.issues.map((i) => String(i.path[0] ?? '')));
    const f = raw as Partial<ProgressFile>;
    const message =
      at.has('') || at.has('format')
        ? 'This file is not an Attention Notebook flashcards export, so nothing was imported. Choose a progress file exported from this page.'
        : at.has('version')
          ? `This file has format version ${JSON.stringify(f.version)}, which this page cannot read (it reads version ${PROGRESS_VERSION}); nothing was imported.`
          : 'This file has no list of reviews, so nothing was imported.';
    return { ok: false, message };
  }
  const f = file.data;
  const byId = new Map<string, ReviewRecord>();
  let skipped = 0;
  for (const entry of f.reviews) {
    const r = validReview(entry, now);
    if (r) byId.set(r.id, r);
    else skipped++;
  }
  return {
    ok: true,
    reviews: [...byId.values()].sort(byTime),
    settings: validSettings(f.settings),
    skipped,
  };
}

/** The reviews of `incoming` that `existing` lacks (reviews are identified by card and time). */
export function newReviews(existing: ReadonlySet<string>, incoming: readonly ReviewRecord[]): ReviewRecord[] {
  return incoming.filter((r) => !existing.has(r.id));
}
