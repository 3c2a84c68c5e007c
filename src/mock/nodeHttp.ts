/**
 * The mock server's plumbing on Node's http (server.ts): which dialect a path speaks, a request body read
 * with a cap, an answer written, and listening with errors in words.
 */
import type * as http from 'http';
import type { AddressInfo } from 'net';
import type { Dialect, MockResponse } from './http';
import { MAX_BODY_BYTES } from './limits';

const JSON_TYPE = 'application/json; charset=utf-8';

export function dialectOf(pathname: string): Dialect {
  if (pathname === '/api' || pathname.startsWith('/api/')) return 'defender';
  if (pathname.startsWith('/v1.0/')) return 'graph';
  if (/^\/[^/]+\/oauth2\/v2\.0\/token$/.test(pathname)) return 'token';
  return 'other';
}

/** The body as text; past 1 MB only the flag (read to the end so the client gets the 413, not a reset). */
export function readBody(req: http.IncomingMessage): Promise<{ text: string | undefined; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve({ tooLarge, text: tooLarge || size === 0 ? undefined : Buffer.concat(chunks).toString('utf8') }));
    req.on('error', reject);
  });
}

export function send(res: http.ServerResponse, r: MockResponse): void {
  if (res.destroyed || res.writableEnded) return;
  const payload = r.raw ?? (r.body === undefined ? '' : JSON.stringify(r.body));
  res.writeHead(r.status, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(payload), 'Cache-Control': 'no-store', ...r.headers });
  res.end(payload);
}

export function listen(server: http.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      if (e.code === 'EADDRINUSE') reject(new Error(`Port ${port} on ${host} is already in use`));
      else if (e.code === 'EACCES') reject(new Error(`Not allowed to listen on port ${port} on ${host}`));
      else if (e.code === 'EADDRNOTAVAIL') reject(new Error(`Address ${host} is not available on this machine`));
      else reject(new Error(`Cannot listen on ${host}:${port}: ${e.message}`));
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
