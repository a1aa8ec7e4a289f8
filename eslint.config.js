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

/**
 * TensorFlow.js stays behind the engine seam: only the tfjs engine, the worker's backend setup and its tests.
 * The notebook cells' sandbox bundle is the one other door: it hands learners' code `import * as tf from 'tfjs'`
 * (the model never goes through it), and its Node test loads the same modules.
 */
const tfjsOnlyHere = [
  'src/model/tfjs/**',
  'src/workers/training/backend.ts',
  'src/cells/tfjs-bundle.ts',
  'tests/unit/model/tfjs/**',
  'tests/unit/workers/memory*.test.ts',
  'tests/unit/cells/notebook.test.ts',
];
const tfjsBan = {
  group: ['@tensorflow/*', '@tensorflow/**'],
  message:
    'Only src/model/tfjs/** and src/workers/training/backend.ts import TensorFlow.js; elsewhere use the Engine interface (src/model/engine.ts).',
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
      'src/model/wasm/assembly/', // AssemblyScript (v128, usize, load<f32>): checked by asc, not tsc
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
      'no-restricted-imports': ['error', { patterns: [...pureCoreBans.patterns, tfjsBan] }],
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
  {
    // The engine seam: TensorFlow.js everywhere else in the tree only through the Engine interface.
    files: ['**/*.ts', '**/*.mjs', '**/*.js', '**/*.astro'],
    ignores: [...tfjsOnlyHere, 'src/lib/**', 'src/model/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [tfjsBan] }] },
  },
  {
    // The pure core outside the tfjs engine: the pure-core bans plus the seam.
    files: ['src/model/tfjs/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', pureCoreBans] },
  },
);
