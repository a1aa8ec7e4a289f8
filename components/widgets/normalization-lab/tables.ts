/**
 * The lab's number tables (scaling, batch norm, layer norm) built from src/lib's results. Every value goes
 * in as text (shared/dom.ts); the element decides what to compute and when.
 */
import type { BatchNormStages, LayerNormStages } from '../../../src/lib/normalization';
import { headRow, textRow, type CellText } from '../shared/dom';
import { fmt } from '../shared/parse';
import { FEATURES } from './model';

const NAMES = FEATURES.map((f) => f.name);

/** A row headed by `first` (a row header), then `values` as data cells. */
export const labelledRow = (first: string, values: readonly CellText[], cls?: string) =>
  textRow([first, ...values], { className: cls, rowHeader: true });

/** The (N, 3) data with each column min-max scaled and z-scored (one row per data row). */
export function fillScalingTable(
  table: Element,
  data: readonly number[][],
  minMax: readonly { output: number[] }[],
  zScores: readonly { output: number[] }[],
): void {
  table
    .querySelector('thead')
    ?.replaceChildren(
      headRow(['row', ...NAMES, ...NAMES.map((n) => `min-max ${n}`), ...NAMES.map((n) => `z-score ${n}`)]),
    );
  table
    .querySelector('tbody')
    ?.replaceChildren(
      ...data.map((r, i) =>
        labelledRow(String(i + 1), [
          ...r.map((v) => String(v)),
          ...minMax.map((m) => fmt(m.output[i])),
          ...zScores.map((z) => fmt(z.output[i])),
        ]),
      ),
    );
}

/** Batch norm's output rows (numbered from `first` + 1) and its mean and variance in the footer. */
export function fillBatchNormTable(
  table: Element,
  bn: BatchNormStages,
  first: number,
  training: boolean,
): void {
  table.querySelector('thead')?.replaceChildren(headRow(['row', ...NAMES.map((n) => `BN ${n}`)]));
  table.querySelector('tbody')?.replaceChildren(
    ...bn.output.map((r, i) =>
      labelledRow(
        String(first + i + 1),
        r.map((v) => fmt(v)),
      ),
    ),
  );
  const stats: [string, number[]][] = training
    ? [
        ['batch mean', bn.mean],
        ['batch var (biased)', bn.variance],
      ]
    : [
        ['running mean', bn.mean],
        ['running var', bn.variance],
      ];
  table.querySelector('tfoot')?.replaceChildren(
    ...stats.map(([label, values]) =>
      labelledRow(
        label,
        values.map((v) => fmt(v, 4)),
        'stat',
      ),
    ),
  );
}

/** Layer norm's output rows (numbered from `first` + 1), each with its own mean and variance. */
export function fillLayerNormTable(table: Element, ln: LayerNormStages, first: number): void {
  table
    .querySelector('thead')
    ?.replaceChildren(headRow(['row', ...NAMES.map((n) => `LN ${n}`), 'row mean', 'row var']));
  table
    .querySelector('tbody')
    ?.replaceChildren(
      ...ln.output.map((r, i) =>
        labelledRow(String(first + i + 1), [
          ...r.map((v) => fmt(v)),
          { text: fmt(ln.mean[i], 4), className: 'stat' },
          { text: fmt(ln.variance[i], 4), className: 'stat' },
        ]),
      ),
    );
}
