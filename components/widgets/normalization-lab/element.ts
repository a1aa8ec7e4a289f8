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
  FEATURES,
  MAX_ROWS,
  MIN_ROWS,
  batches,
  fitRidge,
  fmt,
  formatRows,
  generateData,
  lambdaFromSlider,
  parseNumberIn,
  parseRows,
  parseSeries,
  ridgeData,
  syntheticCurves,
} from './model';
import { headRow, tableCell, textRow } from '../shared/dom';
import { WidgetElement } from '../shared/widget-element';
import { integerExtra } from '../shared/share-state';

/** The chapter's early-stopping example. */
const CHAPTER_VAL = [2.1, 1.85, 1.72, 1.68, 1.69, 1.7, 1.71];
const RIDGE = ridgeData(7);

/** A row headed by `first` (a row header), then `values` as data cells. */
const row = (first: string, values: string[], cls?: string) =>
  textRow([first, ...values], { className: cls, rowHeader: true });

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
      const seed = parseNumberIn(this.field('seed').value, 'Seed', 0, 999999, { integer: true });
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
    const seed = parseNumberIn(this.field('seed').value, 'Seed', 0, 999999, { integer: true });
    const rows = parseNumberIn(this.field('rows').value, 'Rows', MIN_ROWS, MAX_ROWS, { integer: true });
    if (seed.ok && rows.ok) return true;
    this.message('data', seed.ok ? (rows as { message: string }).message : seed.message, [
      this.field(seed.ok ? 'rows' : 'seed'),
    ]);
    return false;
  }

  private generate() {
    if (!this.checkGenerator()) return;
    const seed = parseNumberIn(this.field('seed').value, 'Seed', 0, 999999, { integer: true });
    const rows = parseNumberIn(this.field('rows').value, 'Rows', MIN_ROWS, MAX_ROWS, { integer: true });
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
    const names = FEATURES.map((f) => f.name);
    this.find('table.scaling thead').replaceChildren(
      headRow(['row', ...names, ...names.map((n) => `min-max ${n}`), ...names.map((n) => `z-score ${n}`)]),
    );
    this.find('table.scaling tbody').replaceChildren(
      ...this.data.map((r, i) =>
        row(String(i + 1), [
          ...r.map((v) => String(v)),
          ...mm.map((m) => fmt(m.output[i])),
          ...zs.map((z) => fmt(z.output[i])),
        ]),
      ),
    );
    const method = this.find<HTMLSelectElement>('select[name="method"]').value;
    const scaled = this.data.map((_, i) => (method === 'minmax' ? mm : zs).map((s) => s.output[i]));
    drawScatter(
      this.find('svg.scatter'),
      this.data,
      scaled,
      method === 'minmax' ? 'min-max to [0, 1]' : 'z-score',
    );
    const constant = FEATURES.filter((_, j) => mm[j].constant).map((f) => f.name);
    this.find('.stats').textContent =
      FEATURES.map(
        (f, j) =>
          `${f.name}: min ${mm[j].min}, max ${mm[j].max}, mean ${fmt(zs[j].mean, 4)}, std ${fmt(zs[j].std, 4)}`,
      ).join('; ') +
      '.' +
      (constant.length
        ? ` ${constant.join(', ')} is constant: min-max maps it to 0 and its z-score is 0 (no spread to divide by).`
        : '');
    this.renderNorm();
  }

  /* ---------- part 2: batch norm vs layer norm ---------- */

  private normOptions():
    | { ok: true; size: number; training: boolean; momentum: number; gamma: number[]; beta: number[] }
    | { ok: false; message: string; field: HTMLElement } {
    const checks: [string, string, number, number, boolean][] = [
      ['batch', 'Batch size', 2, MAX_ROWS, true],
      ['momentum', 'Momentum', 0, 1, false],
      ...FEATURES.map((f, j): [string, string, number, number, boolean] => [
        `gamma${j}`,
        `γ of ${f.name}`,
        -100,
        100,
        false,
      ]),
      ...FEATURES.map((f, j): [string, string, number, number, boolean] => [
        `beta${j}`,
        `β of ${f.name}`,
        -100,
        100,
        false,
      ]),
    ];
    const values: number[] = [];
    for (const [name, label, lo, hi, integer] of checks) {
      const r = parseNumberIn(this.field(name).value, label, lo, hi, { integer });
      if (!r.ok) return { ok: false, message: r.message, field: this.field(name) };
      values.push(r.value);
    }
    const k = FEATURES.length;
    return {
      ok: true,
      size: values[0],
      momentum: values[1],
      gamma: values.slice(2, 2 + k),
      beta: values.slice(2 + k),
      training: this.find<HTMLInputElement>('input[name="mode"]:checked').value === 'train',
    };
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
    const bnHead = this.find('table.bn thead');
    const bnBody = this.find('table.bn tbody');
    const bnFoot = this.find('table.bn tfoot');
    const lnHead = this.find('table.ln thead');
    const lnBody = this.find('table.ln tbody');
    const status = this.find<HTMLElement>('.batch-status');
    const clear = () => [bnHead, bnBody, bnFoot, lnHead, lnBody].forEach((el) => el.replaceChildren());
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
    const names = FEATURES.map((f) => f.name);
    const run = this.running;
    const state = `Running mean (${run.runningMean.map((v) => fmt(v, 4)).join(', ')}), running var (${run.runningVar
      .map((v) => fmt(v, 4))
      .join(', ')}) after ${run.numBatchesTracked} training batch${run.numBatchesTracked === 1 ? '' : 'es'}.`;
    status.textContent = `Batch ${this.batchIndex + 1} of ${all.length} (rows ${first + 1}–${first + batch.length}), ${
      o.training ? 'training' : 'eval'
    } mode. ${state}`;
    if (o.training && batch.length < 2) {
      this.message(
        'norm',
        `Batch ${this.batchIndex + 1} has a single row: batch norm in training mode needs at least 2 rows per batch (PyTorch raises an error). Switch to eval mode, or change the batch size.`,
        [this.field('batch')],
      );
      [bnBody, bnFoot].forEach((el) => el.replaceChildren());
    } else {
      this.message('norm', '');
      const bn = batchNorm(batch, run, {
        training: o.training,
        momentum: o.momentum,
        gamma: o.gamma,
        beta: o.beta,
      });
      bnHead.replaceChildren(headRow(['row', ...names.map((n) => `BN ${n}`)]));
      bnBody.replaceChildren(
        ...bn.output.map((r, i) =>
          row(
            String(first + i + 1),
            r.map((v) => fmt(v)),
          ),
        ),
      );
      bnFoot.replaceChildren(
        row(
          o.training ? 'batch mean' : 'running mean',
          bn.mean.map((v) => fmt(v, 4)),
          'stat',
        ),
        row(
          o.training ? 'batch var (biased)' : 'running var',
          bn.variance.map((v) => fmt(v, 4)),
          'stat',
        ),
      );
    }
    const ln = layerNorm(batch, { gamma: o.gamma, beta: o.beta });
    lnHead.replaceChildren(headRow(['row', ...names.map((n) => `LN ${n}`), 'row mean', 'row var']));
    lnBody.replaceChildren(
      ...ln.output.map((r, i) => {
        const tr = row(
          String(first + i + 1),
          r.map((v) => fmt(v)),
        );
        tr.append(
          tableCell('td', { text: fmt(ln.mean[i], 4), className: 'stat' }),
          tableCell('td', { text: fmt(ln.variance[i], 4), className: 'stat' }),
        );
        return tr;
      }),
    );
  }

  /* ---------- part 3: L2 ---------- */

  private renderL2() {
    const typed = this.field('lambda-typed');
    const r = parseNumberIn(typed.value, 'λ', 0, 10);
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
      ...fit.weights.map((w, k) => row(`w${k}`, [fmt(w, 4)])),
    );
    this.find('.l2-summary').textContent =
      `λ = ${lambda}: training MSE ${fmt(fit.mse, 4)}, Σ w_k² = ${fmt(fit.sumSquares, 4)}, ` +
      `penalty λ·Σ w_k² = ${fmt(fit.penalty, 4)}, largest |w_k| = ${fmt(Math.max(...fit.weights.slice(1).map(Math.abs)), 4)}.`;
  }

  /* ---------- part 4: early stopping ---------- */

  private renderEarlyStopping() {
    const area = this.find<HTMLTextAreaElement>('textarea[name="val"]');
    const parsed = parseSeries(area.value, 'Validation losses');
    const patience = parseNumberIn(this.field('patience').value, 'Patience', 1, 100, { integer: true });
    const minDelta = parseNumberIn(this.field('min-delta').value, 'min_delta', 0, 10);
    const bad = !parsed.ok
      ? { m: parsed.message, f: area }
      : !patience.ok
        ? { m: patience.message, f: this.field('patience') }
        : !minDelta.ok
          ? { m: minDelta.message, f: this.field('min-delta') }
          : null;
    if (bad || !parsed.ok || !patience.ok || !minDelta.ok) {
      this.message('es', bad?.m ?? '', bad ? [bad.f] : []);
      return;
    }
    this.message('es', '');
    const val = parsed.value;
    const train = this.train && this.train.length === val.length ? this.train : null;
    const es = earlyStopping(val, { patience: patience.value, minDelta: minDelta.value });
    drawCurves(this.find('svg.curves'), train, val, es.bestEpoch, es.stoppedEpoch);
    const best = `Best epoch ${es.bestEpoch + 1} (validation loss ${es.bestValue}).`;
    this.find('.es-summary').textContent =
      es.stoppedEpoch !== null
        ? `${best} Epochs ${es.bestEpoch + 2}–${es.stoppedEpoch + 1} did not improve on it by more than min_delta = ${minDelta.value}: that is ${patience.value} = patience, so training stops after epoch ${es.stoppedEpoch + 1} and restores the weights of epoch ${es.bestEpoch + 1}.`
        : `${best} No stop: the last ${es.wait} epoch${es.wait === 1 ? '' : 's'} did not improve, fewer than patience = ${patience.value}; training runs all ${val.length} epochs.`;
  }
}

customElements.define('normalization-lab', NormalizationLab);
