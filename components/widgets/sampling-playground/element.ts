/** The <sampling-playground> element: reads the controls, samples with src/lib/sampling.ts, draws with d3. */
import { drawBars, type BarDatum } from './chart';
import {
  forwardFor,
  modelUrl,
  parseCharModel,
  type CharModel,
  type ForwardStages,
} from '../shared/char-model';
import {
  LIMITS,
  drawSamples,
  generate,
  readLabels,
  readLogits,
  readSettings,
  type FieldError,
} from './model';
import { isolate, isolatedList } from '../shared/bidi';
import { preparePrompt } from './prompt';
import { el, textRow } from '../shared/dom';
import { WidgetElement } from '../shared/widget-element';

/** Bars drawn (the most likely tokens) on a wide and a narrow screen; the table lists all. */
const MAX_BARS = 20;
const MAX_BARS_NARROW = 12;
/** Draws listed one by one in the "how" table. */
const FIRST_DRAWS = 8;
/** Draws written out as a sequence. */
const SEQ_CAP = 200;

/** A character as a label: the space as ␣. */
const show = (c: string) => (c === ' ' ? '␣' : c);
const pct = (p: number) => `${(p * 100).toFixed(1)} %`;

export class SamplingPlayground extends WidgetElement {
  private model: CharModel | null = null;
  private forward: ((prompt: string) => ForwardStages) | null = null;
  private loadError = '';
  private tokenCount = 35;
  private onInput = (e: Event) => {
    const t = e.target as HTMLInputElement;
    if (t.name === 'source') this.switchSource();
    this.render();
  };
  private onClick = (e: Event) => {
    const button = (e.target as HTMLElement).closest('button[data-action=reseed]');
    if (!button) return;
    const seed = this.field('seed');
    const current = Number(seed.value);
    seed.value = String(
      Number.isInteger(current) && current >= 0 && current < LIMITS.seed[1] ? current + 1 : 1,
    );
    this.render();
    this.stateChanged();
  };
  private lastWidth = 0;

  connectedCallback() {
    const form = this.watchForm(this.onInput);
    this.listen(form, 'click', this.onClick);
    this.listen(document, 'themechange', () => this.render());
    // Redraw the chart at its new width (text in the SVG stays at its real size).
    this.redrawOnResize(
      () => Math.abs(this.chartWidth() - this.lastWidth) > 8,
      () => this.render(),
    );
    void this.load();
    const fields = ['source', 'prompt', 'logits', 'labels', 'temperature', 'topK', 'topP', 'seed', 'draws'];
    this.shareState(fields);
  }

  /** The chart's width in CSS pixels, clamped to a legible range. */
  private chartWidth(): number {
    const w = this.querySelector('.chart')?.clientWidth ?? 640;
    return Math.round(Math.min(760, Math.max(280, w || 640)));
  }

  private async load() {
    try {
      const response = await fetch(modelUrl(this.dataset.base ?? '/'));
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const parsed = parseCharModel(await response.json());
      if (typeof parsed === 'string') throw new Error(parsed);
      this.model = parsed;
      this.forward = forwardFor(parsed);
    } catch (err) {
      this.loadError = `The character model could not be loaded (${err instanceof Error ? err.message : String(err)}); type logits instead.`;
    }
    this.render();
    this.dataset.ready = 'true';
  }

  private source(): 'model' | 'typed' {
    return this.querySelector<HTMLInputElement>('input[name=source]:checked')?.value === 'typed'
      ? 'typed'
      : 'model';
  }

  /** Show the prompt or the logits field; keep "top-k = every token" meaning that after the switch. */
  private switchSource() {
    const typed = this.source() === 'typed';
    this.querySelectorAll<HTMLElement>('[data-for]').forEach((node) => {
      node.hidden = node.dataset.for !== (typed ? 'typed' : 'model');
    });
  }

