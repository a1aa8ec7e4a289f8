/**
 * <attention-calculator>: a thin view over src/lib/attention. It reads the form the .astro shell renders,
 * computes every stage with model.ts (which calls src/lib), and draws the current stage: formula (KaTeX,
 * loaded lazily), heatmaps (d3), number tables and the focused cell's formula with its numbers.
 * User text (the sentence) is only ever inserted with textContent / d3 .text().
 */
import { select } from 'd3';
import { SharedState } from '../shared/share-state';
import { decodeAttentionExtra, encodeAttentionExtra } from './share';
import {
  computeAttention,
  embeddingMatrix,
  headsMessage,
  makeParams,
  MAX_DIM,
  MAX_HEADS,
  MAX_TOKENS,
  moveByKey,
  parseCell,
  parseDk,
  parseSentence,
  parseWhole,
  stageList,
  tokenLabel,
  usesScale,
  variantMessage,
  type CalcConfig,
  type CalcParams,
  type CalcResult,
  type Edits,
  type LuongScore,
  type StageId,
  type Variant,
} from './model';
import {
  cellFormula,
  heatmapMatrix,
  stageFormula,
  stageMatrices,
  type Focus,
  type Formula,
  type MatrixName,
} from './formulas';
import { drawHeatmaps, moveHeatmapFocus } from './heatmap';
import { markFocus, renderTables } from './tables';

interface Katex {
  renderToString(tex: string, options?: Record<string, unknown>): string;
}

/** What each stage does, in words (the formula says it in symbols). */
function stageText(stage: StageId, c: CalcConfig): string {
  const one = c.heads === 1;
  switch (stage) {
    case 'embed':
      return 'Each token becomes a vector of d_model numbers. Here they come from the seed (the same word always gets the same vector); edit any of them in the grid above and watch every later stage change.';
    case 'project':
      return one
        ? 'Three matrices turn each embedding into a query (what the token looks for), a key (what it offers to be matched against) and a value (what it hands over when chosen).'
        : `The same three projections, now d_model wide: head h takes its own ${c.dModel / c.heads} columns of Q, K and V.`;
    case 'scores':
      if (one && c.variant === 'additive')
        return 'Bahdanau’s additive score feeds the query and the key through a small tanh layer and reads one number out with vₐ, instead of a dot product.';
      if (one && c.variant === 'multiplicative')
        return c.luong === 'general'
          ? 'Luong’s “general” score puts a learned matrix W_a between query and key: s = (q·W_a)·k.'
          : 'Luong’s “dot” score is the plain dot product of query and key, without any scaling.';
      return 'Every query is compared with every key by a dot product: a large score means the key matches what the query looks for.';
    case 'scale':
      return usesScale(c)
        ? 'Dividing by √d_k keeps the scores from growing with the width d_k, so the softmax does not saturate into a near one-hot choice.'
        : one && (c.variant === 'additive' || c.variant === 'multiplicative')
          ? 'This variant does not scale its scores: the scale is 1.'
          : 'Scaling is switched off: the scale is 1, so wider keys give larger, sharper scores.';
    case 'mask':
      if (c.causal || c.variant === 'local')
        return 'Hidden keys get the score −∞ before the softmax, so their weight will be exactly 0 and each row still sums to 1.';
      return 'No mask is on: every token may look at every token, as in the notes’ diagram. Switch on the causal mask to hide later tokens.';
    case 'softmax':
      return 'Softmax turns each row of scores into weights that are positive and sum to 1 (see the row sums). Focus a cell to see its formula with the numbers.';
    case 'sum':
      return 'Each output row is the weighted average of the value vectors, using that token’s row of weights.';
    case 'hard':
      return 'Hard attention keeps only the best-scoring key (weight 1, all others 0) and copies its value. It cannot be trained by gradient descent, which is why transformers use the soft weights.';
    case 'concat':
      return 'The heads’ outputs are put side by side: d_model / h columns from each head.';
    case 'out':
      return 'W_O mixes the concatenated heads back into d_model numbers per token: the output of multi-head attention.';
  }
}

