/**
 * A cell once the learner interacts: the editor replaces the server-rendered code, Run sends the
 * code to the sandbox, output streams in as text/our SVG, edits persist per cell, Reset restores
 * the original, Copy link shares the edited code in the URL fragment, exercises show their checks.
 */
import { createEditor, type CellEditor } from './cell-editor';
import { renderCheck, renderItem } from './cell-output';
import { decodeCode, encodeCode, readShared, writeShared } from './cell-share';
import { storageKey } from './cell-keys';
import { markSolved } from './solved';
import { copyText } from '../../src/site/clipboard';
import { sandbox, type RunOutcome } from './sandbox-host';
import type { CellApp } from './code-cell';

function q<T extends HTMLElement>(root: HTMLElement, sel: string): T {
  const e = root.querySelector<T>(sel);
  if (!e) throw new Error(`code-cell: missing ${sel}`);
  return e;
}

/** Attach the interactive cell to its server-rendered element. */
export async function mountCell(root: HTMLElement): Promise<CellApp> {
  const id = root.dataset.id ?? '';
  const original = root.dataset.code ?? '';
  const exercise = root.dataset.exercise || undefined;
  const label = root.getAttribute('aria-label') ?? id;
  const key = storageKey(location.pathname, id);
  const host = q(root, '[data-code-host]');
  const out = q(root, '[data-output]');
  const status = q(root, '[data-status]');
  const notice = q<HTMLParagraphElement>(root, '[data-notice]');
  const limit = q<HTMLInputElement>(root, '[data-limit]');
  const button = (name: string) => q<HTMLButtonElement>(root, `button[data-act="${name}"]`);

  let storageOk = true;
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(key);
  } catch {
    storageOk = false;
  }
  let shared: string | null = null;
  const sharedRaw = readShared(id);
  let sharedError: string | null = null;
  if (sharedRaw !== null) {
    const decoded = await decodeCode(sharedRaw);
    if ('code' in decoded) shared = decoded.code;
    else sharedError = decoded.error;
  }

  function showNotice(text: string, action?: { label: string; run(): void }): void {
    notice.textContent = text;
    if (action) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'button';
      b.textContent = action.label;
      b.addEventListener('click', action.run);
      notice.append(' ', b);
    }
    notice.hidden = false;
  }
  function clearNotice(): void {
    notice.hidden = true;
    notice.textContent = '';
  }

  let loading = true;
  let persist = 0;
  const editor: CellEditor = createEditor(host, shared ?? saved ?? original, {
    label,
    onRun: () => void run(),
    onLeave: () => button('run').focus(),
    onChange: (code) => {
      if (loading) return;
      clearTimeout(persist);
      persist = window.setTimeout(() => save(code), 250);
    },
  });
  host.querySelector('.astro-code')?.remove();
  host.removeAttribute('title');
  loading = false;

  function save(code: string): void {
    try {
      if (code === original) localStorage.removeItem(key);
      else localStorage.setItem(key, code);
    } catch {
      if (storageOk) showNotice('This browser is not keeping storage, so your edits will be lost on reload.');
      storageOk = false;
    }
  }

  if (sharedError !== null) {
    showNotice(
      `The link's code for this cell could not be read (${sharedError}), so the cell shows its own code.`,
    );
  } else if (shared !== null) {
    showNotice('This cell shows code from the link you opened.', {
      label: 'Back to the original',
      run: () => {
        writeShared(id, null);
        editor.setCode(saved ?? original);
        clearNotice();
      },
    });
  } else if (saved !== null) {
    showNotice('Your edits from last time are restored. Reset brings back the original.');
  } else if (!storageOk) {
    showNotice('This browser is not keeping storage, so your edits will be lost on reload.');
  }

  let running = false;
  function setRunning(on: boolean): void {
    running = on;
    button('run').disabled = on;
    button('stop').disabled = !on;
  }

  function timeLimitMs(): number {
    const s = Number(limit.value);
    if (!Number.isFinite(s) || s < 1 || s > 300) {
      limit.setAttribute('aria-invalid', 'true');
      status.textContent = 'The time limit must be between 1 and 300 seconds; using 5.';
      return 5000;
    }
    limit.removeAttribute('aria-invalid');
    return s * 1000;
  }

  async function run(): Promise<void> {
    if (running) return;
    const code = editor.getCode();
    const ms = timeLimitMs();
    setRunning(true);
    out.replaceChildren();
    status.textContent = 'Starting the sandbox…';
    const started = { t: 0 };
    let outcome: RunOutcome;
    try {
      outcome = await sandbox().run({
        code,
        exercise,
        timeLimitMs: ms,
        onItem: (item) => renderItem(out, item),
        onStart: () => {
          started.t = performance.now();
          status.textContent = 'Running…';
        },
      });
    } catch (e) {
      outcome = { status: 'crashed', message: e instanceof Error ? e.message : String(e) };
    }
    setRunning(false);
    const secs = ((performance.now() - started.t) / 1000).toFixed(2);
    if (outcome.status === 'done') {
      status.textContent = outcome.ok
        ? `Ran in ${secs} s.`
        : `Stopped with an error after ${secs} s (see below).`;
      if (outcome.check) {
        renderCheck(out, outcome.check);
        if (outcome.check.failures.length === 0 && exercise) {
          markSolved(
            exercise,
            root.dataset.chapter ?? exercise.split('/')[0],
            root.dataset.exerciseTitle ?? label,
          );
          root.dispatchEvent(new CustomEvent('cell-solved', { bubbles: true }));
        }
      } else if (exercise && outcome.ok) {
        renderCheck(out, { failures: ['the checks did not run'], passed: 0 });
      }
    } else if (outcome.status === 'timeout') {
      status.textContent = `Stopped: the run took longer than the ${ms / 1000} s time limit, so the sandbox was restarted. Raise the limit if your code needs longer.`;
    } else if (outcome.status === 'stopped') {
      status.textContent = 'Stopped. The sandbox was restarted; Run starts fresh.';
    } else if (outcome.status === 'crashed') {
      status.textContent = `The sandbox stopped (${outcome.message}), perhaps out of memory; it was restarted.`;
    }
  }

  async function share(): Promise<void> {
    const link = writeShared(id, await encodeCode(editor.getCode()));
    status.textContent = (await copyText(link))
      ? 'Link copied: it opens this page with your code in this cell.'
      : `Copy this link (it is also in the address bar): ${link}`;
  }

  function reset(): void {
    editor.setCode(original);
    clearTimeout(persist);
    save(original);
    if (readShared(id) !== null) writeShared(id, null);
    clearNotice();
    status.textContent = 'Reset to the original code.';
  }

  return {
    act(name) {
      if (name === 'run') void run();
      else if (name === 'stop') void sandbox().stop();
      else if (name === 'reset') reset();
      else if (name === 'share') void share();
    },
    focusEditor: () => editor.focus(),
  };
}
