import { chromium } from '@playwright/test';
import { serveStatic } from './static-server.mjs';
const { server, url } = await serveStatic({ dir: 'dist', isolate: true });
const b = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const p = await (await b.newContext({ serviceWorkers: 'block' })).newPage();
await p.goto(url + 'chapters/capstone/');
console.log(
  await p.evaluate(async () => {
    const src = `postMessage([self.crossOriginIsolated, navigator.hardwareConcurrency, typeof SharedArrayBuffer, (()=>{try{new MessageChannel().port1.postMessage(new SharedArrayBuffer(1));return 'ok'}catch(e){return String(e)}})()])`;
    const w = new Worker(URL.createObjectURL(new Blob([src])));
    return new Promise((r) => (w.onmessage = (e) => r(JSON.stringify(e.data))));
  }),
);
console.log(await p.evaluate(() => navigator.hardwareConcurrency));
await b.close();
server.close();
