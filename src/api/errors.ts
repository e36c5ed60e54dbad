/**
 * ApiError: the facts of a failure (kind, reason, status, code, host, which timeout, the server's words) and a short
 * English diagnostic for the log. What the user reads is written above the client, from `reason` (src/errors).
 */

import { hostOf } from './host';

export type ApiErrorKind =
  | 'auth'
  | 'notFound'
  | 'badRequest'
  | 'rateLimit'
  | 'quota'
  | 'server'
  | 'network'
  | 'timeout'
  | 'wrongBaseUrl'
  | 'insecureBaseUrl'
  | 'tooLarge'
  | 'aborted'
  | 'incompleteStream'
  | 'failed';

/** What exactly went wrong, one sentence each above the client. */
export type ApiErrorReason =
  | 'noKey'
  | 'keyRejected'
  | 'keyMalformed'
  | 'accessDenied'
  | 'gatewayRefused'
  | 'quotaExhausted'
  | 'rateLimited'
  | 'noChannel'
  | 'routeNotFound'
  | 'noEndpoint'
  | 'pageNotFound'
  | 'tooLarge'
  | 'refused'
  | 'noModel'
  | 'emptyConversation'
  | 'gatewayTimeout'
  | 'gatewayUnreachable'
  | 'gatewayFailed'
  | 'wrongEndpoint'
  | 'conflict'
  | 'serverError'
  | 'notJson'
  | 'answerTooLarge'
  | 'answerTooLong'
  | 'malformedEvent'
  | 'emptyBody'
  | 'unknownShape'
  | 'webPage'
  | 'redirect'
  | 'emptyBaseUrl'
  | 'invalidBaseUrl'
  | 'badScheme'
  | 'insecureBaseUrl'
  | 'notModelList'
  | 'proxyAuth'
  | 'proxyRefused'
  | 'proxyRejected'
  | 'proxyHungUp'
  | 'tls'
  | 'dropped'
  | 'unreachable'
  | 'connectTimeout'
  | 'firstByteTimeout'
  | 'idleTimeout'
  | 'serverTimeout'
  | 'cutOff'
  | 'noAnswer'
  | 'modelFailed'
  | 'streamError'
  | 'answeredError'
  | 'stopped'
  | 'unexpected';

/** Specifics a sentence may name. Never the key. */
export interface ApiErrorFacts {
  /** `host:port` the request went to. */
  host?: string;
  /** The URL that was called. */
  url?: string;
  /** `host:port` of the proxy in between. */
  proxy?: string;
  /** The proxy's status when it refused the tunnel. */
  proxyStatus?: number;
  /** The length of the timeout that fired. */
  timeoutMs?: number;
  /** The gateway in front of the relay that answered with a page, e.g. `Cloudflare`. */
  gateway?: string;
  /** The model of the request. */
  model?: string;
  /** The base URL as configured, for base-URL failures. */
  baseUrl?: string;
  /** The network error's code or words, or what failed unexpectedly. */
  detail?: string;
  /** The most bytes an answer read in one piece may have. */
  sizeLimit?: number;
}

export interface ApiErrorInit {
  kind: ApiErrorKind;
  reason?: ApiErrorReason;
  /** A short English diagnostic for the log. */
  message: string;
  retryable: boolean;
  status?: number;
  code?: string;
  partialText?: string;
  serverMessage?: string;
  requestId?: string;
  /** How long the server asked us to wait (from `retry-after` / `retry-after-ms`). */
  retryAfterMs?: number;
  /** Which timeout fired, for kind `timeout`. */
  timeout?: 'connect' | 'firstByte' | 'idle';
  facts?: ApiErrorFacts;
}

/** The reason a kind stands for when nothing more specific is known. */
const defaultReasons: Record<ApiErrorKind, ApiErrorReason> = {
  auth: 'keyRejected',
  notFound: 'routeNotFound',
  badRequest: 'refused',
  rateLimit: 'rateLimited',
  quota: 'quotaExhausted',
  server: 'serverError',
  network: 'unreachable',
  timeout: 'firstByteTimeout',
  wrongBaseUrl: 'webPage',
  insecureBaseUrl: 'insecureBaseUrl',
  tooLarge: 'answerTooLarge',
  aborted: 'stopped',
  incompleteStream: 'cutOff',
  failed: 'unexpected',
};

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly kind: ApiErrorKind;
  readonly reason: ApiErrorReason;
  readonly status?: number;
  readonly code?: string;
  /** Retrying the same request may succeed (the client itself only retries before any text arrived). */
  readonly retryable: boolean;
  /** The answer text that arrived before the failure. */
  partialText?: string;
  /** The server's own words, verbatim (request id suffix removed). */
  serverMessage?: string;
  readonly requestId?: string;
  readonly retryAfterMs?: number;
  readonly timeout?: 'connect' | 'firstByte' | 'idle';
  readonly facts: ApiErrorFacts;

  constructor(init: ApiErrorInit) {
    super(init.message);
    this.kind = init.kind;
    this.reason = init.reason ?? defaultReasons[init.kind];
    this.retryable = init.retryable;
    this.facts = init.facts ?? {};
    if (init.status !== undefined) this.status = init.status;
    if (init.code !== undefined) this.code = init.code;
    if (init.partialText !== undefined) this.partialText = init.partialText;
    if (init.serverMessage !== undefined) this.serverMessage = init.serverMessage;
    if (init.requestId !== undefined) this.requestId = init.requestId;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.timeout !== undefined) this.timeout = init.timeout;
  }
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 120) return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}

