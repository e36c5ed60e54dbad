/** A minimal HTTP CONNECT proxy on 127.0.0.1 that records each tunnel it opens (for proxy tests). */
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ConnectProxy {
  url: string;
  /** `host:port` of every CONNECT request, in order. */
  tunnels: string[];
  /** `proxy-authorization` headers received (for credential tests). */
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

/** With `requireAuth`, CONNECT without that exact `proxy-authorization` value gets 407. */
export async function startConnectProxy(options: { requireAuth?: string } = {}): Promise<ConnectProxy> {
  const tunnels: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => {
    res.writeHead(405, { 'content-type': 'text/plain' });
    res.end('This test proxy only supports CONNECT.');
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    const target = req.url ?? '';
    authorizations.push(req.headers['proxy-authorization']);
    if (options.requireAuth !== undefined && req.headers['proxy-authorization'] !== options.requireAuth) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    tunnels.push(target);
    const [host, port] = target.split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface HangUpProxy {
  url: string;
  /** How many connections it has accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

export interface ScriptedProxy extends HangUpProxy {
  /** The head of every CONNECT request it read, as text. */
  requests: string[];
}

/**
 * A proxy on 127.0.0.1 that reads each CONNECT request's head and leaves the connection to `answer`: write something,
 * hang up, or say nothing at all.
 */
export async function startScriptedProxy(answer: (socket: net.Socket, request: string) => void): Promise<ScriptedProxy> {
  let count = 0;
  const requests: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString('latin1');
      const end = seen.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      requests.push(seen.slice(0, end));
      answer(socket, seen.slice(0, end));
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => count,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * What a SOCKS-only port does when `http.proxy` points at it: it accepts the connection, reads the CONNECT request
 * and hangs up without a word.
 */
export function startHangUpProxy(): Promise<ScriptedProxy> {
  return startScriptedProxy((socket) => socket.destroy());
}

/** A proxy that reads the CONNECT request and never answers it (a stuck proxy or firewall). */
export function startSilentProxy(): Promise<ScriptedProxy> {
  return startScriptedProxy(() => undefined);
}
