/**
 * Counts the TCP sockets of this process as Node's `net` diagnostics channels announce them: the client sockets
 * opened (by undici or anyone else) and the connections a server on one port accepted. For load tests.
 */
import * as diagnostics from 'node:diagnostics_channel';
import type { Socket } from 'node:net';

export interface SocketTally {
  /** Sockets seen since the counter started (or since `resetPeaks`). */
  opened: number;
  /** Sockets not closed yet. */
  open: number;
  /** The most open at one time. */
  peak: number;
}

export interface SocketCounter {
  /** Sockets this process opened with `net.connect`. */
  readonly client: SocketTally;
  /** Connections accepted on `serverPort`. */
  readonly server: SocketTally;
  /** Starts `opened` and `peak` again from the sockets open now. */
  resetPeaks(): void;
  stop(): void;
}

function tally(): SocketTally {
  return { opened: 0, open: 0, peak: 0 };
}

function track(counts: SocketTally, socket: Socket): void {
  counts.opened++;
  counts.open++;
  counts.peak = Math.max(counts.peak, counts.open);
  socket.once('close', () => {
    counts.open--;
  });
}

export function startSocketCounter(serverPort: number): SocketCounter {
  const client = tally();
  const server = tally();
  const onClient = (message: unknown): void => track(client, (message as { socket: Socket }).socket);
  const onServer = (message: unknown): void => {
    const { socket } = message as { socket: Socket };
    if (socket.localPort === serverPort) track(server, socket);
  };
  diagnostics.subscribe('net.client.socket', onClient);
  diagnostics.subscribe('net.server.socket', onServer);
  return {
    client,
    server,
    resetPeaks: () => {
      for (const counts of [client, server]) {
        counts.opened = 0;
        counts.peak = counts.open;
      }
    },
    stop: () => {
      diagnostics.unsubscribe('net.client.socket', onClient);
      diagnostics.unsubscribe('net.server.socket', onServer);
    },
  };
}

/** Every TCP socket handle of this process, both ends of a loopback connection included. */
export function activeTcpSockets(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'TCPSocketWrap').length;
}

/** Polls `condition` every 10 ms until it holds or `withinMs` passed; resolves with its last value. */
export async function settle(condition: () => boolean, withinMs: number): Promise<boolean> {
  const deadline = performance.now() + withinMs;
  while (!condition()) {
    if (performance.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}