/** Codes of a CONNECT tunnel's failures (src/api/proxy.ts), read by errorFromNetwork. */
export const tunnelCodes = {
  /** The proxy closed or reset the connection before answering CONNECT: what a SOCKS-only port does. */
  hungUp: 'PROXY_HUNG_UP',
  /** The proxy answered CONNECT with something that is not an HTTP head. */
  badAnswer: 'PROXY_BAD_ANSWER',
} as const;

/** Network failures (before or while talking to the server); `code` is Node's or undici's. */
export function errorFromNetwork(cause: unknown, url: string, proxyUrl: string | undefined): ApiError {
  const code = networkCode(cause);
  const host = hostOf(url);
  const proxy = proxyUrl ? hostOf(proxyUrl) : undefined;
  const facts: ApiErrorFacts = { host, url, ...(proxy !== undefined ? { proxy } : {}) };
  const rawMessage = cause instanceof Error ? cause.message : String(cause);
  const proxyMatch = /Proxy response \((\d+)\)/.exec(rawMessage);
  if (proxyMatch) {
    const proxyStatus = Number(proxyMatch[1]);
    return new ApiError({
      kind: 'network',
      reason: proxyStatus === 407 ? 'proxyAuth' : 'proxyRefused',
      retryable: false,
      code: code ?? 'PROXY_ERROR',
      facts: { ...facts, proxyStatus },
      message: `The proxy ${proxy ?? ''} answered HTTP ${proxyStatus} to CONNECT ${host}.`,
    });
  }
  if (code === tunnelCodes.hungUp) {
    return new ApiError({
      kind: 'network',
      reason: 'proxyHungUp',
      retryable: false,
      code,
      facts,
      message: `The proxy ${proxy ?? ''} closed the connection without answering CONNECT ${host}.`,
    });
  }
  if (code === tunnelCodes.badAnswer) {
    return new ApiError({
      kind: 'network',
      reason: 'proxyRejected',
      retryable: false,
      code,
      facts: { ...facts, detail: rawMessage },
      message: `The proxy ${proxy ?? ''} answered CONNECT ${host} badly: ${rawMessage}.`,
    });
  }
  // The socks library's own words: the SOCKS5 proxy turned the credentials or the destination down.
  if (proxy && /Socks5? Authentication failed|authentication/i.test(rawMessage) && /socks/i.test(rawMessage)) {
    return new ApiError({ kind: 'network', reason: 'proxyAuth', retryable: false, code: code ?? 'PROXY_AUTH', facts: { ...facts, detail: rawMessage }, message: rawMessage });
  }
  if (proxy && /^Socks/i.test(rawMessage)) {
    return new ApiError({ kind: 'network', reason: 'proxyRejected', retryable: false, code: code ?? 'PROXY_ERROR', facts: { ...facts, detail: rawMessage }, message: rawMessage });
  }
  const via = proxy ? ` through the proxy ${proxy}` : '';
  const detail = code ?? rawMessage;
  const tlsCodes = /CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET)|ERR_TLS|ERR_SSL|EPROTO/;
  const reason: ApiErrorReason =
    code !== undefined && tlsCodes.test(code)
      ? 'tls'
      : code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE'
        ? 'dropped'
        : 'unreachable';
  return new ApiError({
    kind: 'network',
    reason,
    retryable: reason !== 'tls' && code !== 'ENOTFOUND',
    ...(code !== undefined ? { code } : {}),
    facts: { ...facts, detail },
    message: `${reason === 'tls' ? 'TLS failed' : reason === 'dropped' ? 'Connection dropped' : 'Could not reach'} ${host}${via} (${detail}).`,
  });
}

export function networkCode(cause: unknown): string | undefined {
  let current: unknown = cause;
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth++) {
    const value = current as { code?: unknown; errors?: unknown; cause?: unknown };
    if (typeof value.code === 'string') return value.code;
    if (Array.isArray(value.errors) && value.errors.length > 0) {
      current = value.errors[0];
      continue;
    }
    current = value.cause;
  }
  return undefined;
}
