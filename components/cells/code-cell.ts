/**
 * The eager part of a notebook cell (kept tiny for the page's JS budget): it waits for the first
 * interaction (focus or click on the code, a button) and only then loads the editor, transpiler and
 * sandbox. A cell with saved edits or a shared link in the URL loads at once, to show that code.
 */
import { storageKey } from './cell-keys';
import { cellKey, readFragmentEntry } from '../../src/site/fragment-state';

/** What the lazily loaded part exposes to the shell. */
export interface CellApp {
  act(name: string): void;
  focusEditor(): void;
}

class CodeCellElement extends HTMLElement {
  private app: Promise<CellApp> | null = null;

  connectedCallback(): void {
    const host = this.querySelector<HTMLElement>('[data-code-host]');
    const startEditing = () => void this.load().then((app) => app.focusEditor());
    host?.addEventListener('focusin', startEditing, { once: true });
    host?.addEventListener('pointerdown', startEditing, { once: true });
    this.addEventListener('click', (e) => {
      const button = (e.target as Element).closest<HTMLButtonElement>('button[data-act]');
      if (button && this.contains(button)) void this.load().then((app) => app.act(button.dataset.act!));
    });
    const id = this.dataset.id ?? '';
    let saved: string | null = null;
    try {
      saved = localStorage.getItem(storageKey(location.pathname, id));
    } catch {
      // Storage blocked: the app says so once it loads.
    }
    if (saved !== null || readFragmentEntry(location.hash, cellKey(id)) !== null) void this.load();
  }

  /** Load the editor and sandbox glue once. */
  load(): Promise<CellApp> {
    this.app ??= import('./cell-app').then((m) => m.mountCell(this));
    return this.app;
  }
}

if (!customElements.get('code-cell')) customElements.define('code-cell', CodeCellElement);
