/** The <int8-quantization> element: quantizes the typed rows with src/lib/quantization.ts and shows every stage. */
import { quantizeInt8, type QuantMode } from '../../../src/lib/quantization';
import { drawErrors } from './chart';
import { meanSquaredError, parseRows, relativeError } from './model';
import { textRow } from '../shared/dom';
import { WidgetElement } from '../shared/widget-element';

/** Scales and errors are small: show 6 significant digits. */
const num = (x: number) => (x === 0 ? '0' : Math.abs(x) >= 1e-3 ? x.toFixed(6) : x.toExponential(3));

export class Int8Quantization extends WidgetElement {
  private lastWidth = 0;

  connectedCallback() {
    this.watchForm(() => this.render());
    this.redrawOnResize(
      () => Math.abs(this.chartWidth() - this.lastWidth) > 8,
      () => this.render(),
    );
    this.render();
    this.shareState(['weights', 'mode']);
  }

  /** The chart's width in CSS pixels, clamped to a legible range. */
  private chartWidth(): number {
    const w = this.querySelector('.chart')?.clientWidth ?? 640;
    return Math.round(Math.min(760, Math.max(280, w || 640)));
  }

  private render() {
    const textarea = this.querySelector<HTMLTextAreaElement>('textarea[name=weights]')!;
    const mode =
      (this.querySelector<HTMLSelectElement>('select[name=mode]')!.value as QuantMode) ?? 'per-tensor';
    const message = this.querySelector<HTMLElement>('.message')!;
    const parsed = parseRows(textarea.value);
    textarea.setAttribute('aria-invalid', String(!parsed.ok));
    message.hidden = parsed.ok;
    message.textContent = parsed.ok ? '' : parsed.message;
    if (!parsed.ok) return;
    const x = parsed.rows;
    const r = quantizeInt8(x, mode);
    const scaleOf = (i: number) => r.scales[r.scales.length === 1 ? 0 : i];
    const n = x.length * x[0].length;
    const scales =
      r.scales.length === 1
        ? `scale = max|w| / 127 = ${num(r.scales[0])}`
        : `scales (max|row| / 127) = ${r.scales.map(num).join(', ')}`;
    this.querySelector('.summary')!.textContent =
      `${scales}. Bytes: ${n} float32 weights take ${r.bytesBefore} bytes; ${n} int8 codes plus ` +
      `${r.scales.length} float32 ${r.scales.length === 1 ? 'scale' : 'scales'} take ${r.bytesAfter} bytes ` +
      `(${r.compression.toFixed(2)}× smaller). Largest error ${num(r.maxAbsError)}, mean error ${num(r.meanAbsError)}, mean squared error ${meanSquaredError(r.error).toExponential(2)}.`;
    drawErrors(
      this.querySelector('svg')!,
      r.error,
      x.map((_, i) => scaleOf(i) / 2),
      `Rounding error of each of the ${n} weights; the largest is ${num(r.maxAbsError)}, below half a step. The table lists every value.`,
      (this.lastWidth = this.chartWidth()),
    );
    const body = this.querySelector('tbody')!;
    body.replaceChildren(
      ...x.flatMap((row, i) =>
        row.map((w, j) => {
          const s = scaleOf(i);
          const rel = relativeError(w, r.error[i][j]);
          return textRow([
            String(i + 1),
            String(w),
            s === 0 ? '—' : (w / s).toFixed(3),
            String(r.q[i][j]),
            num(r.dequantized[i][j]),
            num(r.error[i][j]),
            rel === null ? '—' : `${(rel * 100).toFixed(1)} %`,
          ]);
        }),
      ),
    );
  }
}

if (!customElements.get('int8-quantization')) customElements.define('int8-quantization', Int8Quantization);
