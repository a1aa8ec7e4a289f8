/** Storage and URL-fragment keys for notebook cells (shared by the eager shell and the app). */

/** localStorage key of a cell's saved edits: per page path and cell id. */
export function storageKey(pathname: string, id: string): string {
  return `an-cell:${pathname.replace(/\/index\.html$/, '/').replace(/\/?$/, '/')}${id}`;
}

/** localStorage key of the solved-exercises record. */
export const SOLVED_KEY = 'an-exercises-solved';

/** Event dispatched on window when the solved-exercises record changes. */
export const SOLVED_EVENT = 'an-exercises-change';
