/**
 * <activation-explorer>: plots an activation from src/lib/activations.ts and its derivative, with a
 * keyboard- and pointer-driven cursor that reads f(x) and f′(x), shaded vanishing-gradient regions,
 * and a softmax (src/lib/softmax.ts) of an editable vector at a chosen temperature.
 */
import { softmax } from '../../../src/lib/softmax';
import {
  X_MAX,
  X_MIN,
  activation,
  activations,
  describeIntervals,
  RULES,
  SCORES,
  vanishingIntervals,
  type FunctionId,
} from './model';
import { ActivationPlot, drawSoftmaxBars } from './plot';
import { textRow } from '../shared/dom';
import { mirrorNumberSlider } from '../shared/number-slider';
import { READOUT, fmt, parseNumber, parseNumberList } from '../shared/parse';
import { WidgetElement } from '../shared/widget-element';

export class ActivationExplorer extends WidgetElement {
  private plot: ActivationPlot | null = null;
  connectedCallback() {
    this.querySelectorAll('form').forEach((f) => {
      this.watchForm((e) => this.handleInput(e), f);
      this.listen(f, 'change', (e) => this.handleInput(e));
    });
    const svg = this.querySelector<SVGSVGElement>('svg.plot');
    if (svg) {
      this.plot = new ActivationPlot(svg);
      this.listen<PointerEvent>(svg, 'pointermove', (e) => this.handlePointer(e));
      this.listen<PointerEvent>(svg, 'pointerdown', (e) => this.handlePointer(e));
    }
    this.listen(document, 'themechange', () => this.renderPlot());
    this.renderPlot();
    this.renderSoftmax();
    this.shareState(['function', 'slope', 'derivative', 'threshold', 'x', 'logits', 'temperature']);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.plot = null;
  }

  private handleInput(e: Event) {
    mirrorNumberSlider(this, e.target);
    const name = (e.target as HTMLInputElement | null)?.name ?? '';
    if (name === 'logits' || name.startsWith('temperature')) this.renderSoftmax();
    else this.renderPlot();
  }

  /** Hover (or touch) moves the cursor to the x under the pointer. */
  private handlePointer(e: PointerEvent) {
    const x = this.plot?.xAt(e);
    if (x === null || x === undefined) return;
    this.field('x').value = String(x);
    this.field('x-slider').value = String(x);
    this.renderPlot();
  }

  /** Read and validate one number field by its rule in RULES: mark it, and return its value or null (message kept). */
  private check(name: keyof typeof RULES, errors: string[]): number | null {
    const f = this.field(name);
    const read = parseNumber(f.value, RULES[name]);
    f.setAttribute('aria-invalid', String(!read.ok));
    if (!read.ok) {
      errors.push(read.message);
      return null;
    }
    return read.value;
  }

  /** Show a part's messages (or hide the line when there are none) and mark its output stale while any stand. */
  private showErrors(part: 'plot' | 'softmax', errors: string[]) {
    const message = this.find(`.${part}-message`);
    message.hidden = errors.length === 0;
    message.textContent = errors.join(' ');
    this.find(`.${part}-output`).toggleAttribute('data-stale', errors.length > 0);
  }

  private renderPlot() {
    if (!this.plot) return;
    const errors: string[] = [];
    const x = this.check('x', errors);
    const slope = this.check('slope', errors);
    const threshold = this.check('threshold', errors);
    this.showErrors('plot', errors);
    if (x === null || slope === null || threshold === null) return;

    const id = this.field<HTMLSelectElement>('function').value as FunctionId;
    const fn = activation(id, slope);
    const showDerivative = this.field('derivative').checked;
    const intervals = vanishingIntervals(fn.df, threshold);
    this.plot.draw({ fn, showDerivative, intervals, cursor: x });
    const fx = fn.f(x);
    const dfx = fn.df(x);
    const vanishes = Math.abs(dfx) < threshold;
    this.find('.readout').textContent =
      `${fn.label} at x = ${x}: f(x) = ${fmt(fx, READOUT)}, f′(x) = ${fmt(dfx, READOUT)}. ` +
      (vanishes
        ? `The gradient vanishes here (|f′(x)| < ${threshold}): almost nothing flows back through this unit.`
        : `The gradient passes (|f′(x)| ≥ ${threshold}).`);
    this.find('.vanish-note').textContent = `${fn.label}: ${describeIntervals(intervals, threshold)}`;
    this.find('svg.plot').setAttribute(
      'aria-label',
      `Plot of ${fn.label}${showDerivative ? ' and its derivative' : ''} from x = ${X_MIN} to ${X_MAX}, ` +
        `with the cursor at x = ${x}. Shaded: ${describeIntervals(intervals, threshold)}`,
    );
    this.find('.compare caption').textContent = `Every activation at x = ${x}`;
    this.find('.compare tbody').replaceChildren(
      ...activations(slope).map((a) =>
        textRow([a.label, fmt(a.f(x), READOUT), fmt(a.df(x), READOUT)], {
          className: a.id === id ? 'current' : undefined,
          rowHeader: true,
        }),
      ),
    );
  }

  private renderSoftmax() {
    const errors: string[] = [];
    const logitsField = this.field('logits');
    const parsed = parseNumberList(logitsField.value, SCORES);
    if (!parsed.ok) errors.push(parsed.message);
    const logits = parsed.ok ? parsed.value : null;
    logitsField.setAttribute('aria-invalid', String(logits === null));
    const t = this.check('temperature', errors);
    this.showErrors('softmax', errors);
    if (logits === null || t === null) return;

    const { scaled, weights } = softmax(logits, t);
    const svg = this.find<SVGSVGElement>('svg.bars');
    drawSoftmaxBars(svg, logits, weights);
    const top = weights.indexOf(Math.max(...weights));
    svg.setAttribute(
      'aria-label',
      `Bar chart of the softmax probabilities at temperature ${t}; the largest is entry ${top + 1}.`,
    );
    this.find('.softmax-table tbody').replaceChildren(
      ...logits.map((z, i) =>
        textRow([String(i + 1), String(z), fmt(scaled[i], READOUT), weights[i].toFixed(4)], {
          rowHeader: true,
        }),
      ),
    );
    const sum = weights.reduce((a, b) => a + b, 0);
    this.find('.softmax-sum').textContent =
      `At temperature ${t}, entry ${top + 1} gets ${(weights[top] * 100).toFixed(1)} % of the probability; ` +
      `the ${logits.length} probabilities sum to ${sum.toFixed(6)}.` +
      (t < 1
        ? ' A temperature below 1 sharpens the distribution.'
        : t > 1
          ? ' A temperature above 1 flattens it.'
          : '');
  }
}

if (!customElements.get('activation-explorer'))
  customElements.define('activation-explorer', ActivationExplorer);
