/** ApiError and the sentences a user can act on: what happened, and what to do next. */

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
  | 'aborted'
  | 'incompleteStream'
  | 'failed';

export interface ApiErrorInit {
  kind: ApiErrorKind;
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
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly kind: ApiErrorKind;
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

  constructor(init: ApiErrorInit) {
    super(init.message);
    this.kind = init.kind;
    this.retryable = init.retryable;
    if (init.status !== undefined) this.status = init.status;
    if (init.code !== undefined) this.code = init.code;
    if (init.partialText !== undefined) this.partialText = init.partialText;
    if (init.serverMessage !== undefined) this.serverMessage = init.serverMessage;
    if (init.requestId !== undefined) this.requestId = init.requestId;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.timeout !== undefined) this.timeout = init.timeout;
  }
}

/** What a relay said in an error body, whatever its dialect. */
export interface ServerWords {
  message?: string;
  code?: string;
  type?: string;
  requestId?: string;
}

const requestIdSuffix = /\s*[(（]\s*request id:\s*([^)）]+)[)）]\s*$/i;

function asText(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim().length > 0) return value.trim();
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** Reads the OpenAI shape `{error:{message,type,param,code}}` and the new-api / one-api variants. */
export function readServerWords(json: unknown): ServerWords {
  if (json === null || typeof json !== 'object') {
    return {};
  }
  const body = json as Record<string, unknown>;
  const inner = body.error;
  let message: string | undefined;
  let code: string | undefined;
  let type: string | undefined;
  if (inner !== null && typeof inner === 'object') {
    const e = inner as Record<string, unknown>;
    message = asText(e.message) ?? asText(e.msg);
    code = asText(e.code);
    type = asText(e.type);
  } else {
    message = asText(inner);
  }
  message ??= asText(body.message) ?? asText(body.msg) ?? asText(body.detail);
  if (message === undefined && body.detail !== null && typeof body.detail === 'object') {
    message = asText((body.detail as Record<string, unknown>).message);
  }
  code ??= asText(body.code);
  type ??= asText(body.type);
  const words: ServerWords = {};
  if (message !== undefined) {
    const match = requestIdSuffix.exec(message);
    if (match) {
      words.requestId = match[1].trim();
      message = message.slice(0, match.index).trim();
    }
    words.message = message;
  }
  if (code !== undefined) words.code = code;
  if (type !== undefined) words.type = type;
  return words;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

const quotaWords = /quota|balance|insufficient|额度|余额|欠费|credit/i;
const noChannelWords = /无可用渠道|no available channel/i;
const notSupportedWords =
  /not[ _-]?supported|unsupported|does not support|not support|不支持|convert_request_failed|invalid url|unknown (url|endpoint|route)|no route/i;
/** Words that put the blame on the endpoint or the Responses format, not on a parameter of the request. */
const wrongEndpointWords =
  /convert[_ ]request[_ ]failed|invalid url|unknown (url|endpoint|route)|no route|(responses?|endpoint|route|url|api|format|channel)\b.{0,60}(not[ _-]?supported|unsupported|不支持)|(not[ _-]?supported|unsupported|does not support|不支持).{0,60}(responses?|endpoint|route|url|api|format|channel|接口|端点)/i;

export interface HttpFailure {
  status: number;
  contentType: string;
  bodyText: string;
  headers: Record<string, string>;
  url: string;
  model?: string;
  retryAfterMs?: number;
  requestId?: string;
}

function looksLikeHtml(contentType: string, body: string): boolean {
  return /text\/html/i.test(contentType) || /^\s*<(!doctype|html|head|body)/i.test(body);
}

function saidBy(words: ServerWords): string {
  return words.message !== undefined ? `server said: ${words.message}` : '';
}

/** Builds the ApiError for an HTTP error status (or an unusable 2xx/3xx) from what the server sent. */
export function errorFromHttp(failure: HttpFailure): ApiError {
  const { status, contentType, bodyText, headers, url, model } = failure;
  const trimmed = bodyText.trim();
  let words: ServerWords = {};
  const html = trimmed.length > 0 && looksLikeHtml(contentType, trimmed);
  if (!html && trimmed.length > 0) {
    try {
      words = readServerWords(JSON.parse(trimmed));
    } catch {
      // Plain text: keep it only when it reads like a sentence, not a dump.
      if (trimmed.length <= 300 && !trimmed.includes('\n')) {
        words = { message: trimmed };
      }
    }
  }
  const requestId = words.requestId ?? failure.requestId;
  const said = saidBy(words);
  const saidPart = said ? ` (${said})` : ` (HTTP ${status})`;
  const modelName = model ? `“${model}”` : 'this model';
  const base = {
    status,
    ...(words.code !== undefined ? { code: words.code } : {}),
    ...(words.message !== undefined ? { serverMessage: words.message } : {}),
    ...(requestId !== undefined ? { requestId } : {}),
    ...(failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}),
  };
  const allWords = `${words.code ?? ''} ${words.type ?? ''} ${words.message ?? ''}`;

  if (status >= 200 && status < 300) {
    return new ApiError({
      ...base,
      kind: 'wrongBaseUrl',
      retryable: false,
      message:
        `The base URL points at a web page, not the AnyAPI API (${url} returned an HTML page). ` +
        'Check anyapi.baseUrl — it should be like https://www.anyapi.vip.',
    });
  }
  if (status >= 300 && status < 400) {
    const location = headers.location;
    return new ApiError({
      ...base,
      kind: 'wrongBaseUrl',
      retryable: false,
      message: location
        ? `The server redirected ${url} to ${location}. Set anyapi.baseUrl to the new address (e.g. https://www.anyapi.vip).`
        : `The server answered ${url} with a redirect (HTTP ${status}). Check anyapi.baseUrl — it should be like https://www.anyapi.vip.`,
    });
  }
  if (html) {
    const cloudflare =
      /cloudflare/i.test(trimmed) || headers['cf-ray'] !== undefined || /cloudflare/i.test(headers.server ?? '');
    const gateway = cloudflare ? 'The gateway in front of AnyAPI (Cloudflare)' : 'The gateway in front of AnyAPI';
    if (status >= 500) {
      const what =
        status === 524 || status === 504
          ? 'timed out waiting for the model'
          : status === 502 || status === 520 || status === 521 || status === 522
            ? 'could not reach the AnyAPI server'
            : 'failed';
      return new ApiError({
        ...base,
        kind: 'server',
        retryable: true,
        message: `${gateway} ${what} (HTTP ${status}). This is on the server side: try again later.`,
      });
    }
    if (status === 404) {
      return new ApiError({
        ...base,
        kind: 'notFound',
        retryable: false,
        message: `${url} was not found (HTTP 404, a web page). Check anyapi.baseUrl — it should be like https://www.anyapi.vip.`,
      });
    }
    if (status === 401 || status === 403) {
      return new ApiError({
        ...base,
        kind: 'auth',
        retryable: false,
        message: `${gateway} refused the request (HTTP ${status}, a web page). Check anyapi.baseUrl, your network or proxy (http.proxy).`,
      });
    }
  }

  switch (true) {
    case status === 401:
      return new ApiError({
        ...base,
        kind: 'auth',
        retryable: false,
        message: `AnyAPI rejected the API key${saidPart}. Run “AnyAPI: Set API Key” with a valid key.`,
      });
    case status === 403 && quotaWords.test(allWords):
    case status === 429 && (words.code === 'insufficient_quota' || quotaWords.test(allWords)):
    case status === 402:
      return new ApiError({
        ...base,
        kind: 'quota',
        retryable: false,
        message: `Your AnyAPI quota is used up${saidPart}. Top up your AnyAPI balance or set another key with “AnyAPI: Set API Key”.`,
      });
    case status === 403:
      return new ApiError({
        ...base,
        kind: 'auth',
        retryable: false,
        message: `AnyAPI refused access${saidPart}. Check that your key may use ${modelName}, or set another key with “AnyAPI: Set API Key”.`,
      });
    case status === 429:
      return new ApiError({
        ...base,
        kind: 'rateLimit',
        retryable: true,
        message: `AnyAPI is limiting the request rate${saidPart}. Wait a moment and try again.`,
      });
    case words.code === 'model_not_found' || noChannelWords.test(allWords):
      return new ApiError({
        ...base,
        kind: 'notFound',
        retryable: false,
        message: `AnyAPI has no channel for model ${modelName} right now${saidPart}. Pick another model with “AnyAPI: Select Model”, or try again later.`,
      });
    case status === 404:
      return new ApiError({
        ...base,
        kind: 'notFound',
        retryable: false,
        message: said
          ? `AnyAPI could not find ${url} (${said}). Check anyapi.baseUrl and the model (“AnyAPI: Select Model”).`
          : `AnyAPI has no such endpoint: ${url} returned 404. Check anyapi.baseUrl — it should be like https://www.anyapi.vip.`,
      });
    case status === 408:
      return new ApiError({
        ...base,
        kind: 'timeout',
        retryable: true,
        message: `The AnyAPI server timed out receiving the request${saidPart}. Try again.`,
      });
    case status === 409:
      return new ApiError({
        ...base,
        kind: 'server',
        retryable: true,
        message: `AnyAPI reported a conflict${saidPart}. Try again.`,
      });
    case status === 413:
      return new ApiError({
        ...base,
        kind: 'badRequest',
        retryable: false,
        message: `The request is too large for AnyAPI${saidPart}. Select less code or start a new chat.`,
      });
    case status >= 500: {
      const wrongEndpoint = wrongEndpointWords.test(allWords);
      return new ApiError({
        ...base,
        kind: 'server',
        retryable: !wrongEndpoint && !notSupportedWords.test(allWords),
        message: wrongEndpoint
          ? `AnyAPI could not serve ${modelName} on this endpoint${saidPart}. Set anyapi.endpoint to “chatCompletions” or “auto”, or pick another model.`
          : `AnyAPI had a server error (HTTP ${status}${said ? `; ${said}` : ''}). Try again later.`,
      });
    }
    default:
      return new ApiError({
        ...base,
        kind: 'badRequest',
        retryable: false,
        message: `AnyAPI refused the request${saidPart}. Check the model (“AnyAPI: Select Model”) and settings such as anyapi.temperature and anyapi.maxOutputTokens.`,
      });
  }
}

