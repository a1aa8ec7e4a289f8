/**
 * Run TypeScript from src/ with TensorFlow.js on its CPU backend in Node, the way the Node scripts (the bench,
 * the loss-curve recorder) need it: Vite's SSR loader compiles the TypeScript on the fly, so nothing is built
 * first. `work(load)` gets the loader (`load('/src/model/index.ts')`); the server is closed however it ends.
 */
import { createRequire } from 'node:module';
import { createServer } from 'vite';

// tfjs-core's ESM Node platform calls require('util'); give the inlined modules one.
globalThis.require ??= createRequire(import.meta.url);

/**
 * tfjs-backend-wasm's ESM files import its Emscripten factories and its pthread worker's source from
 * CommonJS/UMD files in wasm-out/, which the SSR loader cannot evaluate: give each an ESM export (and the
 * `__dirname` Emscripten reads in Node), so a Node script can switch to the wasm backend
 * (`load('@tensorflow/tfjs-backend-wasm')`; the Node bench's `--backend wasm`).
 */
const wasmOutAsEsm = {
  name: 'tfjs-wasm-out-as-esm',
  transform(code, id) {
    const file = /tfjs-backend-wasm\/wasm-out\/([^/]+)\.js$/.exec(id);
    if (!file) return null;
    if (file[1].endsWith('.worker')) {
      return code.replace('module.exports.wasmWorkerContents =', 'export const wasmWorkerContents =');
    }
    const name = /^var (\w+) = /m.exec(code)?.[1];
    const dir = JSON.stringify(id.slice(0, id.lastIndexOf('/')));
    return `const __dirname = ${dir};\n${code}\nexport default ${name};\n`;
  },
};

/** Start the loader, put tfjs on the CPU backend (production mode), run `work`, and close the loader. */
export async function withTfjsCpu(work) {
  const server = await createServer({
    configFile: false,
    logLevel: 'error',
    server: { middlewareMode: true, hmr: false },
    appType: 'custom',
    optimizeDeps: { noDiscovery: true },
    // tfjs runs as ES modules through Vite, as in the browser bundle: the packages' CommonJS mains have no
    // gradients, and the ESM files' extensionless relative imports are beyond Node's own resolver.
    ssr: { noExternal: [/^@tensorflow\//] },
    plugins: [wasmOutAsEsm],
  });
  try {
    const load = (path) => server.ssrLoadModule(path);
    const tf = await load('/src/model/tfjs/tf.ts');
    await load('@tensorflow/tfjs-backend-cpu');
    tf.enableProdMode();
    await tf.setBackend('cpu');
    return await work(load);
  } finally {
    await server.close();
  }
}
