/**
 * <attention-calculator>: a thin view over src/lib/attention. It copies the form the .astro shell renders
 * into config.ts's pure readConfig, computes every stage with model.ts (which calls src/lib), and draws
 * the current stage: formula (KaTeX, loaded lazily), heatmaps (d3), number tables and the focused cell's
 * formula with its numbers. User text (the sentence) is only ever inserted with textContent / d3 .text().
 */
import { select } from 'd3';
import { el } from '../shared/dom';
import { WidgetElement } from '../shared/widget-element';
import { cellFormula } from './cell-formulas';
import { CONFIG_FIELDS, readConfig, type RawConfig } from './config';
import { clampFocus, heatmapPick } from './focus';
import { FormulaView } from './formula-view';
import { EmbeddingGrid } from './grid';
import { drawHeatmaps, moveHeatmapFocus } from './heatmap';
import { tokenLabel } from './input';
import { TT_MATRICES, heatmapSpecs, stageMatrices, type Focus, type MatrixName } from './matrices';
import { SHARED_FIELDS, decodeAttentionExtra, encodeAttentionExtra } from './share';
import {
  computeAttention,
  embeddingMatrix,
  makeParams,
  moveByKey,
  stageList,
  type CalcConfig,
  type CalcParams,
  type CalcResult,
  type StageId,
} from './model';
import { stageFormula } from './stage-formulas';
import { stageText } from './stage-text';
import { renderStepper } from './stepper';
import { markFocus, renderTables } from './tables';

/** Replace a box's paragraphs with `texts` (as text), unless they are already shown; hide it when empty. */
function showParagraphs(box: HTMLElement, texts: readonly string[]): void {
  const key = texts.join('\n');
  if (box.dataset.key === key) return;
  box.dataset.key = key;
  box.replaceChildren(...texts.map((t) => el('p', t)));
  box.hidden = texts.length === 0;
}

/** The attention calculator custom element. */
export class AttentionCalculator extends WidgetElement {
  /** Milliseconds the last recompute + redraw took (read by scripts/bench/attention-redraw.mjs). */
  lastUpdateMs = 0;
  /** Number of updates so far. */
  updateCount = 0;
  /** Where the last update's time went, in ms (reported by the benchmark). */
  lastTimings: Record<'read' | 'compute' | 'tables' | 'heatmaps' | 'formulas', number> = {
    read: 0,
    compute: 0,
    tables: 0,
    heatmaps: 0,
    formulas: 0,
  };

  private grid: EmbeddingGrid | null = null;
  private stage: StageId = 'embed';
  private lastStageIndex = 0;
  private head = 0;
  private cellFocus: Focus = { matrix: 'x', i: 2, j: 0 };
  private result: CalcResult | null = null;
  private lastSeed: number | null = null;
  private params: CalcParams | null = null;
  private paramsKey = '';
  private stagesKey = '';
  private readonly formulas = new FormulaView();

  connectedCallback(): void {
    const stage = this.dataset.stage as StageId | undefined;
    if (stage) this.stage = stage;
    this.grid = new EmbeddingGrid(this.find<HTMLTableElement>('table.grid'));
    this.watchForm((e) => this.onInput(e), this.find('form.setup'));
    this.listen(this.find('.back'), 'click', () => this.step(-1));
    this.listen(this.find('.next'), 'click', () => this.step(1));
    this.listen(this.find('.stages'), 'click', (e) => {
      const b = (e.target as Element).closest<HTMLButtonElement>('button[data-stage]');
      if (b) this.goTo(b.dataset.stage as StageId);
    });
    this.listen(this.field<HTMLSelectElement>('head'), 'input', (e) => {
      this.head = Number((e.target as HTMLSelectElement).value);
      this.update();
    });
    this.listen(this.find('.reset'), 'click', () => {
      this.grid?.reset();
      this.update();
      this.stateChanged();
    });
    this.listen(this.find('table.grid'), 'focusin', (e) => {
      const input = (e.target as Element).closest<HTMLInputElement>('input.cell');
      if (!input || this.stage !== 'embed' || !this.result) return;
      this.cellFocus = { matrix: 'x', i: Number(input.dataset.i), j: Number(input.dataset.j) };
      this.renderCell();
    });
    const tables = this.find('.tables');
    this.listen(tables, 'focusin', (e) => this.onCellFocus(e.target as HTMLElement));
    this.listen<KeyboardEvent>(tables, 'keydown', (e) => this.onCellKey(e));
    this.listen(tables, 'click', (e) => (e.target as Element).closest<HTMLElement>('td.v')?.focus());
    this.update();
    this.share(stage ?? 'embed');
    this.dataset.ready = 'true';
    void this.formulas
      .load(() => this.isConnected)
      .then((loaded) => {
        if (loaded) this.dataset.katex = 'true';
      });
  }

  /** A form input changed: an embedding cell or a control. */
  private onInput(e: Event): void {
    const target = e.target as HTMLInputElement;
    if (target.matches('input.cell')) this.grid?.edit(target);
    this.update();
  }