/**
 * Whether a failure on `/v1/responses` means "this model or route is not served in the Responses format here",
 * so that Chat Completions is worth a try. Never for auth, quota or rate errors.
 */
export function suggestsChatCompletions(error: ApiError): boolean {
  if (error.status === undefined) return false;
  if ([401, 402, 403, 408, 409, 429].includes(error.status)) return false;
  if (error.kind === 'quota' || error.kind === 'auth' || error.kind === 'rateLimit') return false;
  if (error.code === 'model_not_found' || error.code === 'unsupported_parameter') return false;
  const words = `${error.code ?? ''} ${error.serverMessage ?? ''}`;
  if (error.status === 404 || error.status === 405 || error.status === 501) return true;
  return wrongEndpointWords.test(words);
}

/** Network failures (before or while talking to the server) as a sentence; `code` is Node's or undici's. */
export function errorFromNetwork(cause: unknown, url: string, proxyUrl: string | undefined): ApiError {
  const code = networkCode(cause);
  let host = url;
  try {
    host = new URL(url).host;
  } catch {
    // keep the raw text
  }
  const rawMessage = cause instanceof Error ? cause.message : String(cause);
  const proxyMatch = /Proxy response \((\d+)\)/.exec(rawMessage);
  if (proxyMatch) {
    const proxyStatus = Number(proxyMatch[1]);
    return new ApiError({
      kind: 'network',
      retryable: false,
      code: code ?? 'PROXY_ERROR',
      message:
        proxyStatus === 407
          ? `The proxy ${safeHost(proxyUrl)} asked for credentials (HTTP 407). Check http.proxy and its user name and password.`
          : `The proxy ${safeHost(proxyUrl)} refused the connection to ${host} (HTTP ${proxyStatus}). Check http.proxy and NO_PROXY.`,
    });
  }
  const via = proxyUrl ? ` through the proxy ${safeHost(proxyUrl)}` : '';
  const tlsCodes = /CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET)|ERR_TLS|ERR_SSL|EPROTO/;
  if (code !== undefined && tlsCodes.test(code)) {
    return new ApiError({
      kind: 'network',
      retryable: false,
      code,
      message: `The secure connection to ${host}${via} failed (${code}). If a proxy or antivirus inspects HTTPS, configure http.proxy and trust its certificate; otherwise check anyapi.baseUrl.`,
    });
  }
  const retryable = code !== 'ENOTFOUND';
  const detail = code ?? rawMessage;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    return new ApiError({
      kind: 'network',
      retryable,
      code,
      message: `The connection to ${host}${via} was dropped (${detail}). Check your network or proxy (http.proxy) and try again.`,
    });
  }
  return new ApiError({
    kind: 'network',
    retryable,
    ...(code !== undefined ? { code } : {}),
    message: `Could not reach ${host}${via} (${detail}). Check anyapi.baseUrl, your network or proxy (http.proxy).`,
  });
}

function safeHost(proxyUrl: string | undefined): string {
  if (!proxyUrl) return '';
  try {
    return new URL(proxyUrl).host;
  } catch {
    return '(proxy)';
  }
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
