/**
 * The attention calculator's formulas on the page: plain text at once, KaTeX once it has loaded (lazily,
 * in its own chunk). The TeX holds only numbers and fixed symbols, never the learner's text.
 */
import type { Formula } from './formula-text';

interface Katex {
  renderToString(tex: string, options?: Record<string, unknown>): string;
}

/** Shows formulas in their boxes and re-renders every box with KaTeX when it arrives. */
export class FormulaView {
  private katex: Katex | null = null;
  private readonly texShown = new WeakMap<Element, string>();
  private readonly formulas = new Map<HTMLElement, Formula>();

  /** Load KaTeX and re-render the formulas shown so far; true when it loaded while `alive()` held. */
  async load(alive: () => boolean): Promise<boolean> {
    try {
      const m = await import('katex');
      if (!alive()) return false;
      this.katex = (m.default ?? m) as Katex;
      this.formulas.forEach((f, node) => this.show(node, f));
      return true;
    } catch {
      return false; // the plain-text formulas stay
    }
  }

  /** Show formula `f` in box `el` (its text is also kept in data-formula for tests and tools). */
  set(el: HTMLElement, f: Formula): void {
    this.formulas.set(el, f);
    el.dataset.formula = f.text;
    this.show(el, f);
  }

  /**
   * Render with KaTeX once it has loaded, else as text. The focused cell's formula is inline math, so it
   * wraps at + and = instead of running out of its box.
   */
  private show(el: HTMLElement, f: Formula): void {
    if (!this.katex) {
      if (el.textContent !== f.text) el.textContent = f.text;
      return;
    }
    if (this.texShown.get(el) === f.tex) return;
    this.texShown.set(el, f.tex);
    el.innerHTML = this.katex.renderToString(f.tex, {
      displayMode: !el.classList.contains('cell-formula'),
      throwOnError: false,
      output: 'htmlAndMathml',
    });
  }
}
