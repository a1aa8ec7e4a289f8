/** The <embedding-explorer> element: PCA map and cosine neighbours of character embeddings, drawn with d3. */
import type { Matrix } from '../../../src/lib/matrix';
import { modelUrl, parseCharModel } from '../sampling-playground/char-model';
import { drawMap } from './chart';
import { charLabel, embeddingView, randomTable } from './model';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

export class EmbeddingExplorer extends HTMLElement {
  private vocab: string[] = [];
  private trained: Matrix | null = null;
  private loadError = '';
  private onInput = () => this.render();
  private onSubmit = (e: Event) => e.preventDefault();
  private onTheme = () => this.render();

  connectedCallback() {
    const form = this.querySelector('form');
    form?.addEventListener('input', this.onInput);
    form?.addEventListener('submit', this.onSubmit);
    document.addEventListener('themechange', this.onTheme);
    void this.load();
  }

  disconnectedCallback() {
    const form = this.querySelector('form');
    form?.removeEventListener('input', this.onInput);
    form?.removeEventListener('submit', this.onSubmit);
    document.removeEventListener('themechange', this.onTheme);
  }

  private async load() {
    try {
      const response = await fetch(modelUrl(this.dataset.base ?? '/'));
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const parsed = parseCharModel(await response.json());
      if (typeof parsed === 'string') throw new Error(parsed);
      this.vocab = parsed.vocab;
      this.trained = parsed.embeddings;
    } catch (err) {
      this.loadError = `The trained embeddings could not be loaded (${err instanceof Error ? err.message : String(err)}); showing random ones.`;
      const select = this.querySelector<HTMLSelectElement>('select[name=source]');
      if (select) select.value = 'random';
      this.vocab = JSON.parse(this.dataset.vocab ?? '[]') as string[];
    }
    this.render();
    this.dataset.ready = 'true';
  }

  private input(name: string): HTMLInputElement {
    return this.querySelector<HTMLInputElement>(`[name=${name}]`)!;
  }

  private fail(field: HTMLInputElement, text: string) {
    field.setAttribute('aria-invalid', 'true');
    const message = this.querySelector<HTMLElement>('.message')!;
    message.hidden = false;
    message.textContent = text;
  }

  private render() {
    if (this.vocab.length === 0) return;
    const source = this.input('source').value === 'random' || !this.trained ? 'random' : 'trained';
    this.querySelector<HTMLElement>('[data-for=random]')!.hidden = source !== 'random';
    const seedIn = this.input('seed');
    const kIn = this.input('k');
    const message = this.querySelector<HTMLElement>('.message')!;
    seedIn.setAttribute('aria-invalid', 'false');
    kIn.setAttribute('aria-invalid', 'false');
    message.hidden = !this.loadError;
    message.textContent = this.loadError;
    const seed = Number(seedIn.value);
    if (
      source === 'random' &&
      (seedIn.value.trim() === '' || !Number.isInteger(seed) || seed < 0 || seed > 4294967295)
    ) {
      return this.fail(seedIn, 'Seed must be a whole number from 0 to 4294967295.');
    }
    const v = this.vocab.length;
    const k = Number(kIn.value);
    if (kIn.value.trim() === '' || !Number.isInteger(k) || k < 1 || k > Math.min(10, v - 1)) {
      return this.fail(kIn, `Neighbours must be a whole number from 1 to ${Math.min(10, v - 1)}.`);
    }
    const d = this.trained?.[0].length ?? 10;
    const table = source === 'trained' && this.trained ? this.trained : randomTable(v, d, seed);
    const chosen = Math.max(0, Math.min(v - 1, Number(this.input('token').value)));
    const { pca, neighbors } = embeddingView(table, chosen, k);
    const name = (i: number) => charLabel(this.vocab[i]);

    const [r1, r2] = pca.explainedVarianceRatio;
    this.querySelector('.summary')!.textContent =
      `${source === 'trained' ? 'Trained' : `Random (seed ${seed})`}: ${v} characters, each a vector of ${d} numbers. ` +
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
      `PCA map of ${v} ${source} character embeddings; ${name(chosen)} is chosen, its nearest neighbours are ${top}. The tables list every number.`,
      (i) => {
        this.input('token').value = String(i);
        this.render();
      },
    );
    this.querySelector('.row-title')!.textContent =
      `Row ${chosen} of the table (${name(chosen)}), ${d} numbers:`;
    this.querySelector('.row-values')!.textContent = `[${table[chosen].map((x) => x.toFixed(4)).join(', ')}]`;
    this.querySelector('.neighbours caption')!.textContent = `Nearest neighbours of ${name(chosen)}`;
    this.querySelector('.neighbours tbody')!.replaceChildren(
      ...neighbors.map((n, rank) => {
        const tr = el('tr');
        tr.append(
          el('td', String(rank + 1)),
          el('td', name(n.index), 'tok'),
          el('td', n.similarity.toFixed(4)),
        );
        return tr;
      }),
    );
    this.querySelector('.note')!.textContent =
      source === 'trained'
        ? 'Cosine similarity is measured in all dimensions; the map keeps only two, so a close neighbour can look far away on it.'
        : 'Random vectors: neighbours are chance, and similarities stay near 0. Training is what puts related characters together.';
    this.querySelector('.coords tbody')!.replaceChildren(
      ...pca.projected.map(([x, y], i) => {
        const tr = el('tr');
        tr.append(el('td', name(i), 'tok'), el('td', x.toFixed(4)), el('td', y.toFixed(4)));
        return tr;
      }),
    );
  }
}

if (!customElements.get('embedding-explorer')) customElements.define('embedding-explorer', EmbeddingExplorer);
