/** The <embedding-explorer> element: PCA map and cosine neighbours of character embeddings, drawn with d3. */
import { get } from 'idb-keyval';
import { withTimeout } from '../../../src/flashcards/with-timeout';
import type { Matrix } from '../../../src/lib/matrix';
import { modelUrl, parseCharModel } from '../shared/char-model';
import { drawMap } from './chart';
import { CHECKPOINT_KEY, SUMMARY_KEY, embeddingsFromCheckpoint, type EmbeddingTable } from './checkpoint';
import { charLabel, charName, embeddingView, randomTable } from './model';
import { el, textRow } from '../shared/dom';
import { SEED, parseNumber } from '../shared/parse';
import { WidgetElement } from '../shared/widget-element';

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

type Source = 'trained' | 'random' | 'checkpoint';

/** How long a read of the capstone's saved model may take before the widget goes on without it. */
const STORAGE_TIMEOUT_MS = 4000;

/** One IndexedDB read, bounded: storage that never answers must not leave the map empty forever. */
function readSaved(key: string): Promise<unknown> {
  return withTimeout(() => get(key), STORAGE_TIMEOUT_MS, 'IndexedDB did not answer within 4 s');
}

export class EmbeddingExplorer extends WidgetElement {
  /** The shipped model's characters (also the rows of the random table). */
  private vocab: string[] = [];
  private trained: Matrix | null = null;
  /** The learner's saved capstone checkpoint: not looked up yet, absent, loading, loaded, or why not. */
  private checkpoint: EmbeddingTable | 'unknown' | 'absent' | 'loading' | { error: string } = 'unknown';
  private loadError = '';
  /** The vocabulary the character select currently lists. */
  private listed: string[] = [];

  connectedCallback() {
    this.watchForm(() => this.render());
    this.listen(document, 'themechange', () => this.render());
    void this.load();
  }

  private async load() {
    this.vocab = JSON.parse(this.dataset.vocab ?? '[]') as string[];
    this.listed = this.vocab;
    try {
      const response = await fetch(modelUrl(this.dataset.base ?? '/'));
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const parsed = parseCharModel(await response.json());
      if (typeof parsed === 'string') throw new Error(parsed);
      this.vocab = parsed.vocab;
      this.trained = parsed.embeddings;
    } catch (err) {
      this.loadError = `The trained embeddings could not be loaded (${err instanceof Error ? err.message : String(err)}); showing random ones.`;
      this.select('source').value = 'random';
    }
    await this.findCheckpoint();
    this.render();
    this.shareState(['source', 'seed', 'token', 'k']); // after load: the token list exists now
    this.dataset.ready = 'true';
  }

  /** Offer the learner's own model when the capstone's training cell has saved one (its small summary says so). */
  private async findCheckpoint() {
    try {
      const summary = (await readSaved(SUMMARY_KEY)) as { step?: number } | undefined;
      if (!summary || typeof summary.step !== 'number') {
        this.checkpoint = 'absent';
        return;
      }
      const option = el('option', `your capstone model (step ${summary.step})`);
      option.value = 'checkpoint';
      this.select('source').append(option);
    } catch {
      this.checkpoint = 'absent'; // no IndexedDB (private mode, blocked storage): only the built-in sources
    }
  }

  /** Read the full checkpoint (weights and optimiser state) once, when the learner asks for it. */
  private async loadCheckpoint() {
    this.checkpoint = 'loading';
    this.querySelector('.summary')!.textContent = 'Loading your saved checkpoint…';
    try {
      const result = embeddingsFromCheckpoint(await readSaved(CHECKPOINT_KEY));
      this.checkpoint = typeof result === 'string' ? { error: result } : result;
    } catch (err) {
      this.checkpoint = { error: err instanceof Error ? err.message : String(err) };
    }
    this.render();
  }

  private select(name: string): HTMLSelectElement {
    return this.querySelector<HTMLSelectElement>(`select[name=${name}]`)!;
  }

  private input(name: string): HTMLInputElement {
    return this.querySelector<HTMLInputElement>(`input[name=${name}]`)!;
  }

  /** List `vocab` in the character select, keeping the chosen character where the new vocabulary has it. */
  private listCharacters(vocab: string[]) {
    if (vocab === this.listed) return;
    const select = this.select('token');
    const current = this.listed[Number(select.value)];
    select.replaceChildren(
      ...vocab.map((c, i) => {
        const o = el('option', charName(c));
        o.value = String(i);
        return o;
      }),
    );
    const keep = vocab.indexOf(current);
    select.value = String(keep >= 0 ? keep : Math.max(0, vocab.indexOf('e')));
    this.listed = vocab;
  }

