/**
 * Registers the site's service worker (dist/sw.js, generated at build time by
 * scripts/offline/build-offline.mjs) and runs the update prompt: a new deployment installs in the
 * background and waits; the page switches to it only when the learner presses "Reload" (or on the next
 * visit, once every tab of the old version is closed), so one page never mixes two versions.
 */

/** The prompt's parts: the box shown when an update waits, and its reload button. */
export interface UpdatePromptParts {
  box: HTMLElement;
  reload: HTMLButtonElement;
}

/** Check for a new deployment this often while a page stays open (the browser also checks on navigation). */
const UPDATE_CHECK_MS = 60 * 60 * 1000;

/** Register sw.js under the base path and wire the update prompt; does nothing where service workers are unavailable. */
export function registerServiceWorker(swUrl: string, scope: string, parts: UpdatePromptParts): void {
  const sw = navigator.serviceWorker as ServiceWorkerContainer | undefined;
  if (!sw) return;
  const hadController = sw.controller !== null;
  let accepted = false;
  let registration: ServiceWorkerRegistration | null = null;

  const show = (): void => {
    parts.box.hidden = false;
  };
  parts.reload.addEventListener('click', () => {
    accepted = true;
    const waiting = registration?.waiting;
    if (waiting) waiting.postMessage({ type: 'skip-waiting' });
    else location.reload(); // another tab already switched: this one only needs to reload
  });
  sw.addEventListener('controllerchange', () => {
    if (accepted) location.reload();
    else if (hadController) show(); // another tab accepted: this page is now the old version
  });

  const watch = (reg: ServiceWorkerRegistration): void => {
    registration = reg;
    if (reg.waiting && sw.controller) show();
    reg.addEventListener('updatefound', () => {
      const installing = reg.installing;
      installing?.addEventListener('statechange', () => {
        if (installing.state === 'installed' && sw.controller) show();
      });
    });
    setInterval(() => void reg.update().catch(() => undefined), UPDATE_CHECK_MS);
  };
  sw.register(swUrl, { scope }).then(
    (reg: ServiceWorkerRegistration | undefined) => {
      if (reg) watch(reg); // undefined where a test harness blocks service workers
    },
    () => {
      // No service worker (private mode, blocked storage): the site works online, just not offline.
    },
  );
}