  /** The form's controls as readConfig takes them. */
  private rawConfig(): RawConfig {
    const text = (name: string) => this.field<HTMLInputElement | HTMLSelectElement>(name).value;
    return {
      sentence: text('sentence'),
      dModel: text('dModel'),
      heads: text('heads'),
      dk: text('dk'),
      seed: text('seed'),
      variant: text('variant'),
      luong: text('luong'),
      window: text('window'),
      causal: this.field('causal').checked,
      scaled: this.field('scaled').checked,
    };
  }

  /** Read the form through readConfig and apply what it says: invalid marks, hints, derived d_k. */
  private readConfig(): { config: CalcConfig | null; errors: string[]; notes: string[]; tokens: string[] } {
    const read = readConfig(this.rawConfig());
    const errors: string[] = [];
    for (const name of CONFIG_FIELDS) {
      const message = read.errors[name];
      if (message) errors.push(message);
      if (message) this.field(name).setAttribute('aria-invalid', 'true');
      else this.field(name).removeAttribute('aria-invalid');
    }
    const { form } = read;
    const dk = this.field('dk');
    dk.readOnly = form.multi;
    if (form.derivedDk !== null && dk.value !== String(form.derivedDk)) dk.value = String(form.derivedDk);
    this.find('.dk-hint').hidden = !form.multi;
    this.find('.luong-field').hidden = !form.showLuong;
    this.find('.window-field').hidden = !form.showWindow;
    this.field('scaled').disabled = !form.scalable;
    const hint = this.find('.scale-hint');
    hint.hidden = form.scalable;
    hint.textContent = form.scaleHint;
    return { config: read.config, errors, notes: read.notes, tokens: read.tokens };
  }