const TT_MATRICES: readonly MatrixName[] = ['scores', 'scaled', 'masked', 'weights', 'hardWeights'];

/** The attention calculator custom element. */
export class AttentionCalculator extends HTMLElement {
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

  private ac: AbortController | null = null;
  private shared: SharedState | null = null;
  private edits: Edits = new Map();
  private cellErrors = new Map<string, string>();
  private stage: StageId = 'embed';
  private head = 0;
  private cellFocus: Focus = { matrix: 'x', i: 2, j: 0 };
  private result: CalcResult | null = null;
  private tokens: string[] = [];
  private gridKey = '';
  private lastSeed: number | null = null;
  private params: CalcParams | null = null;
  private paramsKey = '';
  private stagesKey = '';
  private katex: Katex | null = null;
  private readonly texShown = new WeakMap<Element, string>();
  private readonly formulas = new Map<HTMLElement, Formula>();

  private q<T extends Element = HTMLElement>(selector: string): T {
    const el = this.querySelector<T>(selector);
    if (!el) throw new Error(`attention-calculator: missing ${selector}`);
    return el;
  }

  private get form() {
    return this.q<HTMLFormElement>('form.setup');
  }
  private field<T extends HTMLInputElement | HTMLSelectElement = HTMLInputElement>(name: string): T {
    return this.q<T>(`[name="${name}"]`);
  }

  connectedCallback(): void {
    this.ac = new AbortController();
    const { signal } = this.ac;
    const stage = this.dataset.stage as StageId | undefined;
    if (stage) this.stage = stage;
    this.form.addEventListener('submit', (e) => e.preventDefault(), { signal });
    this.form.addEventListener('input', (e) => this.onInput(e), { signal });
    this.q('.back').addEventListener('click', () => this.step(-1), { signal });
    this.q('.next').addEventListener('click', () => this.step(1), { signal });
    this.q('.stages').addEventListener(
      'click',
      (e) => {
        const b = (e.target as Element).closest<HTMLButtonElement>('button[data-stage]');
        if (b) this.goTo(b.dataset.stage as StageId);
      },
      { signal },
    );
    this.field<HTMLSelectElement>('head').addEventListener(
      'input',
      (e) => {
        this.head = Number((e.target as HTMLSelectElement).value);
        this.update();
      },
      { signal },
    );
    this.q('.reset').addEventListener(
      'click',
      () => {
        this.edits.clear();
        this.cellErrors.clear();
        this.gridKey = '';
        this.update();
        this.shared?.schedule();
      },
      { signal },
    );
    this.q('table.grid').addEventListener(
      'focusin',
      (e) => {
        const input = (e.target as Element).closest<HTMLInputElement>('input.cell');
        if (!input || this.stage !== 'embed' || !this.result) return;
        this.cellFocus = { matrix: 'x', i: Number(input.dataset.i), j: Number(input.dataset.j) };
        this.renderCell();
      },
      { signal },
    );
    const tables = this.q('.tables');
    tables.addEventListener('focusin', (e) => this.onCellFocus(e.target as HTMLElement), { signal });
    tables.addEventListener('keydown', (e) => this.onCellKey(e), { signal });
    tables.addEventListener('click', (e) => (e.target as Element).closest<HTMLElement>('td.v')?.focus(), {
      signal,
    });
    this.update();
    this.share(signal, stage ?? 'embed');
    this.dataset.ready = 'true';
    import('katex')
      .then((m) => {
        if (!this.ac) return;
        this.katex = (m.default ?? m) as Katex;
        this.formulas.forEach((f, el) => this.showFormula(el, f));
        this.dataset.katex = 'true';
      })
      .catch(() => {
        /* the plain-text formulas stay */
      });
  }

