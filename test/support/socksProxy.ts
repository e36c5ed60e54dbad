/** A minimal SOCKS5 proxy on 127.0.0.1 (RFC 1928, with RFC 1929 user/password) that records each connection it opens. */
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface SocksProxy {
  /** `socks5://127.0.0.1:port`, with `user:password@` when the proxy requires them. */
  url: string;
  /** `host:port` of every CONNECT it carried out, in order. */
  connections: string[];
  close(): Promise<void>;
}

/** Reads exactly `length` bytes from the socket (the handshake is a short exchange of small messages). */
function reader(socket: net.Socket): (length: number) => Promise<Buffer> {
  let buffered = Buffer.alloc(0);
  let waiting: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    waiting?.();
  });
  return async (length) => {
    while (buffered.length < length) {
      await new Promise<void>((resolve, reject) => {
        waiting = resolve;
        socket.once('close', () => reject(new Error('closed')));
      });
    }
    const out = buffered.subarray(0, length);
    buffered = buffered.subarray(length);
    return out;
  };
}

export async function startSocksProxy(options: { user?: string; password?: string } = {}): Promise<SocksProxy> {
  const connections: string[] = [];
  const sockets = new Set<net.Socket>();
  const requireAuth = options.user !== undefined;
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    const read = reader(client);
    void (async () => {
      const [, methodCount] = await read(2);
      const methods = await read(methodCount);
      const wanted = requireAuth ? 0x02 : 0x00;
      if (!methods.includes(wanted)) {
        client.end(Buffer.from([0x05, 0xff]));
        return;
      }
      client.write(Buffer.from([0x05, wanted]));
      if (requireAuth) {
        const [, userLength] = await read(2);
        const user = (await read(userLength)).toString();
        const [passwordLength] = await read(1);
        const password = (await read(passwordLength)).toString();
        const ok = user === options.user && password === options.password;
        client.write(Buffer.from([0x01, ok ? 0x00 : 0x01]));
        if (!ok) {
          client.end();
          return;
        }
      }
      const [, command, , addressType] = await read(4);
      let host: string;
      if (addressType === 0x01) host = [...(await read(4))].join('.');
      else if (addressType === 0x03) host = (await read((await read(1))[0])).toString();
      else host = (await read(16)).toString('hex').replace(/(.{4})(?!$)/g, '$1:');
      const port = (await read(2)).readUInt16BE(0);
      if (command !== 0x01) {
        client.end(Buffer.from([0x05, 0x07, 0x00, 0x01, 0, 0, 0, 0, 0, 0]));
        return;
      }
      const upstream = net.connect(port, host === 'localhost' ? '127.0.0.1' : host, () => {
        connections.push(`${host}:${port}`);
        client.write(Buffer.from([0x05, 0x00, 0x00, 0x01, 127, 0, 0, 1, 0, 0]));
        upstream.pipe(client);
        client.pipe(upstream);
      });
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.on('error', () => client.end(Buffer.from([0x05, 0x05, 0x00, 0x01, 0, 0, 0, 0, 0, 0])));
      client.on('error', () => upstream.destroy());
    })().catch(() => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const credentials = requireAuth ? `${encodeURIComponent(options.user ?? '')}:${encodeURIComponent(options.password ?? '')}@` : '';
  return {
    url: `socks5://${credentials}127.0.0.1:${port}`,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