  /** Recompute everything from the inputs and redraw; timed for the benchmark. */
  update(): void {
    const grid = this.grid;
    if (!grid) return;
    const t0 = performance.now();
    const { config, errors, notes, tokens } = this.readConfig();
    showParagraphs(this.find('.notes'), notes);
    this.renderTokens(tokens);
    if (config) {
      if (this.lastSeed !== null && this.lastSeed !== config.seed) grid.edits.clear();
      this.lastSeed = config.seed;
      grid.sync(config);
    } else if (tokens.length === 0) {
      grid.sync(null);
    }
    grid.errors.forEach((m) => errors.push(m));
    const t1 = performance.now();
    this.lastTimings.read = t1 - t0;
    let result: CalcResult | null = null;
    if (config && errors.length === 0) {
      try {
        const key = JSON.stringify([
          config.seed,
          config.dModel,
          config.dk,
          config.heads,
          config.variant,
          config.luong,
        ]);
        if (key !== this.paramsKey || !this.params) {
          this.params = makeParams(config);
          this.paramsKey = key;
        }
        const x = embeddingMatrix(config.seed, config.tokens, config.dModel, grid.edits); // (T, d_model)
        result = computeAttention(config, x, this.params);
      } catch (err) {
        errors.push(`Could not compute attention: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    this.lastTimings.compute = performance.now() - t1;
    showParagraphs(
      this.find('.errors'),
      errors.length > 4 ? [...errors.slice(0, 3), `…and ${errors.length - 3} more problems.`] : errors,
    );
    this.find('.results').hidden = !result;
    if (result) {
      this.result = result;
      this.render(result);
    }
    this.lastUpdateMs = performance.now() - t0;
    this.updateCount += 1;
  }

  private renderTokens(tokens: string[]): void {
    const key = tokens.join('\u0001');
    const list = this.find('.tokens');
    if (list.dataset.key === key) return;
    list.dataset.key = key;
    select(list)
      .selectAll('li')
      .data(tokens)
      .join((enter) => {
        const li = enter.append('li');
        li.append('span').attr('class', 'idx');
        li.append('bdi');
        return li;
      })
      .each(function (tok, i) {
        select(this)
          .select('.idx')
          .text(String(i + 1));
        select(this).select('bdi').text(tokenLabel(tok));
      });
  }

  /** Draw the stage list, the current stage's panel, heatmaps, tables and focused cell. */
  private render(r: CalcResult): void {
    const c = r.config;
    const stages = stageList(c);
    let index = stages.findIndex((s) => s.id === this.stage);
    if (index < 0) {
      index = Math.min(stages.length - 1, Math.max(0, this.lastStageIndex));
      this.stage = stages[index].id;
    }
    this.lastStageIndex = index;
    if (this.head >= c.heads) this.head = 0;
    // Stage list and step buttons.
    const skey = JSON.stringify([stages, this.stage]);
    if (skey !== this.stagesKey) {
      this.stagesKey = skey;
      renderStepper(this, stages, index);
    }
    this.find('.stage-title').textContent = `${index + 1}. ${stages[index].label}`;
    this.find('.stage-text').textContent = stageText(this.stage, c);
    this.formulas.set(this.find('.stage-formula'), stageFormula(r, this.stage));
    // Head picker.
    const picker = this.find('.head-field');
    picker.hidden = c.heads === 1;
    const sel = this.field<HTMLSelectElement>('head');
    if (sel.options.length !== c.heads) {
      sel.replaceChildren(
        ...r.heads.map((_h, k) => {
          const o = document.createElement('option');
          o.value = String(k);
          o.textContent = `Head ${k + 1}`;
          return o;
        }),
      );
    }
    sel.value = String(this.head);
    // Tables (and the focus they hold).
    const specs = stageMatrices(r, this.stage, this.head);
    this.cellFocus = clampFocus(this.cellFocus, specs, { name: 'x', values: r.x });
    const tt = performance.now();
    renderTables(this.find('.tables'), specs, this.cellFocus);
    const th = performance.now();
    this.lastTimings.tables = th - tt;
    // Heatmaps: one per head.
    if (this.stage === 'embed' || this.stage === 'project') {
      // no weights exist before the scores: no "Softmax weights" heatmap yet
      const note = document.createElement('p');
      note.className = 'heatmap-note';
      note.textContent = 'The heatmap of the attention scores appears from stage 3 (scores) on.';
      this.find('.heatmaps').replaceChildren(note);
      this.find('.legend-probs').hidden = true;
      this.find('.legend-scores').hidden = true;
    } else {
      const heat = heatmapSpecs(r, this.stage, this.head, this.cellFocus);
      drawHeatmaps(this.find('.heatmaps'), heat.specs, (h, i, j) => this.pickFromHeatmap(h, i, j));
      this.find('.legend-probs').hidden = !heat.probabilities;
      this.find('.legend-scores').hidden = heat.probabilities;
    }
    const tf = performance.now();
    this.lastTimings.heatmaps = tf - th;
    this.renderCell();
    this.lastTimings.formulas = performance.now() - tf;
  }

  /** The focused cell's words and formula. */
  private renderCell(): void {
    if (!this.result) return;
    const f = cellFormula(this.result, this.head, this.cellFocus);
    this.find('.cell-words').textContent = f.words;
    this.formulas.set(this.find('.cell-formula'), f);
  }

  private step(delta: number): void {
    if (!this.result) return;
    const stages = stageList(this.result.config);
    const index = stages.findIndex((s) => s.id === this.stage);
    const next = index + delta;
    if (next < 0 || next >= stages.length) return;
    this.goTo(stages[next].id);
  }

  /** Share the form, the stage and the typed embedding cells through the URL fragment (see share.ts). */
  private share(initialStage: StageId): void {
    this.shareState(SHARED_FIELDS, {
      get: () => encodeAttentionExtra(this.stage, initialStage, this.grid?.edits ?? new Map()),
      set: (value) => {
        const extra = decodeAttentionExtra(value);
        if (!extra || !this.grid) return false;
        this.grid.reset();
        for (const [token, row] of extra.edits) this.grid.edits.set(token, row);
        if (extra.stage) this.stage = extra.stage;
        this.update();
        return true;
      },
    });
  }

  private goTo(stage: StageId): void {
    const hadFocus = this.querySelector('.stages')?.contains(document.activeElement);
    this.stage = stage;
    this.stateChanged();
    this.update();
    if (hadFocus) this.querySelector<HTMLElement>(`.stages button[data-stage="${stage}"]`)?.focus();
  }

  private onCellFocus(target: HTMLElement): void {
    const td = target.closest<HTMLElement>('td.v');
    const fig = td?.closest<HTMLElement>('figure.matrix');
    if (!td || !fig) return;
    this.cellFocus = {
      matrix: fig.dataset.matrix as MatrixName,
      i: Number(td.dataset.i),
      j: Number(td.dataset.j),
    };
    markFocus(this.find('.tables'), this.cellFocus);
    moveHeatmapFocus(
      this.find('.heatmaps'),
      this.head,
      TT_MATRICES.includes(this.cellFocus.matrix) ? { i: this.cellFocus.i, j: this.cellFocus.j } : null,
    );
    this.renderCell();
  }

  private onCellKey(e: KeyboardEvent): void {
    const td = (e.target as HTMLElement).closest<HTMLElement>('td.v');
    const fig = td?.closest<HTMLElement>('figure.matrix');
    if (!td || !fig) return;
    const rows = fig.querySelectorAll('tbody tr').length;
    const cols = fig.querySelectorAll('tbody tr:first-child td.v').length;
    const to = moveByKey(e.key, Number(td.dataset.i), Number(td.dataset.j), rows, cols, e.ctrlKey);
    if (!to) return;
    e.preventDefault();
    fig.querySelector<HTMLElement>(`td.v[data-i="${to[0]}"][data-j="${to[1]}"]`)?.focus();
  }

  /** A heatmap cell was clicked: show that head's weights and focus the matching table cell. */
  private pickFromHeatmap(h: number, i: number, j: number): void {
    this.head = h;
    ({ stage: this.stage, focus: this.cellFocus } = heatmapPick(this.stage, i, j));
    this.update();
    this.querySelector<HTMLElement>(
      `figure.matrix[data-matrix="${this.cellFocus.matrix}"] td.v[data-i="${i}"][data-j="${j}"]`,
    )?.focus();
  }
}

if (!customElements.get('attention-calculator'))
  customElements.define('attention-calculator', AttentionCalculator);