  disconnectedCallback(): void {
    this.ac?.abort();
    this.ac = null;
    this.shared?.dispose();
    this.shared = null;
  }

  /** A form input changed: an embedding cell or a control. */
  private onInput(e: Event): void {
    const target = e.target as HTMLInputElement;
    if (target.matches('input.cell')) this.onCellInput(target);
    this.update();
  }

  private onCellInput(input: HTMLInputElement): void {
    const i = Number(input.dataset.i);
    const j = Number(input.dataset.j);
    const token = this.tokens[i];
    const key = `${i},${j}`;
    const parsed = parseCell(input.value, input.getAttribute('aria-label') ?? `cell ${key}`);
    if (!parsed.ok) {
      this.cellErrors.set(key, parsed.message);
      input.setAttribute('aria-invalid', 'true');
      return;
    }
    this.cellErrors.delete(key);
    input.removeAttribute('aria-invalid');
    let row = this.edits.get(token);
    if (!row) this.edits.set(token, (row = new Map()));
    row.set(j, parsed.value);
    // The same word elsewhere in the sentence shares this embedding row.
    this.querySelectorAll<HTMLInputElement>(`input.cell[data-j="${j}"]`).forEach((other) => {
      const k = Number(other.dataset.i);
      if (other !== input && this.tokens[k] === token) {
        other.value = input.value;
        other.removeAttribute('aria-invalid');
        this.cellErrors.delete(`${k},${j}`);
      }
    });
  }

  /** Read and check every control; returns the configuration or the messages that explain what is wrong. */
  private readConfig(): { config: CalcConfig | null; errors: string[]; notes: string[]; tokens: string[] } {
    const errors: string[] = [];
    const invalid = (name: string, message: string | null) => {
      const el = this.field(name);
      if (message) errors.push(message);
      if (message) el.setAttribute('aria-invalid', 'true');
      else el.removeAttribute('aria-invalid');
    };
    const sentence = parseSentence(this.field('sentence').value);
    invalid('sentence', sentence.ok ? null : (sentence.error ?? 'Type a sentence.'));
    const dModel = parseWhole(this.field('dModel').value, 'Embedding size d_model', 1, MAX_DIM);
    invalid('dModel', dModel.ok ? null : dModel.message);
    const heads = parseWhole(this.field('heads').value, 'Heads', 1, MAX_HEADS);
    const dkInput = this.field('dk');
    const multi = heads.ok && heads.value > 1;
    dkInput.readOnly = multi;
    this.q('.dk-hint').hidden = !multi;
    let headsError: string | null = heads.ok ? null : heads.message;
    if (heads.ok && dModel.ok && !headsError) headsError = headsMessage(heads.value, dModel.value);
    invalid('heads', headsError);
    let dk: number | null = null;
    if (multi) {
      invalid('dk', null);
      if (dModel.ok && !headsError) {
        dk = dModel.value / heads.value;
        if (dkInput.value !== String(dk)) dkInput.value = String(dk);
      }
    } else {
      const p = parseDk(dkInput.value);
      invalid('dk', p.ok ? null : p.message);
      if (p.ok) dk = p.value;
    }
    const seed = parseWhole(this.field('seed').value, 'Random seed', 0, 4294967295);
    invalid('seed', seed.ok ? null : seed.message);
    const variant = this.field<HTMLSelectElement>('variant').value as Variant;
    const vMsg = heads.ok ? variantMessage(variant, heads.value) : null;
    invalid('variant', vMsg);
    const luong = this.field<HTMLSelectElement>('luong').value as LuongScore;
    this.q('.luong-field').hidden = variant !== 'multiplicative';
    this.q('.window-field').hidden = variant !== 'local';
    const win =
      variant === 'local'
        ? parseWhole(this.field('window').value, 'Window size', 0, MAX_TOKENS - 1)
        : ({ ok: true, value: 1 } as const);
    invalid('window', win.ok ? null : win.message);
    const causal = this.field('causal').checked;
    const scaledBox = this.field('scaled');
    const scalable = !multi && (variant === 'scaled-dot' || variant === 'local' || variant === 'hard');
    scaledBox.disabled = !scalable;
    const hint = this.q('.scale-hint');
    hint.hidden = scalable;
    hint.textContent = multi ? '(always on with several heads)' : '(not used by this variant)';
    if (!sentence.ok || !dModel.ok || !heads.ok || headsError || dk === null || !seed.ok || vMsg || !win.ok) {
      return { config: null, errors, notes: sentence.notes, tokens: sentence.tokens };
    }
    return {
      config: {
        tokens: sentence.tokens,
        dModel: dModel.value,
        dk,
        heads: heads.value,
        seed: seed.value,
        variant,
        luong,
        window: win.value,
        causal,
        scaled: !scalable || scaledBox.checked,
      },
      errors,
      notes: sentence.notes,
      tokens: sentence.tokens,
    };
  }

