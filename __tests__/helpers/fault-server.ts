/** A small in-process HTTP server that answers with scripted faults, for the push client's tests. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** What one request got, for assertions. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  /** The body's bytes, for binary payloads. */
  readonly raw: Buffer;
}

/** Answers request number `index` (0-based); may write nothing and destroy the socket. */
export type Script = (index: number, req: IncomingMessage, res: ServerResponse) => void;

/** Starts the server on 127.0.0.1 (HTTPS when given a key and certificate); `close` stops it. */
export async function startFaultServer(
  script: Script,
  tls?: { key: string; cert: string },
): Promise<{ url: string; seen: SeenRequest[]; close: () => Promise<void> }> {
  const seen: SeenRequest[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const index = seen.length;
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
        raw: Buffer.concat(chunks),
      });
      script(index, req, res);
    });
  };
  const server = tls === undefined ? createServer(handler) : createTlsServer(tls, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
