/**
 * Copy buttons on the code blocks of a page: each shiki block (Markdown fences and <SourceCode>) gets a real
 * <button> (keyboard-reachable, named "Copy code") in a wrapper above its scrolling <pre>, and a live status
 * that says "Copied" (or how to copy by hand when no clipboard is available). Small on purpose: chapter
 * pages load it eagerly.
 */
import { copyText, flashStatus } from './clipboard';

/** The code blocks that get a button: shiki output and plain pre>code, outside the live widgets. */
const BLOCKS = 'pre.astro-code, pre:has(> code)';

/** Add a copy button to every code block under `root` (once per block). */
export function addCopyButtons(root: ParentNode | null): void {
  root?.querySelectorAll<HTMLPreElement>(BLOCKS).forEach((pre) => {
    if (pre.closest('.widget, .code-block')) return;
    const wrap = document.createElement('div');
    wrap.className = 'code-block';
    pre.replaceWith(wrap);
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'copy-code';
    button.textContent = 'Copy';
    button.setAttribute('aria-label', 'Copy code');
    const status = document.createElement('span');
    status.className = 'copy-status';
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    button.addEventListener('click', async () => {
      const ok = await copyText(pre.innerText.replace(/\n$/, ''));
      flashStatus(status, ok ? 'Copied' : 'Select the code and press Ctrl+C to copy', ok ? 4000 : 8000);
    });
    wrap.append(button, status, pre);
  });
}
