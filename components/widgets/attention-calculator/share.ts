/**
 * The attention calculator's shared state beyond its form fields: the stage it shows and the embedding
 * cells the learner typed over. Pure (no DOM): the element reads and applies what these return.
 */
import type { Edits, StageId } from './model';

/** Every stage id a link may name (the element falls back to a valid one for the configuration). */
const STAGES: readonly StageId[] = [
  'embed',
  'project',
  'scores',
  'scale',
  'mask',
  'softmax',
  'sum',
  'hard',
  'concat',
  'out',
];

/** The form fields a link carries (the head select included). */
export const SHARED_FIELDS: readonly string[] = [
  'sentence',
  'dModel',
  'dk',
  'heads',
  'seed',
  'variant',
  'luong',
  'window',
  'causal',
  'scaled',
  'head',
];

/** The extra state as stored in a link: `s` the stage, `e` the edits as [token, [[column, value], …]]. */
export interface AttentionExtra {
  s?: StageId;
  e?: [string, [number, number][]][];
}

/** The extra state to share, or undefined when the stage is the initial one and nothing was edited. */
export function encodeAttentionExtra(
  stage: StageId,
  initialStage: StageId,
  edits: Edits,
): AttentionExtra | undefined {
  const out: AttentionExtra = {};
  if (stage !== initialStage) out.s = stage;
  const rows: [string, [number, number][]][] = [...edits]
    .filter(([, row]) => row.size > 0)
    .map(([token, row]) => [token, [...row]]);
  if (rows.length) out.e = rows;
  return out.s || out.e ? out : undefined;
}

/** Largest embedding column a link may edit (well above the widget's own d_model limit). */
const MAX_COLUMN = 64;

/** Read shared extra state back: the stage and edits, or null when `value` is not a valid one. */
export function decodeAttentionExtra(value: unknown): { stage: StageId | null; edits: Edits } | null {
  if (value === undefined) return { stage: null, edits: new Map() };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { s, e } = value as Record<string, unknown>;
  if (s !== undefined && !STAGES.includes(s as StageId)) return null;
  const edits: Edits = new Map();
  if (e !== undefined) {
    if (!Array.isArray(e)) return null;
    for (const entry of e as unknown[]) {
      if (
        !Array.isArray(entry) ||
        entry.length !== 2 ||
        typeof entry[0] !== 'string' ||
        !Array.isArray(entry[1])
      ) {
        return null;
      }
      const row = new Map<number, number>();
      for (const cell of entry[1] as unknown[]) {
        if (!Array.isArray(cell) || cell.length !== 2) return null;
        const [j, v] = cell as unknown[];
        if (!Number.isInteger(j) || (j as number) < 0 || (j as number) >= MAX_COLUMN) return null;
        if (typeof v !== 'number' || !Number.isFinite(v)) return null;
        row.set(j as number, v);
      }
      edits.set(entry[0], row);
    }
  }
  return { stage: (s as StageId | undefined) ?? null, edits };
}
