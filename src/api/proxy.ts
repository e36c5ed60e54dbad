import * as net from 'node:net';
import * as tls from 'node:tls';
import { SocksClient } from 'socks';
import { Agent, errors } from 'undici';
import type { Dispatcher, buildConnector } from 'undici';
import { tunnelCodes } from './errors';
import type { ProxyOptions } from './types';

/** `socks5://`, `socks5h://` (names resolved by the proxy) and `socks://`: v2ray and clash users put these in http.proxy. */
export function isSocksProxy(proxyUrl: string): boolean {
  return /^socks(5h?)?:\/\//i.test(proxyUrl);
}

/** Which proxy applies to a URL: the explicit setting first, else the usual environment variables. */
export function proxyFor(targetUrl: string, proxy: ProxyOptions | undefined, env = process.env): string | undefined {
  if (proxy?.disabled) return undefined;
  const target = new URL(targetUrl);
  const explicit = proxy?.url?.trim();
  const fromEnv =
    target.protocol === 'https:'
      ? env.https_proxy || env.HTTPS_PROXY || env.http_proxy || env.HTTP_PROXY
      : env.http_proxy || env.HTTP_PROXY;
  const chosen = explicit || fromEnv?.trim();
  if (!chosen) return undefined;
  const noProxy = proxy?.noProxy ?? env.no_proxy ?? env.NO_PROXY ?? '';
  if (bypassesProxy(target, noProxy)) return undefined;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(chosen) ? chosen : `http://${chosen}`;
}

/** `NO_PROXY` semantics as curl has them: `*`, `host`, `.domain`, `*.domain`, `host:port`, exact IPs. */
export function bypassesProxy(target: URL, noProxy: string): boolean {
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy.split(/[,\s]+/)) {
    let entry = raw.trim().toLowerCase();
    if (entry.length === 0) continue;
    if (entry === '*') return true;
    let entryPort: string | undefined;
    const portMatch = /^(.*):(\d+)$/.exec(entry);
    if (portMatch && !entry.includes('::')) {
      entry = portMatch[1];
      entryPort = portMatch[2];
    }
    entry = entry.replace(/^\[|\]$/g, '').replace(/^\*?\./, '.');
    if (entryPort !== undefined && entryPort !== port) continue;
    if (entry.startsWith('.')) {
      if (host.endsWith(entry) || host === entry.slice(1)) return true;
    } else if (host === entry || host.endsWith(`.${entry}`)) {
      return true;
    }
  }
  return false;
}

const dispatchers = new Map<string, Dispatcher>();

/** What a dispatcher is built from; one pooled dispatcher per distinct set. */
export interface DispatcherSettings {
  readonly proxyUrl: string | undefined;
  readonly connectTimeoutMs: number;
  /** VS Code's `http.proxyStrictSSL`: false accepts the certificates of a TLS-inspecting proxy (proxied only). */
  readonly strictSSL?: boolean;
  /** VS Code's `http.proxyAuthorization`: the `Proxy-Authorization` header for an HTTP proxy. */
  readonly proxyAuthorization?: string;
}

/**
 * Connects through a SOCKS5 proxy (with the user and password of its URL, if any), then speaks TLS to the target
 * for https: the connector undici calls for each new connection.
 */
function socksConnector(proxyUrl: string, connectTimeoutMs: number, strictSSL: boolean): buildConnector.connector {
  const proxy = new URL(proxyUrl);
  return (options, callback) => {
    const secure = options.protocol === 'https:';
    const port = Number(options.port) || (secure ? 443 : 80);
    SocksClient.createConnection({
      proxy: {
        host: proxy.hostname.replace(/^\[|\]$/g, ''),
        port: Number(proxy.port) || 1080,
        type: 5,
        ...(proxy.username ? { userId: decodeURIComponent(proxy.username), password: decodeURIComponent(proxy.password) } : {}),
      },
      command: 'connect',
      destination: { host: options.hostname, port },
      timeout: connectTimeoutMs,
    }).then(
      ({ socket }) => {
        if (!secure) {
          callback(null, socket);
          return;
        }
        const secured = tls.connect({ socket, servername: options.servername ?? options.hostname, rejectUnauthorized: strictSSL, ALPNProtocols: ['http/1.1'] });
        secured.once('secureConnect', () => callback(null, secured));
        secured.once('error', (error) => callback(error, null));
      },
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null),
    );
  };
}

/** The most bytes a proxy's answer to CONNECT may have up to its blank line. */
const maxConnectAnswerBytes = 16 * 1024;

