// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { unified } from '@astrojs/markdown-remark';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import { codeDefaultColor, codeThemes } from './src/site/code-themes.js';
import rehypeScrollRegions from './src/site/rehype-scroll-regions.js';
import { siteHeaders } from './src/site/headers.js';
import { wasmThreadsPlugin } from './src/site/vite-wasm-threads.js';

/** Sub-path to serve under (e.g. BASE_PATH=/attention-notebook/ for a project page); default is the root. */
const base = process.env.BASE_PATH ?? '/';

export default defineConfig({
  site: process.env.SITE_URL ?? 'http://localhost:4321',
  base,
  trailingSlash: 'ignore',
  // COOP/COEP (cross-origin isolation, for threaded wasm) on `astro dev` pages and `astro preview`.
  server: { headers: siteHeaders() },
  integrations: [mdx()],
  markdown: {
    // Astro 7's default processor runs no remark/rehype plugins; unified() does (KaTeX needs them).
    processor: unified({ remarkPlugins: [remarkMath], rehypePlugins: [rehypeKatex, rehypeScrollRegions] }),
    shikiConfig: {
      themes: codeThemes,
      defaultColor: codeDefaultColor,
      wrap: false,
    },
  },
  security: {
    csp: {
      directives: [
        "default-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
      ],
      // KaTeX and shiki emit style attributes; scripts stay hash-locked.
      styleDirective: { resources: ["'self'", "'unsafe-inline'"] },
      // WebAssembly (pagefind search, tfjs wasm backend) needs wasm-unsafe-eval; nothing needs eval.
      scriptDirective: { resources: ["'self'", "'wasm-unsafe-eval'"] },
    },
  },
  vite: {
    server: { headers: siteHeaders() }, // the dev server's assets and workers too
    // tfjs's threaded wasm starts pthread workers from a function's source text: keep it self-contained.
    plugins: [wasmThreadsPlugin()],
    worker: { format: 'es', plugins: () => [wasmThreadsPlugin()] },
    build: { assetsInlineLimit: 0 },
  },
});
