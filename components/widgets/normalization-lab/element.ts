/** The <normalization-lab> custom element: reads the forms, calls src/lib, fills tables and charts. */
import {
  batchNorm,
  createBatchNormState,
  layerNorm,
  minMaxNormalize,
  zScore,
  type BatchNormState,
} from '../../../src/lib/normalization';
import { earlyStopping } from '../../../src/lib/regularization';
import { drawCurves, drawRidge, drawScatter, drawWeights } from './chart';
import {
  NORM_RULES,
  batchStatus,
  readEarlyStopping,
  readNormOptions,
  scalingSummary,
  type FieldText,
} from './forms';
import {
  FEATURES,
  ROWS,
  SEED,
  batches,
  earlyStoppingSummary,
  fitRidge,
  formatRows,
  generateData,
  lambdaFromSlider,
  parseRows,
  ridgeData,
  syntheticCurves,
} from './model';
import { headRow } from '../shared/dom';
import { fmt, parseNumber } from '../shared/parse';
import { WidgetElement } from '../shared/widget-element';
import { integerExtra } from '../shared/share-state';
import { fillBatchNormTable, fillLayerNormTable, fillScalingTable, labelledRow } from './tables';

/** The chapter's early-stopping example. */
const CHAPTER_VAL = [2.1, 1.85, 1.72, 1.68, 1.69, 1.7, 1.71];
const RIDGE = ridgeData(7);

class NormalizationLab extends WidgetElement {
  private data: number[][] = [];
  private batchIndex = 0;
  /** Batches fed to the running statistics since they were last reset (shared in links). */
  private batchesRun = 0;
  private running: BatchNormState = createBatchNormState(FEATURES.length);
  private train: number[] | null = null;

  connectedCallback() {
    this.listen(this, 'input', (e) => this.handleInput(e));
    this.listen(this, 'click', (e) => this.handleClick(e));
    this.listen(this, 'submit', (e) => e.preventDefault());
    try {
      this.train = JSON.parse(this.dataset.train ?? 'null') as number[] | null;
    } catch {
      this.train = null;
    }
    this.renderData();
    this.renderL2();
    this.renderEarlyStopping();
    const affine = FEATURES.flatMap((_, j) => [`gamma${j}`, `beta${j}`]);
    const fields = [
      'seed',
      'rows',
      'data',
      'method',
      'batch',
      'mode',
      'momentum',
      ...affine,
      'degree',
      'lambda',
    ];
    // The extra: batches fed to the running statistics, replayed on load.
    this.shareState(
      [...fields, 'lambda-typed', 'val', 'patience', 'min-delta'],
      integerExtra(
        1,
        1000,
        () => this.batchesRun || undefined,
        (n) => {
          for (let i = 0; i < n; i++) this.nextBatch();
        },
      ),
    );
  }

  /** Show or clear a part's message; mark the offending field. */
  private message(part: string, text: string, invalid: HTMLElement[] = []) {
    const p = this.find<HTMLElement>(`.message[data-for="${part}"]`);
    p.hidden = !text;
    p.textContent = text;
    this.find(`form[data-part="${part}"]`)
      .querySelectorAll('input, textarea, select')
      .forEach((el) => el.setAttribute('aria-invalid', String(invalid.includes(el as HTMLElement))));
  }

  private handleInput(e: Event) {
    const form = (e.target as HTMLElement).closest('form');
    const part = form?.dataset.part;
    if (part === 'data') {
      const name = (e.target as HTMLElement).getAttribute('name');
      if (name === 'data') this.resetRunning();
      this.renderData();
      if (name === 'seed' || name === 'rows') this.checkGenerator();
    } else if (part === 'norm') {
      if ((e.target as HTMLElement).getAttribute('name') === 'batch') this.resetRunning();
      this.renderNorm();
    } else if (part === 'l2') {
      const t = e.target as HTMLInputElement;
      if (t.name === 'lambda') this.field('lambda-typed').value = String(lambdaFromSlider(Number(t.value)));
      this.renderL2();
    } else if (part === 'es') {
      if ((e.target as HTMLElement).getAttribute('name') === 'val') this.train = null;
      this.renderEarlyStopping();
    }
  }