/** An error with a code errorFromNetwork reads. */
function tunnelError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

/** `host:port` as an HTTP authority: an IPv6 literal in brackets. */
function authority(hostname: string, port: number): string {
  return `${net.isIPv6(hostname) ? `[${hostname}]` : hostname}:${port}`;
}

/** SNI is for names only: no server name is sent for an IP address. */
function serverNameFor(host: string): string | undefined {
  return net.isIP(host) ? undefined : host;
}

/** `Proxy-Authorization`: http.proxyAuthorization when given, else Basic from the user and password of the proxy URL. */
function proxyAuthorizationFor(proxy: URL, explicit: string | undefined): string | undefined {
  if (explicit) return explicit.replace(/[\r\n]/g, '');
  if (!proxy.username) return undefined;
  return `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`;
}

/**
 * Sends `request` once `socket` is connected and reads the head of the answer. On a 2xx, `done(null)` leaves the
 * socket paused, without these listeners, the bytes after the head put back; otherwise `done(error)` and the caller
 * destroys the socket. A proxy that closes or resets the connection before its answer has hung up.
 */
function awaitConnectAnswer(
  socket: net.Socket,
  connectedEvent: 'connect' | 'secureConnect',
  request: string,
  proxy: string,
  done: (error: Error | null) => void,
): void {
  let sent = false;
  let head = Buffer.alloc(0);
  const detach = (): void => {
    socket.off(connectedEvent, onConnected).off('data', onData).off('end', onEnd).off('close', onEnd).off('error', onError);
  };
  const fail = (error: Error): void => {
    detach();
    // The caller destroys the socket; an error still on its way must not go unheard.
    socket.on('error', () => undefined);
    done(error);
  };
  const hungUp = (): Error => tunnelError(`The proxy ${proxy} closed the connection without answering CONNECT`, tunnelCodes.hungUp);
  function onConnected(): void {
    sent = true;
    socket.write(request);
  }
  function onEnd(): void {
    fail(hungUp());
  }
  function onError(error: NodeJS.ErrnoException): void {
    fail(sent && (error.code === 'ECONNRESET' || error.code === 'EPIPE') ? hungUp() : error);
  }
  function onData(chunk: Buffer): void {
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) {
      if (head.length > maxConnectAnswerBytes) {
        fail(tunnelError(`its answer to CONNECT has not ended within ${maxConnectAnswerBytes / 1024} KB`, tunnelCodes.badAnswer));
      }
      return;
    }
    const status = /^HTTP\/1\.[01] (\d{3})[ \r]/.exec(head.subarray(0, end + 2).toString('latin1'));
    if (!status) {
      fail(tunnelError('its answer to CONNECT is not HTTP', tunnelCodes.badAnswer));
      return;
    }
    const statusCode = Number(status[1]);
    if (statusCode < 200 || statusCode > 299) {
      fail(new Error(`Proxy response (${statusCode}) to CONNECT`));
      return;
    }
    detach();
    socket.pause();
    const rest = head.subarray(end + 4);
    if (rest.length > 0) socket.unshift(rest);
    done(null);
  }
  socket.once(connectedEvent, onConnected).on('data', onData).once('end', onEnd).once('close', onEnd).once('error', onError);
}

/** What a CONNECT tunnel is built from, besides the target undici asks for. */
export interface TunnelSettings {
  readonly proxyUrl: string;
  readonly connectTimeoutMs: number;
  readonly strictSSL: boolean;
  readonly proxyAuthorization?: string;
}

/**
 * Tunnels through an HTTP(S) proxy with CONNECT, then speaks TLS to the target for https: the connector undici calls
 * for each new connection. A proxy that refuses or hangs up fails the request, where undici 6's ProxyAgent reconnected
 * without end (nodejs/undici#3897). The whole handshake, to the proxy and through it, has the connect timeout.
 */
