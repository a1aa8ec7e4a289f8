/**
 * What the lab's batch-norm and early-stopping forms say, without the DOM: the typed text of each field
 * read against its rule (the first bad field is named with the shared wording), and the sentences the
 * lab shows about the data and the running statistics. Unit-tested in tests/unit/widgets/normalization-forms.test.ts.
 */
import type { BatchNormState, MinMaxStages, ZScoreStages } from '../../../src/lib/normalization';
import { fmt, parseFields, parseNumberList, type NumberRule } from '../shared/parse';
import { FEATURES, MAX_ROWS } from './model';

/** The typed text of a form's fields, keyed by field name. */
export type FieldText = Readonly<Record<string, string>>;

/** A form that does not read: the field to mark and why. */
export interface FieldProblem {
  ok: false;
  field: string;
  message: string;
}

/** Batch norm's settings: batch size, momentum, and the affine γ, β per feature. */
export interface NormOptions {
  ok: true;
  size: number;
  momentum: number;
  gamma: number[];
  beta: number[];
}

/** Each batch-norm field's rule, in the order the form shows them (batch, momentum, every γ, every β). */
export const NORM_RULES: Readonly<Record<string, NumberRule>> = {
  batch: { label: 'Batch size', min: 2, max: MAX_ROWS, integer: true },
  momentum: { label: 'Momentum', min: 0, max: 1 },
  ...Object.fromEntries(
    FEATURES.map((f, j) => [`gamma${j}`, { label: `γ of ${f.name}`, min: -100, max: 100 }]),
  ),
  ...Object.fromEntries(
    FEATURES.map((f, j) => [`beta${j}`, { label: `β of ${f.name}`, min: -100, max: 100 }]),
  ),
};

/** Read the batch-norm form; the first bad field (in form order) is named. */
export function readNormOptions(text: FieldText): NormOptions | FieldProblem {
  const raw = Object.fromEntries(Object.keys(NORM_RULES).map((k) => [k, text[k] ?? '']));
  const r = parseFields(raw, NORM_RULES);
  if (!r.ok) return r;
  const v = r.value;
  return {
    ok: true,
    size: v.batch,
    momentum: v.momentum,
    gamma: FEATURES.map((_, j) => v[`gamma${j}`]),
    beta: FEATURES.map((_, j) => v[`beta${j}`]),
  };
}

/** The early-stopping form's fields' rules (the losses are a list, read first). */
const ES_RULES = {
  patience: { label: 'Patience', min: 1, max: 100, integer: true },
  'min-delta': { label: 'min_delta', min: 0, max: 10 },
} satisfies Record<string, NumberRule>;

/** Early stopping's inputs: the validation losses, patience and min_delta. */
export interface EarlyStoppingInputs {
  ok: true;
  val: number[];
  patience: number;
  minDelta: number;
}

/** Read the early-stopping form (fields val, patience, min-delta); the first bad field is named. */
export function readEarlyStopping(text: FieldText): EarlyStoppingInputs | FieldProblem {
  const val = parseNumberList(text.val ?? '', { label: 'Validation losses', maxCount: 500 });
  if (!val.ok) return { ok: false, field: 'val', message: val.message };
  const r = parseFields({ patience: text.patience ?? '', 'min-delta': text['min-delta'] ?? '' }, ES_RULES);
  if (!r.ok) return r;
  return { ok: true, val: val.value, patience: r.value.patience, minDelta: r.value['min-delta'] };
}

/** The line under the scaling table: each feature's min, max, mean and std, and which are constant. */
export function scalingSummary(
  minMax: readonly Pick<MinMaxStages, 'min' | 'max' | 'constant'>[],
  zScores: readonly Pick<ZScoreStages, 'mean' | 'std'>[],
): string {
  const each = FEATURES.map(
    (f, j) =>
      `${f.name}: min ${minMax[j].min}, max ${minMax[j].max}, mean ${fmt(zScores[j].mean, 4)}, std ${fmt(zScores[j].std, 4)}`,
  );
  const constant = FEATURES.filter((_, j) => minMax[j].constant).map((f) => f.name);
  const note = constant.length
    ? ` ${constant.join(', ')} is constant: min-max maps it to 0 and its z-score is 0 (no spread to divide by).`
    : '';
  return `${each.join('; ')}.${note}`;
}

/** Where the batch walk is: which batch of how many, its rows, the mode, and the running statistics. */
export function batchStatus(
  at: { index: number; count: number; first: number; length: number; training: boolean },
  run: BatchNormState,
): string {
  const n = run.numBatchesTracked;
  const state = `Running mean (${run.runningMean.map((v) => fmt(v, 4)).join(', ')}), running var (${run.runningVar
    .map((v) => fmt(v, 4))
    .join(', ')}) after ${n} training batch${n === 1 ? '' : 'es'}.`;
  const rows = `rows ${at.first + 1}–${at.first + at.length}`;
  return `Batch ${at.index + 1} of ${at.count} (${rows}), ${at.training ? 'training' : 'eval'} mode. ${state}`;
}
