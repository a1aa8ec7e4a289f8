import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import astro from 'eslint-plugin-astro';
import globals from 'globals';

/** Imports that would tie the pure core (src/lib, src/model) to a host: DOM helpers, Astro, d3. */
const pureCoreBans = {
  patterns: [
    {
      group: ['astro', 'astro:*', 'astro/*', '*.astro'],
      message: 'src/lib and src/model stay framework-free.',
    },
    { group: ['d3', 'd3-*'], message: 'Drawing belongs in components/, not the pure core.' },
    { group: ['**/components/**', '**/pages/**', '**/layouts/**'], message: 'The core never imports views.' },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'dist/',
      '.astro/',
      'coverage/',
      'node_modules/',
      'test-results/',
      'playwright-report/',
      'public/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...astro.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The pure core: no DOM globals, no framework, no drawing library.
    files: ['src/lib/**/*.ts', 'src/model/**/*.ts'],
    languageOptions: { globals: { ...globals.node, ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-imports': ['error', pureCoreBans],
      'no-restricted-globals': [
        'error',
        'document',
        'window',
        'navigator',
        'HTMLElement',
        'localStorage',
        'Math.random',
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Pass a seeded RNG.' },
      ],
    },
  },
);
