/** Shiki themes for code blocks: high-contrast GitHub themes pass WCAG AA contrast in both modes. */
export const codeThemes = /** @type {const} */ ({
  light: 'github-light-high-contrast',
  dark: 'github-dark-high-contrast',
});
