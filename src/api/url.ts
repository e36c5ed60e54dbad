import { ApiError } from './errors';

const knownEndpointSuffix = /\/v1\/(responses|chat\/completions|models)$/i;

/**
 * Joins the configured base URL and an API path: `https://x.vip`, `https://x.vip/`, `https://x.vip/v1` and
 * `https://x.vip/v1/` (even a pasted `…/v1/responses`) all give `https://x.vip/v1/responses` for `/v1/responses`.
 */
export function resolveEndpointUrl(baseUrl: string, path: string): string {
  let base = baseUrl.trim();
  if (base.length === 0) {
    throw new ApiError({ kind: 'wrongBaseUrl', reason: 'emptyBaseUrl', message: 'The base URL is empty.', retryable: false });
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(base)) {
    base = `https://${base}`;
  }
  let parsed: URL;
  try {
    parsed = new URL(base);
  } catch {
    throw new ApiError({
      kind: 'wrongBaseUrl',
      reason: 'invalidBaseUrl',
      facts: { baseUrl: baseUrl.trim() },
      message: `The base URL “${baseUrl.trim()}” is not a valid URL.`,
      retryable: false,
    });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ApiError({
      kind: 'wrongBaseUrl',
      reason: 'badScheme',
      facts: { baseUrl: `${parsed.protocol}//` },
      message: `The base URL has the scheme ${parsed.protocol}, not https: or http:.`,
      retryable: false,
    });
  }
  let prefix = parsed.pathname.replace(/\/+$/, '').replace(knownEndpointSuffix, '');
  let rest = path.startsWith('/') ? path : `/${path}`;
  if (!/^\/v1(\/|$)/.test(rest)) {
    rest = `/v1${rest}`;
  }
  if (/\/v1$/i.test(prefix)) {
    prefix = prefix.slice(0, -3);
  }
  return `${parsed.origin}${prefix}${rest}`;
}

export { hostOf } from './host';

/** `localhost`, `127.0.0.0/8` and `[::1]`, as written in the URL (not what the name resolves to). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Refuses a plain `http://` base URL to any host but this machine before a connection is made: the key would travel
 * in the clear. The caller passes `allowInsecureHttp` once the user has agreed for that host.
 */
export function assertSecureBaseUrl(url: string, allowInsecureHttp: boolean | undefined): void {
  const parsed = new URL(url);
  if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname) && allowInsecureHttp !== true) {
    throw new ApiError({
      kind: 'insecureBaseUrl',
      reason: 'insecureBaseUrl',
      retryable: false,
      facts: { host: parsed.host, url },
      message: `Refused plain http:// to ${parsed.host}: the key would travel unencrypted.`,
    });
  }
}