  private handleClick(e: Event) {
    const action = (e.target as HTMLElement).closest<HTMLElement>('[data-action]')?.dataset.action;
    if (action) this.stateChanged(); // buttons rewrite fields without input events
    if (action === 'generate') this.generate();
    else if (action === 'next-batch') this.nextBatch();
    else if (action === 'reset-running') {
      this.resetRunning();
      this.renderNorm();
    } else if (action === 'synthetic' || action === 'chapter') {
      const seed = parseNumber(this.field('seed').value, SEED);
      const curves = syntheticCurves(seed.ok ? seed.value : 1);
      this.train = action === 'synthetic' ? curves.train : null;
      this.find<HTMLTextAreaElement>('textarea[name="val"]').value = (
        action === 'synthetic' ? curves.val : CHAPTER_VAL
      ).join(', ');
      if (action === 'chapter') this.field('patience').value = '3';
      this.renderEarlyStopping();
    }
  }

  private resetRunning() {
    this.running = createBatchNormState(FEATURES.length);
    this.batchIndex = 0;
    this.batchesRun = 0;
  }

  /* ---------- part 1: data and scaling ---------- */

  /** Say at once when a typed seed or row count is out of range (Generate would refuse it). */
  private checkGenerator(): boolean {
    const seed = parseNumber(this.field('seed').value, SEED);
    const rows = parseNumber(this.field('rows').value, ROWS);
    if (seed.ok && rows.ok) return true;
    this.message('data', seed.ok ? (rows as { message: string }).message : seed.message, [
      this.field(seed.ok ? 'rows' : 'seed'),
    ]);
    return false;
  }

  private generate() {
    if (!this.checkGenerator()) return;
    const seed = parseNumber(this.field('seed').value, SEED);
    const rows = parseNumber(this.field('rows').value, ROWS);
    if (!seed.ok || !rows.ok) return;
    this.find<HTMLTextAreaElement>('textarea[name="data"]').value = formatRows(
      generateData(seed.value, rows.value),
    );
    this.resetRunning();
    this.renderData();
  }

  private renderData() {
    const area = this.find<HTMLTextAreaElement>('textarea[name="data"]');
    const parsed = parseRows(area.value);
    if (!parsed.ok) {
      this.data = [];
      this.message('data', parsed.message, [area]);
      this.renderNorm();
      return;
    }
    this.message('data', '');
    this.data = parsed.value;
    const cols = FEATURES.map((_, j) => this.data.map((r) => r[j])); // (3, N)
    const mm = cols.map((c) => minMaxNormalize(c));
    const zs = cols.map((c) => zScore(c));
    fillScalingTable(this.find('table.scaling'), this.data, mm, zs);
    const method = this.find<HTMLSelectElement>('select[name="method"]').value;
    const scaled = this.data.map((_, i) => (method === 'minmax' ? mm : zs).map((s) => s.output[i]));
    drawScatter(
      this.find('svg.scatter'),
      this.data,
      scaled,
      method === 'minmax' ? 'min-max to [0, 1]' : 'z-score',
    );
    this.find('.stats').textContent = scalingSummary(mm, zs);
    this.renderNorm();
  }

  /* ---------- part 2: batch norm vs layer norm ---------- */

  /** The typed text of the named fields. */
  private texts(names: readonly string[]): FieldText {
    return Object.fromEntries(names.map((n) => [n, this.field<HTMLInputElement>(n).value]));
  }

  /** Batch norm's settings from the form, or the bad field (to mark) and why. */
  private normOptions() {
    const o = readNormOptions(this.texts(Object.keys(NORM_RULES)));
    if (!o.ok) return { ok: false as const, message: o.message, field: this.field(o.field) };
    const training = this.find<HTMLInputElement>('input[name="mode"]:checked').value === 'train';
    return { ...o, training };
  }

  private currentBatch(size: number): number[][] {
    const all = batches(this.data, size);
    return all[this.batchIndex % Math.max(1, all.length)] ?? [];
  }

  private nextBatch() {
    const o = this.normOptions();
    if (!o.ok || this.data.length === 0) return this.renderNorm();
    const batch = this.currentBatch(o.size);
    if (batch.length >= 2) {
      this.running = batchNorm(batch, this.running, {
        training: true,
        momentum: o.momentum,
        gamma: o.gamma,
        beta: o.beta,
      }).state;
    }
    this.batchIndex = (this.batchIndex + 1) % batches(this.data, o.size).length;
    this.batchesRun += 1;
    this.renderNorm();
    this.find<HTMLElement>('.batch-status').textContent =
      (batch.length >= 2
        ? 'Running statistics updated with the batch’s mean and unbiased variance. '
        : 'That batch had one row and was skipped (PyTorch raises an error for it in training). ') +
      this.find<HTMLElement>('.batch-status').textContent;
  }

