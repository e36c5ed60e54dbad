import { Agent, ProxyAgent } from 'undici';
import type { Dispatcher } from 'undici';
import type { ProxyOptions } from './types';

/** Which proxy applies to a URL: the explicit setting first, else the usual environment variables. */
export function proxyFor(targetUrl: string, proxy: ProxyOptions | undefined, env = process.env): string | undefined {
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

/**
 * One pooled dispatcher per (proxy, connect timeout, strictness), so keep-alive connections are reused across
 * requests. `strictSSL: false` (VS Code's `http.proxyStrictSSL`) accepts the certificates a TLS-inspecting proxy
 * presents; it applies only to connections through a proxy.
 */
export function dispatcherFor(proxyUrl: string | undefined, connectTimeoutMs: number, strictSSL = true): Dispatcher {
  const key = `${proxyUrl ?? 'direct'}\u0000${connectTimeoutMs}\u0000${proxyUrl ? strictSSL : true}`;
  let dispatcher = dispatchers.get(key);
  if (!dispatcher) {
    dispatcher = proxyUrl
      ? new ProxyAgent({
          uri: proxyUrl,
          proxyTls: { timeout: connectTimeoutMs, rejectUnauthorized: strictSSL },
          requestTls: { timeout: connectTimeoutMs, rejectUnauthorized: strictSSL },
          connect: { timeout: connectTimeoutMs },
        })
      : new Agent({ connect: { timeout: connectTimeoutMs } });
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
