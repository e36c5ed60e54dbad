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