  /** Mark one field invalid (or none) and show its message. */
  private showError(error: FieldError | null) {
    const message = this.querySelector<HTMLElement>('.message')!;
    message.hidden = !error;
    message.textContent = error?.message ?? '';
    for (const name of ['prompt', 'logits', 'labels', 'temperature', 'topK', 'topP', 'seed', 'draws']) {
      this.field(name).setAttribute('aria-invalid', String(error?.field === name));
    }
  }

  /** The logits and token labels to sample from, or the reason there are none. */
  private logits(): { logits: number[]; labels: string[]; note: string } | FieldError {
    if (this.source() === 'typed') {
      const r = readLogits(this.field('logits').value);
      if (!r.ok) return r;
      const names = readLabels(this.field('labels').value, r.logits.length);
      if (!names.ok) return names;
      return { logits: r.logits, labels: names.labels, note: '' };
    }
    if (this.loadError) return { field: 'prompt', message: this.loadError };
    if (!this.model || !this.forward) return { field: 'prompt', message: '' };
    const typed = preparePrompt(this.model.vocab, this.field('prompt').value);
    if (typed.unknown.length > 0) {
      const shown = isolatedList(
        typed.unknown.slice(0, 8).map((c) => (/\s/.test(c) ? JSON.stringify(c) : `“${c}”`)),
        ' ',
      );
      return {
        field: 'prompt',
        message: `The model only knows a–z, space and . , ; : ' ? ! - (uppercase letters are read as lowercase, as in its training text); remove ${shown}.`,
      };
    }
    const prompt = typed.text;
    const stages = this.forward(prompt);
    const folded = typed.folded.length
      ? `Uppercase is read as lowercase, as in the model's lowercased training text (${isolatedList(
          typed.folded.slice(0, 8).map((c) => `“${c}” → “${c.toLowerCase()}”`),
          ', ',
        )}). `
      : '';
    const note =
      folded +
      `The model reads the last ${this.model.context} characters, “${stages.context.join('')}”` +
      (prompt.length < this.model.context ? ' (padded with spaces)' : '') +
      `, and gives one logit for each of its ${this.model.vocab.length} characters.`;
    return { logits: stages.logits, labels: this.model.vocab.map(show), note };
  }

