/**
 * An HTTP CONNECT proxy on 127.0.0.1 whose behaviour a test switches while a VS Code uses it (the fault suite):
 * `pass` tunnels to the target, `hangUp` reads CONNECT and closes without a word (a SOCKS-only port in
 * http.proxy), and `pause()` stops listening on its port (a proxy that refuses connections) until `resume()`.
 * Host names can be mapped to 127.0.0.1 ports, so a test can use a base URL with a made-up name.
 */
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';

export type ProxyMode = 'pass' | 'hangUp';

export interface SwitchableProxy {
  readonly url: string;
  readonly port: number;
  mode: ProxyMode;
  /** Every CONNECT target (`host:port`) it was asked for, in order, in any mode. */
  readonly connects: string[];
  /** Drops every open tunnel (so the next request connects anew and meets the current mode). */
  dropConnections(): void;
  /** Stops listening and drops every connection: connecting to the proxy is refused. */
  pause(): Promise<void>;
  /** Listens on the same port again. */
  resume(): Promise<void>;
  close(): Promise<void>;
}

export async function startSwitchableProxy(hosts: Record<string, number> = {}): Promise<SwitchableProxy> {
  const sockets = new Set<net.Socket>();
  const connects: string[] = [];
  const track = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const proxy = {
    mode: 'pass' as ProxyMode,
    connects,
  };
  const server = net.createServer((client) => {
    track(client);
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      client.off('data', onData);
      const request = head.subarray(0, end).toString('latin1');
      const rest = head.subarray(end + 4);
      const target = /^CONNECT (\S+) HTTP\/1\.[01]/.exec(request)?.[1];
      if (target) connects.push(target);
      if (proxy.mode === 'hangUp') {
        client.destroy();
        return;
      }
      if (!target) {
        client.end('HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const separator = target.lastIndexOf(':');
      const host = target.slice(0, separator).replace(/^\[|\]$/g, '');
      const port = Number(target.slice(separator + 1));
      const mapped = hosts[host.toLowerCase()];
      const upstream = net.connect(mapped ?? port, mapped !== undefined ? '127.0.0.1' : host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (rest.length > 0) upstream.write(rest);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      track(upstream);
      upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n'));
      client.on('close', () => upstream.destroy());
    };
    client.on('data', onData);
  });
  let port = 0;
  const listen = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const stop = (): Promise<void> =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      if (!server.listening) {
        resolve();
        return;
      }
      server.close(() => resolve());
    });
  await listen();
  return Object.assign(proxy, {
    url: `http://127.0.0.1:${port}`,
    port,
    dropConnections: () => {
      for (const socket of sockets) socket.destroy();
    },
    pause: stop,
    resume: listen,
    close: stop,
  });
}
