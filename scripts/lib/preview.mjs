// Serve the built site (dist/) with `astro preview` on a free local port, for the screenshot scripts.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A port nothing listens on now. */
async function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

/**
 * Start `astro preview` and wait (up to about 3 minutes on a busy machine) until the home page answers.
 * Returns the origin ("http://127.0.0.1:PORT/") and stop(), which ends the server.
 */
export async function startPreview() {
  const port = await freePort();
  const server = spawn(
    'node_modules/.bin/astro',
    ['preview', '--host', '127.0.0.1', '--port', String(port)],
    {
      stdio: 'ignore',
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
    },
  );
  const origin = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 900; i++) {
    try {
      if ((await fetch(origin)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return { origin, stop: () => server.kill() };
}
