/** A loopback TCP listener that only counts who connects and what they send: a redirect target. */
import { createServer, type AddressInfo } from 'node:net';

/** What reached the listener. */
export interface Listener {
  readonly url: string;
  readonly port: number;
  /** Connections accepted so far. */
  connections(): number;
  /** Every byte received, as text. */
  received(): string;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1, accepts and records, never answers. */
export async function startListener(): Promise<Listener> {
  let connections = 0;
  let received = '';
  const server = createServer((socket) => {
    connections++;
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connections: () => connections,
    received: () => received,
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}