export function connectTunnel(settings: TunnelSettings): buildConnector.connector {
  const proxyUrl = new URL(settings.proxyUrl);
  const proxyHost = proxyUrl.hostname.replace(/^\[|\]$/g, '');
  const secureProxy = proxyUrl.protocol === 'https:';
  const proxyPort = Number(proxyUrl.port) || (secureProxy ? 443 : 80);
  const proxy = authority(proxyHost, proxyPort);
  const authorization = proxyAuthorizationFor(proxyUrl, settings.proxyAuthorization);
  const { connectTimeoutMs, strictSSL } = settings;
  return (options, callback) => {
    const secure = options.protocol === 'https:';
    const target = authority(options.hostname, Number(options.port) || (secure ? 443 : 80));
    const sockets: net.Socket[] = [];
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      return true;
    };
    const fail = (error: Error): void => {
      if (!settle()) return;
      for (const opened of sockets) opened.destroy();
      callback(error, null);
    };
    const succeed = (socket: net.Socket): void => {
      if (settle()) callback(null, socket);
    };
    // As with undici's own connector, 0 means no connect timeout.
    const timer =
      connectTimeoutMs > 0 && Number.isFinite(connectTimeoutMs)
        ? setTimeout(
            () => fail(new errors.ConnectTimeoutError(`Connect Timeout Error (through the proxy ${proxy} to ${target}, timeout: ${connectTimeoutMs}ms)`)),
            connectTimeoutMs,
          )
        : undefined;
    const toProxy = secureProxy
      ? tls.connect({ host: proxyHost, port: proxyPort, servername: serverNameFor(proxyHost), rejectUnauthorized: strictSSL })
      : net.connect({ host: proxyHost, port: proxyPort });
    sockets.push(toProxy);
    toProxy.setNoDelay(true);
    toProxy.setKeepAlive(true, 60_000);
    const credentials = authorization ? [`Proxy-Authorization: ${authorization}`] : [];
    const request = [`CONNECT ${target} HTTP/1.1`, `Host: ${target}`, ...credentials, '', ''].join('\r\n');
    awaitConnectAnswer(toProxy, secureProxy ? 'secureConnect' : 'connect', request, proxy, (error) => {
      if (error) {
        fail(error);
        return;
      }
      if (!secure) {
        succeed(toProxy);
        return;
      }
      const secured = tls.connect({
        socket: toProxy,
        host: options.hostname,
        servername: options.servername || serverNameFor(options.hostname),
        rejectUnauthorized: strictSSL,
        ALPNProtocols: ['http/1.1'],
      });
      sockets.push(secured);
      secured.once('error', fail);
      secured.once('secureConnect', () => {
        secured.off('error', fail);
        succeed(secured);
      });
    });
  };
}

/**
 * One pooled dispatcher per (proxy, connect timeout, strictness, proxy authorization), so keep-alive connections are
 * reused across requests. An HTTP(S) proxy is tunnelled with CONNECT; a SOCKS5 proxy through its own connector.
 */
export function dispatcherFor(settings: DispatcherSettings): Dispatcher {
  const { proxyUrl, connectTimeoutMs, proxyAuthorization } = settings;
  const strictSSL = proxyUrl ? (settings.strictSSL ?? true) : true;
  const key = [proxyUrl ?? 'direct', connectTimeoutMs, strictSSL, proxyAuthorization ?? ''].join('\u0000');
  let dispatcher = dispatchers.get(key);
  if (!dispatcher) {
    if (!proxyUrl) {
      dispatcher = new Agent({ connect: { timeout: connectTimeoutMs } });
    } else if (isSocksProxy(proxyUrl)) {
      dispatcher = new Agent({ connect: socksConnector(proxyUrl, connectTimeoutMs, strictSSL) });
    } else {
      dispatcher = new Agent({ connect: connectTunnel({ proxyUrl, connectTimeoutMs, strictSSL, ...(proxyAuthorization ? { proxyAuthorization } : {}) }) });
    }
    dispatchers.set(key, dispatcher);
  }
  return dispatcher;
}

/**
 * Drops a pooled dispatcher under an aborted request that does not settle (its connection still being made), so the
 * caller does not wait on it. The next request builds a new one.
 */
export function discardDispatcher(dispatcher: Dispatcher): void {
  for (const [key, pooled] of dispatchers) {
    if (pooled === dispatcher) dispatchers.delete(key);
  }
  dispatcher.destroy().catch(() => undefined);
}

let closings = 0;

/** How many times the pools were closed: a request under way when they close is not retried on a new pool. */
export function closedPoolsCount(): number {
  return closings;
}

/** Closes pooled connections (tests, extension deactivation). */
export async function closeDispatchers(): Promise<void> {
  closings++;
  const all = [...dispatchers.values()];
  dispatchers.clear();
  await Promise.all(all.map((d) => d.destroy().catch(() => undefined)));
}

/** The proxy URL without credentials, for log lines. */
export function describeProxy(proxyUrl: string): string {
  try {
    const url = new URL(proxyUrl);
    return `${url.protocol}//${url.host}`;
  } catch {
    return '(proxy)';
  }
}