  private render() {
    const tValue = this.querySelector('.t-value');
    const temperatureInput = this.field('temperature');
    if (tValue) tValue.textContent = Number(temperatureInput.value).toFixed(2);
    const source = this.logits();
    if ('field' in source) {
      this.showError(source.message ? source : null);
      if (!source.message) this.querySelector('.context-note')!.textContent = 'Loading the character model…';
      return;
    }
    const { logits, labels, note } = source;
    // Keep top-k's meaning ("every token") when the number of tokens changes.
    const topK = this.field('topK');
    if (logits.length !== this.tokenCount) {
      if (Number(topK.value) === this.tokenCount || Number(topK.value) > logits.length)
        topK.value = String(logits.length);
      this.tokenCount = logits.length;
    }
    topK.max = String(logits.length);
    const read = readSettings(
      {
        temperature: temperatureInput.value,
        topK: topK.value,
        topP: this.field('topP').value,
        seed: this.field('seed').value,
        draws: this.field('draws').value,
      },
      logits.length,
    );
    if (!read.ok) {
      this.showError(read);
      return;
    }
    this.showError(null);
    this.querySelector('.context-note')!.textContent = note;
    const { settings, seed, draws } = read;
    const result = drawSamples(logits, settings, seed, draws);
    const { stages, counts } = result;

    // Chart: the most likely tokens, before vs after filtering, and the share of the draws.
    const width = this.chartWidth();
    this.lastWidth = width;
    const maxBars = width < 480 ? MAX_BARS_NARROW : MAX_BARS;
    const shown = stages.ranking.slice(0, maxBars);
    const data: BarDatum[] = shown.map((i) => ({
      label: labels[i],
      before: stages.probs[i],
      after: stages.filteredProbs[i],
      drawn: counts[i] / draws,
    }));
    const top = shown
      .slice(0, 5)
      .map((i) => `${isolate(labels[i])} ${pct(stages.probs[i])} → ${pct(stages.filteredProbs[i])}`)
      .join(', ');
    drawBars(
      this.querySelector('svg')!,
      data,
      `Bar chart of the ${shown.length} most likely tokens, probability before and after filtering: ${top}. The table below lists every number.`,
      width,
    );
    this.querySelector('.chart-note')!.textContent =
      logits.length > maxBars ? ` — the ${maxBars} most likely of ${logits.length} tokens` : '';

    const keptMass = stages.kept.reduce((s, i) => s + stages.probs[i], 0);
    const best = stages.ranking[0];
    this.querySelector('.summary')!.textContent =
      `Temperature ${settings.temperature} ${settings.temperature < 1 ? 'sharpens' : settings.temperature > 1 ? 'flattens' : 'keeps'} the distribution: ` +
      `the most likely token, ${labels[best]}, has probability ${pct(stages.probs[best])}. ` +
      `Top-k = ${settings.topK} and top-p = ${settings.topP} keep ${stages.kept.length} of ${logits.length} tokens, ` +
      `holding ${pct(keptMass)} of the probability; the kept probabilities are divided by that mass so they sum to 1.` +
      (stages.kept.length === 1
        ? ` Only ${labels[stages.kept[0]]} is left, so every draw gives it: this is greedy decoding, and every seed writes the same text.`
        : '');

    // The draws.
    this.querySelector('.draws-title')!.textContent =
      `${draws} ${draws === 1 ? 'draw' : 'draws'} with seed ${seed}` +
      (draws > SEQ_CAP ? ` (the first ${SEQ_CAP} written out)` : '') +
      ': the same seed always gives the same draws; another seed gives others.';
    this.querySelector('.draw-seq')!.textContent = isolatedList(
      result.samples.slice(0, SEQ_CAP).map((i) => labels[i]),
      ' ',
    );
    const body = this.querySelector('.first-draws tbody')!;
    body.replaceChildren(
      ...result.samples
        .slice(0, FIRST_DRAWS)
        .map((tok, i) =>
          textRow([String(i + 1), result.uniforms[i].toFixed(4), { text: labels[tok], className: 'tok' }]),
        ),
    );

    // Continuations: only for the model.
    const list = this.querySelector('.cont-list')!;
    if (this.source() === 'model' && this.model && this.forward) {
      const prompt = preparePrompt(this.model!.vocab, this.field('prompt').value).text;
      list.replaceChildren(
        ...[0, 1, 2].map((k) => {
          const s = (seed + k) % (LIMITS.seed[1] + 1);
          const text = generate(this.forward!, this.model!.vocab, prompt, settings, s, LIMITS.generate);
          const li = el('li');
          li.append(el('span', `seed ${s}: `, 'seed'), prompt, el('mark', text));
          return li;
        }),
      );
    } else list.replaceChildren();

    // Every token's numbers.
    const keep = new Set(stages.kept);
    const rows = this.querySelector('.dist tbody')!;
    rows.replaceChildren(
      ...stages.ranking.map((i, rank) => {
        const tr = textRow(
          [
            String(rank + 1),
            { text: labels[i], className: 'tok' },
            logits[i].toFixed(4),
            stages.probs[i].toFixed(4),
            keep.has(i) ? stages.filteredProbs[i].toFixed(4) : 'removed',
            String(counts[i]),
            (counts[i] / draws).toFixed(4),
          ],
          { className: keep.has(i) ? '' : 'removed' },
        );
        tr.dataset.token = String(i);
        return tr;
      }),
    );
  }
}

if (!customElements.get('sampling-playground'))
  customElements.define('sampling-playground', SamplingPlayground);