  /** Recompute everything from the inputs and redraw; timed for the benchmark. */
  update(): void {
    const t0 = performance.now();
    const { config, errors, notes, tokens } = this.readConfig();
    this.renderNotes(notes);
    this.renderTokens(tokens);
    if (config) {
      if (this.lastSeed !== null && this.lastSeed !== config.seed) this.edits.clear();
      this.lastSeed = config.seed;
      this.syncGrid(config);
    } else if (tokens.length === 0) {
      this.syncGrid(null);
    }
    this.cellErrors.forEach((m) => errors.push(m));
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
        const x = embeddingMatrix(config.seed, config.tokens, config.dModel, this.edits);
        result = computeAttention(config, x, this.params);
      } catch (err) {
        errors.push(`Could not compute attention: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    this.lastTimings.compute = performance.now() - t1;
    this.renderErrors(errors);
    this.q('.results').hidden = !result;
    if (result) {
      this.result = result;
      this.render(result);
    }
    this.lastUpdateMs = performance.now() - t0;
    this.updateCount += 1;
  }

  private renderNotes(notes: string[]): void {
    const box = this.q('.notes');
    const key = notes.join('\n');
    if (box.dataset.key === key) return;
    box.dataset.key = key;
    box.replaceChildren(
      ...notes.map((n) => {
        const p = document.createElement('p');
        p.textContent = n;
        return p;
      }),
    );
    box.hidden = notes.length === 0;
  }

  private renderErrors(errors: string[]): void {
    const box = this.q('.errors');
    const shown =
      errors.length > 4 ? [...errors.slice(0, 3), `…and ${errors.length - 3} more problems.`] : errors;
    const key = shown.join('\n');
    if (box.dataset.key === key) return;
    box.dataset.key = key;
    box.replaceChildren(
      ...shown.map((n) => {
        const p = document.createElement('p');
        p.textContent = n;
        return p;
      }),
    );
    box.hidden = shown.length === 0;
  }

  private renderTokens(tokens: string[]): void {
    const key = tokens.join('\u0001');
    const list = this.q('.tokens');
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

  /** Build the embedding grid when the tokens, width or seed change; keep the cells otherwise. */
  private syncGrid(config: CalcConfig | null): void {
    const key = config ? JSON.stringify([config.tokens, config.dModel, config.seed]) : '';
    if (key === this.gridKey) return;
    this.gridKey = key;
    this.cellErrors.clear();
    const tokens = config?.tokens ?? [];
    this.tokens = tokens;
    const d = config?.dModel ?? 0;
    const x = config ? embeddingMatrix(config.seed, tokens, d, this.edits) : [];
    const counts = new Map<string, number>();
    tokens.forEach((t) => counts.set(t, (counts.get(t) ?? 0) + 1));
    const table = select(this.q<HTMLTableElement>('table.grid'));
    table
      .select('thead tr')
      .selectAll('th')
      .data(d > 0 ? ['token', ...Array.from({ length: d }, (_, j) => `dim ${j + 1}`)] : [])
      .join('th')
      .attr('scope', 'col')
      .text((s) => s);
    const rows = table
      .select('tbody')
      .selectAll<HTMLTableRowElement, number[]>('tr')
      .data(x)
      .join((enter) => {
        const tr = enter.append('tr');
        tr.append('th').attr('scope', 'row').append('bdi');
        return tr;
      });
    rows.select('th bdi').text((_r, i) => tokenLabel(tokens[i]));
    rows
      .selectAll<HTMLTableCellElement, { x: number; i: number; j: number }>('td')
      .data((row, i) => row.map((v, j) => ({ x: v, i, j })))
      .join((enter) => {
        const td = enter.append('td');
        td.append('input')
          .attr('class', 'cell')
          .attr('type', 'text')
          .attr('inputmode', 'decimal')
          .attr('autocomplete', 'off')
          .attr('spellcheck', 'false');
        return td;
      })
      .select('input')
      .attr('data-i', (c) => c.i)
      .attr('data-j', (c) => c.j)
      .attr('aria-label', (c) => {
        const tok = tokenLabel(tokens[c.i]);
        const where = (counts.get(tokens[c.i]) ?? 0) > 1 ? ` (token ${c.i + 1})` : '';
        return `embedding of ${tok}${where}, dimension ${c.j + 1}`;
      })
      .attr('aria-invalid', null)
      .property('value', (c) => String(c.x));
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
      select(this.q('.stages'))
        .selectAll<HTMLLIElement, { id: StageId; label: string }>('li')
        .data(stages)
        .join((enter) => {
          const li = enter.append('li');
          li.append('button').attr('type', 'button');
          return li;
        })
        .select('button')
        .attr('data-stage', (s) => s.id)
        .attr('aria-current', (s) => (s.id === this.stage ? 'step' : null))
        .text((s) => s.label);
      const back = this.q('.back');
      const next = this.q('.next');
      back.setAttribute('aria-disabled', String(index === 0));
      next.setAttribute('aria-disabled', String(index === stages.length - 1));
      this.q('.step-status').textContent = `Stage ${index + 1} of ${stages.length}: ${stages[index].label}`;
    }
    this.q('.stage-title').textContent = `${index + 1}. ${stages[index].label}`;
    this.q('.stage-text').textContent = stageText(this.stage, c);
    this.setFormula(this.q('.stage-formula'), stageFormula(r, this.stage));
    // Head picker.
    const picker = this.q('.head-field');
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
    const fallback: { name: MatrixName; values: number[][] } = specs[0] ?? { name: 'x', values: r.x };
    if (!specs.some((s) => s.name === this.cellFocus.matrix))
      this.cellFocus = { ...this.cellFocus, matrix: fallback.name };
    const spec = specs.find((s) => s.name === this.cellFocus.matrix) ?? fallback;
    this.cellFocus.i = Math.min(this.cellFocus.i, spec.values.length - 1);
    this.cellFocus.j = Math.min(this.cellFocus.j, spec.values[0].length - 1);
    const tt = performance.now();
    renderTables(this.q('.tables'), specs, this.cellFocus);
    const th = performance.now();
    this.lastTimings.tables = th - tt;
    // Heatmaps: one per head.
    const labels = c.tokens.map(tokenLabel);
    const onStage = ['scores', 'scale', 'mask', 'softmax', 'hard'].includes(this.stage);
    const what =
      {
        scores: 'Scores',
        scale: 'Scaled scores',
        mask: 'Masked scores',
        softmax: 'Softmax weights',
        hard: 'Hard weights',
      }[this.stage as string] ?? 'Softmax weights';
    const showRing = TT_MATRICES.includes(this.cellFocus.matrix);
    drawHeatmaps(
      this.q('.heatmaps'),
      r.heads.map((h, k) => {
        const m = heatmapMatrix(h, onStage ? this.stage : 'softmax');
        const of = c.heads > 1 ? ` of head ${k + 1}` : '';
        return {
          caption: `${what}${of}`,
          label: `Heatmap of the ${what.toLowerCase()}${of}: rows are queries, columns are keys (${labels.join(', ')}); ${m.probabilities ? 'stronger colour means more weight' : 'stronger colour means a larger score, purple positive and orange negative'}. The numbers are in the table.`,
          values: m.values,
          rows: labels,
          cols: labels,
          probabilities: m.probabilities,
          hidden: m.hidden,
          focus: showRing && k === this.head ? { i: this.cellFocus.i, j: this.cellFocus.j } : null,
          selected: c.heads > 1 && k === this.head,
        };
      }),
      (h, i, j) => this.pickFromHeatmap(h, i, j),
    );
    const probs = !onStage || this.stage === 'softmax' || this.stage === 'hard';
    this.q('.legend-probs').hidden = !probs;
    this.q('.legend-scores').hidden = probs;
    const tf = performance.now();
    this.lastTimings.heatmaps = tf - th;
    this.renderCell();
    this.lastTimings.formulas = performance.now() - tf;
  }

  private lastStageIndex = 0;

  /** The focused cell's words and formula. */
  private renderCell(): void {
    if (!this.result) return;
    const f = cellFormula(this.result, this.head, this.cellFocus);
    this.q('.cell-words').textContent = f.words;
    this.setFormula(this.q('.cell-formula'), f);
  }

  private setFormula(el: HTMLElement, f: Formula): void {
    this.formulas.set(el, f);
    el.dataset.formula = f.text;
    this.showFormula(el, f);
  }

  /** Render with KaTeX once it has loaded (the source holds only numbers and fixed symbols), else as text. */
  private showFormula(el: HTMLElement, f: Formula): void {
    if (!this.katex) {
      if (el.textContent !== f.text) el.textContent = f.text;
      return;
    }
    if (this.texShown.get(el) === f.tex) return;
    this.texShown.set(el, f.tex);
    el.innerHTML = this.katex.renderToString(f.tex, {
      displayMode: true,
      throwOnError: false,
      output: 'htmlAndMathml',
    });
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
  private share(signal: AbortSignal, initialStage: StageId): void {
    const fields = [
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
    ];
    this.shared = new SharedState(
      this,
      {
        fields: [...fields, 'head'],
        extra: {
          get: () => encodeAttentionExtra(this.stage, initialStage, this.edits),
          set: (value) => {
            const extra = decodeAttentionExtra(value);
            if (!extra) return false;
            this.edits = extra.edits;
            this.gridKey = '';
            if (extra.stage) this.stage = extra.stage;
            this.update();
            return true;
          },
        },
      },
      (target, type, handler) => target.addEventListener(type, handler, { signal }),
    );
    this.shared.restore();
  }

  private goTo(stage: StageId): void {
    const hadFocus = this.querySelector('.stages')?.contains(document.activeElement);
    this.stage = stage;
    this.shared?.schedule();
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
    markFocus(this.q('.tables'), this.cellFocus);
    moveHeatmapFocus(
      this.q('.heatmaps'),
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
    if (!['scores', 'scale', 'mask', 'softmax', 'hard'].includes(this.stage)) this.stage = 'softmax';
    this.cellFocus = { matrix: this.stage === 'hard' ? 'hardWeights' : 'weights', i, j };
    const m = { scores: 'scores', scale: 'scaled', mask: 'masked' }[this.stage as string];
    if (m) this.cellFocus.matrix = m as MatrixName;
    this.update();
    this.querySelector<HTMLElement>(
      `figure.matrix[data-matrix="${this.cellFocus.matrix}"] td.v[data-i="${i}"][data-j="${j}"]`,
    )?.focus();
  }
}

if (!customElements.get('attention-calculator'))
  customElements.define('attention-calculator', AttentionCalculator);