  private fail(field: HTMLInputElement, text: string) {
    field.setAttribute('aria-invalid', 'true');
    const message = this.querySelector<HTMLElement>('.message')!;
    message.hidden = false;
    message.textContent = text;
  }

  private render() {
    if (this.vocab.length === 0) return;
    let source = this.select('source').value as Source;
    if (source === 'trained' && !this.trained) source = 'random';
    this.querySelector<HTMLElement>('[data-for=random]')!.hidden = source !== 'random';
    const seedIn = this.input('seed');
    const kIn = this.input('k');
    const message = this.querySelector<HTMLElement>('.message')!;
    seedIn.setAttribute('aria-invalid', 'false');
    kIn.setAttribute('aria-invalid', 'false');
    message.hidden = !this.loadError;
    message.textContent = this.loadError;

    let vocab = this.vocab;
    let table: Matrix;
    let what: string;
    if (source === 'checkpoint') {
      const c = this.checkpoint;
      if (c === 'unknown') {
        void this.loadCheckpoint(); // the first time this source is chosen
        return;
      }
      if (c === 'absent' || c === 'loading') return;
      if ('error' in c) {
        message.hidden = false;
        message.textContent = `Your saved checkpoint could not be read: ${c.error}.`;
        return;
      }
      if (!('table' in c)) return;
      vocab = c.vocab;
      table = c.table;
      what = `Your capstone model (step ${c.step})`;
    } else if (source === 'trained' && this.trained) {
      table = this.trained;
      what = 'Trained';
    } else {
      const seed = parseNumber(seedIn.value, SEED);
      if (!seed.ok) return this.fail(seedIn, seed.message);
      table = randomTable(vocab.length, this.trained?.[0].length ?? 10, seed.value);
      what = `Random (seed ${seed.value})`;
    }
    this.listCharacters(vocab);
    const v = vocab.length;
    const d = table[0].length;
    const read = parseNumber(kIn.value, {
      label: 'Neighbours',
      min: 1,
      max: Math.min(10, v - 1),
      integer: true,
    });
    if (!read.ok) return this.fail(kIn, read.message);
    const k = read.value;
    const chosen = Math.max(0, Math.min(v - 1, Number(this.select('token').value)));
    const { pca, neighbors } = embeddingView(table, chosen, k);
    const name = (i: number) => charLabel(vocab[i]);

    const [r1, r2] = pca.explainedVarianceRatio;
    this.querySelector('.summary')!.textContent =
      `${what}: ${v} characters, each a vector of ${d} numbers. ` +
      `The map shows their first two principal components, which keep ${pct(r1)} + ${pct(r2)} = ${pct(r1 + r2)} of the variance.`;
    const top = neighbors
      .slice(0, 3)
      .map((n) => `${name(n.index)} ${n.similarity.toFixed(3)}`)
      .join(', ');
    drawMap(
      this.querySelector('svg')!,
      pca.projected.map(([x, y], i) => ({ label: name(i), x, y })),
      chosen,
      neighbors.map((n) => n.index),
      `PCA map of ${v} ${source === 'random' ? 'random' : 'trained'} character embeddings; ${name(chosen)} is chosen, its nearest neighbours are ${top}. The tables list every number.`,
      (i) => {
        this.select('token').value = String(i);
        this.render();
      },
    );
    this.querySelector('.row-title')!.textContent =
      `Row ${chosen} of the table (${name(chosen)}), ${d} numbers:`;
    const row = table[chosen].map((x) => x.toFixed(4));
    this.querySelector('.row-values')!.textContent =
      `[${row.slice(0, 16).join(', ')}${d > 16 ? `, … ${d - 16} more` : ''}]`;
    this.querySelector('.neighbours caption')!.textContent = `Nearest neighbours of ${name(chosen)}`;
    this.querySelector('.neighbours tbody')!.replaceChildren(
      ...neighbors.map((n, rank) =>
        textRow([String(rank + 1), { text: name(n.index), className: 'tok' }, n.similarity.toFixed(4)]),
      ),
    );
    this.querySelector('.note')!.textContent =
      source === 'random'
        ? 'Random vectors: neighbours are chance, and similarities stay near 0. Training is what puts related characters together.'
        : 'Cosine similarity is measured in all dimensions; the map keeps only two, so a close neighbour can look far away on it.';
    this.querySelector('.coords tbody')!.replaceChildren(
      ...pca.projected.map(([x, y], i) =>
        textRow([{ text: name(i), className: 'tok' }, x.toFixed(4), y.toFixed(4)]),
      ),
    );
  }
}

if (!customElements.get('embedding-explorer')) customElements.define('embedding-explorer', EmbeddingExplorer);
