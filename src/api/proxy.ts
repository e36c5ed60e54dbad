import * as tls from 'node:tls';
import { SocksClient } from 'socks';
import { Agent, ProxyAgent } from 'undici';
import type { Dispatcher, buildConnector } from 'undici';
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

/**
 * One pooled dispatcher per (proxy, connect timeout, strictness, proxy authorization), so keep-alive connections are
 * reused across requests. An HTTP(S) proxy is tunnelled with CONNECT; a SOCKS5 proxy through its own connector.
 */
export function dispatcherFor(settings: DispatcherSettings): Dispatcher {
  const { proxyUrl, connectTimeoutMs } = settings;
  const strictSSL = proxyUrl ? (settings.strictSSL ?? true) : true;
  const key = [proxyUrl ?? 'direct', connectTimeoutMs, strictSSL, settings.proxyAuthorization ?? ''].join('\u0000');
  let dispatcher = dispatchers.get(key);
  if (!dispatcher) {
    if (!proxyUrl) {
      dispatcher = new Agent({ connect: { timeout: connectTimeoutMs } });
    } else if (isSocksProxy(proxyUrl)) {
      dispatcher = new Agent({ connect: socksConnector(proxyUrl, connectTimeoutMs, strictSSL) });
    } else {
      dispatcher = new ProxyAgent({
        uri: proxyUrl,
        ...(settings.proxyAuthorization ? { token: settings.proxyAuthorization } : {}),
        proxyTls: { timeout: connectTimeoutMs, rejectUnauthorized: strictSSL },
        requestTls: { timeout: connectTimeoutMs, rejectUnauthorized: strictSSL },
        connect: { timeout: connectTimeoutMs },
      });
    }
    dispatchers.set(key, dispatcher);
  }
  return dispatcher;
}

/**
 * Drops a pooled dispatcher that cannot end a request: undici 6's ProxyAgent reconnects without end to a proxy that
 * hangs up after CONNECT (nodejs/undici#3897), and an aborted request then never settles. The next request builds a
 * new one.
 */
export function discardDispatcher(dispatcher: Dispatcher): void {
  for (const [key, pooled] of dispatchers) {
    if (pooled === dispatcher) dispatchers.delete(key);
  }
  dispatcher.destroy().catch(() => undefined);
}

/** Closes pooled connections (tests, extension deactivation). */
export async function closeDispatchers(): Promise<void> {
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
