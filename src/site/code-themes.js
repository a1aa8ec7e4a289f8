/** Shiki themes for code blocks: high-contrast GitHub themes pass WCAG AA contrast in both modes. */
export const codeThemes = /** @type {const} */ ({
  light: 'github-light-high-contrast',
  dark: 'github-dark-high-contrast',
});

/**
 * No inline colour: every token carries both themes' colours as --shiki-light and --shiki-dark, and one
 * rule in global.css picks one with light-dark(), so the toggle and the system preference both follow
 * color-scheme (the dark override is written once, not once per way of choosing dark).
 */
export const codeDefaultColor = false;
