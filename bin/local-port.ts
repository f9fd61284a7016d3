/**
 * The API port check of `npm start`, done before the emulators start: the local API listens on
 * 127.0.0.1:PORT, so the port is probed by listening there for a moment.
 */
import { createServer } from 'node:net';

/** Host the local API listens on (lib/local/api-server.ts). */
const HOST = '127.0.0.1';

/** The usable port, or a one-line problem (what is wrong and what to do). */
export type PortCheck = { ok: true; port: number } | { ok: false; problem: string };

/** Resolves to the error code of listening on `port`, or null when it is free. */
function probe(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? String(err)));
    server.listen(port, HOST, () => server.close(() => resolve(null)));
  });
}

/**
 * Checks the PORT environment value (undefined: 3000; 0: any free port). When the port is
 * taken, the problem names a free one nearby to use instead.
 */
export async function checkPort(raw: string | undefined): Promise<PortCheck> {
  const port = raw === undefined || raw.trim() === '' ? 3000 : Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return { ok: false, problem: `PORT must be a port number (0-65535), got '${raw}'` };
  const code = await probe(port);
  if (code === null) return { ok: true, port };
  if (code !== 'EADDRINUSE') return { ok: false, problem: `cannot listen on ${HOST}:${port} (${code}); pick another port: PORT=3001 npm start` };
  let free: number | undefined;
  for (let p = port + 1; p <= Math.min(port + 20, 65535) && free === undefined; p++) if ((await probe(p)) === null) free = p;
  return {
    ok: false,
    problem: `port ${port} is already in use on ${HOST} (another npm start?); stop that process or pick another port: PORT=${free ?? port + 1} npm start`,
  };
}