  private renderNorm() {
    const bn = this.find('table.bn');
    const ln = this.find('table.ln');
    const status = this.find<HTMLElement>('.batch-status');
    const clear = () =>
      [bn, ln].forEach((t) => t.querySelectorAll('thead, tbody, tfoot').forEach((e) => e.replaceChildren()));
    if (this.data.length === 0) {
      clear();
      status.textContent = 'No data: fix the data set above.';
      this.message('norm', '');
      return;
    }
    const o = this.normOptions();
    if (!o.ok) {
      clear();
      status.textContent = '';
      this.message('norm', o.message, [o.field]);
      return;
    }
    const all = batches(this.data, o.size);
    this.batchIndex %= all.length;
    const batch = all[this.batchIndex];
    const first = this.batchIndex * o.size;
    const at = {
      index: this.batchIndex,
      count: all.length,
      first,
      length: batch.length,
      training: o.training,
    };
    status.textContent = batchStatus(at, this.running);
    if (o.training && batch.length < 2) {
      this.message(
        'norm',
        `Batch ${this.batchIndex + 1} has a single row: batch norm in training mode needs at least 2 rows per batch (PyTorch raises an error). Switch to eval mode, or change the batch size.`,
        [this.field('batch')],
      );
      bn.querySelectorAll('tbody, tfoot').forEach((el) => el.replaceChildren());
    } else {
      this.message('norm', '');
      const { gamma, beta, momentum, training } = o;
      fillBatchNormTable(
        bn,
        batchNorm(batch, this.running, { training, momentum, gamma, beta }),
        first,
        training,
      );
    }
    fillLayerNormTable(ln, layerNorm(batch, { gamma: o.gamma, beta: o.beta }), first);
  }

  /* ---------- part 3: L2 ---------- */

  private renderL2() {
    const typed = this.field('lambda-typed');
    const r = parseNumber(typed.value, { label: 'λ', min: 0, max: 10 });
    const out = this.find<HTMLOutputElement>('output[name="lambda-out"]');
    if (!r.ok) {
      this.message('l2', r.message, [typed]);
      return;
    }
    this.message('l2', '');
    const lambda = r.value;
    out.textContent = String(lambda);
    const degree = Number(this.find<HTMLSelectElement>('select[name="degree"]').value);
    const fit = fitRidge(RIDGE.x, RIDGE.y, degree, lambda);
    drawRidge(this.find('svg.ridge'), RIDGE, fit.weights);
    drawWeights(this.find('svg.weights'), fit.weights);
    this.find('table.l2-weights thead').replaceChildren(headRow(['weight', 'value']));
    this.find('table.l2-weights tbody').replaceChildren(
      ...fit.weights.map((w, k) => labelledRow(`w${k}`, [fmt(w, 4)])),
    );
    this.find('.l2-summary').textContent =
      `λ = ${lambda}: training MSE ${fmt(fit.mse, 4)}, Σ w_k² = ${fmt(fit.sumSquares, 4)}, ` +
      `penalty λ·Σ w_k² = ${fmt(fit.penalty, 4)}, largest |w_k| = ${fmt(Math.max(...fit.weights.slice(1).map(Math.abs)), 4)}.`;
  }

  /* ---------- part 4: early stopping ---------- */

  private renderEarlyStopping() {
    const read = readEarlyStopping(this.texts(['val', 'patience', 'min-delta']));
    if (!read.ok) {
      this.message('es', read.message, [this.field(read.field)]);
      return;
    }
    this.message('es', '');
    const { val, patience, minDelta } = read;
    const train = this.train && this.train.length === val.length ? this.train : null;
    const es = earlyStopping(val, { patience, minDelta });
    drawCurves(this.find('svg.curves'), train, val, es.bestEpoch, es.stoppedEpoch);
    this.find('.es-summary').textContent = earlyStoppingSummary(es, patience, minDelta, val.length);
  }
}

customElements.define('normalization-lab', NormalizationLab);
