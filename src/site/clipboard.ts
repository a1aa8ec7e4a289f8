/**
 * Copy text to the clipboard: the async Clipboard API where the page may use it, else a hidden textarea and
 * `document.execCommand('copy')` (works without clipboard permission inside a click). Resolves to whether
 * the text reached the clipboard; never rejects.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Permission refused or no focus: try the old way below.
  }
  return copyWithSelection(text);
}

/** The execCommand fallback: select `text` in an off-screen textarea and copy it. */
function copyWithSelection(text: string): boolean {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'clipboard-buffer';
  const focused = document.activeElement as HTMLElement | null;
  document.body.append(area);
  area.select();
  let ok: boolean;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  focused?.focus({ preventScroll: true });
  return ok;
}

/**
 * Show `message` in a live `status` element for a few seconds, then clear it so the same message is
 * announced again next time.
 */
export function flashStatus(status: HTMLElement, message: string, ms = 4000): void {
  status.textContent = message;
  const timer = Number(status.dataset.timer ?? 0);
  if (timer) clearTimeout(timer);
  status.dataset.timer = String(
    setTimeout(() => {
      status.textContent = '';
      delete status.dataset.timer;
    }, ms),
  );
}
