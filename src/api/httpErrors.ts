// HTTP failures as facts: what the relay said (in any dialect), and which kind and reason its status means.
import type { ApiErrorFacts, ApiErrorInit, ApiErrorKind, ApiErrorReason } from './errors';
import { ApiError } from './errors';
import { hostOf } from './host';

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

/** What the server said in the body: JSON in any relay dialect, or one plain line of text. */
function wordsOf(body: string, html: boolean): ServerWords {
  if (html || body.length === 0) return {};
  try {
    return readServerWords(JSON.parse(body));
  } catch {
    // Plain text: keep it only when it reads like a sentence, not a dump.
    return body.length <= 300 && !body.includes('\n') ? { message: body } : {};
  }
}

/** What every HTTP failure carries, whatever its status. */
type HttpErrorBase = Pick<ApiErrorInit, 'status' | 'code' | 'serverMessage' | 'requestId' | 'retryAfterMs' | 'facts'>;

interface HttpContext {
  failure: HttpFailure;
  words: ServerWords;
  base: HttpErrorBase;
  /** ` (server said: …)` or ` (HTTP n)`, for the log diagnostic. */
  said: string;
  modelName: string;
  allWords: string;
}

function httpContext(failure: HttpFailure, words: ServerWords): HttpContext {
  const requestId = words.requestId ?? failure.requestId;
  const facts: ApiErrorFacts = { host: hostOf(failure.url), url: failure.url };
  if (failure.model !== undefined) facts.model = failure.model;
  const base: HttpErrorBase = {
    status: failure.status,
    facts,
    ...(words.code !== undefined ? { code: words.code } : {}),
    ...(words.message !== undefined ? { serverMessage: words.message } : {}),
    ...(requestId !== undefined ? { requestId } : {}),
    ...(failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}),
  };
  return {
    failure,
    words,
    base,
    said: words.message !== undefined ? ` (server said: ${words.message})` : ` (HTTP ${failure.status})`,
    modelName: failure.model ? `“${failure.model}”` : 'this model',
    allWords: `${words.code ?? ''} ${words.type ?? ''} ${words.message ?? ''}`,
  };
}

/** Builds the ApiError for an HTTP error status (or an unusable 2xx/3xx) from what the server sent. */
export function errorFromHttp(failure: HttpFailure): ApiError {
  const body = failure.bodyText.trim();
  const html = body.length > 0 && looksLikeHtml(failure.contentType, body);
  const ctx = httpContext(failure, wordsOf(body, html));
  const { status, url } = failure;
  if (status >= 200 && status < 300) {
    return new ApiError({
      ...ctx.base,
      kind: 'wrongBaseUrl',
      reason: 'webPage',
      retryable: false,
      message: `${url} returned an HTML page, not the API (check anyapi.baseUrl).`,
    });
  }
  if (status >= 300 && status < 400) {
    // Redirects are never followed, and no other address is suggested: whoever sent it would choose where the key goes.
    return new ApiError({
      ...ctx.base,
      kind: 'wrongBaseUrl',
      reason: 'redirect',
      retryable: false,
      message: `${url} answered with a redirect (HTTP ${status}, not followed).`,
    });
  }
  return (html ? errorFromGatewayPage(ctx, body) : undefined) ?? errorFromStatus(ctx);
}

/** 504 and 524 mean the origin may still be working on a billed request: never retried automatically. */
export function isGatewayTimeout(status: number | undefined): boolean {
  return status === 504 || status === 524;
}

/** An HTML error page, usually from Cloudflare or another gateway in front of the relay. */
function errorFromGatewayPage(ctx: HttpContext, body: string): ApiError | undefined {
  const { status, headers, url } = ctx.failure;
  const cloudflare = /cloudflare/i.test(body) || headers['cf-ray'] !== undefined || /cloudflare/i.test(headers.server ?? '');
  const gateway = cloudflare ? 'Cloudflare' : 'the gateway';
  const base = { ...ctx.base, facts: { ...ctx.base.facts, ...(cloudflare ? { gateway: 'Cloudflare' } : {}) } };
  if (status >= 500) {
    const reason: ApiErrorReason = isGatewayTimeout(status)
      ? 'gatewayTimeout'
      : [502, 520, 521, 522].includes(status)
        ? 'gatewayUnreachable'
        : 'gatewayFailed';
    return new ApiError({
      ...base,
      kind: 'server',
      reason,
      retryable: reason !== 'gatewayTimeout',
      message: `${gateway} in front of AnyAPI answered HTTP ${status} with a web page (${reason}).`,
    });
  }
  if (status === 404) {
    return new ApiError({ ...base, kind: 'notFound', reason: 'pageNotFound', retryable: false, message: `${url} was not found (HTTP 404, a web page).` });
  }
  if (status === 401 || status === 403) {
    return new ApiError({
      ...base,
      kind: 'auth',
      reason: 'gatewayRefused',
      retryable: false,
      message: `${gateway} refused the request (HTTP ${status}, a web page).`,
    });
  }
  return undefined;
}

/** A 403 that says the key itself is bad, not that it may not use this model. */
const invalidKeyWords =
  /(invalid|incorrect|expired|revoked|无效|过期|错误|已禁用).{0,20}(key|token|令牌|密钥)|(key|token|令牌|密钥).{0,20}(invalid|incorrect|expired|revoked|无效|过期|错误|已禁用)/i;
const tooLongWords = /context_length|too large|too long|maximum context|context window|上下文/i;

/** Whether the server's words say the request is longer than the model's context. */
export function saysContextTooLong(words: { code?: string; message?: string }): boolean {
  return words.code === 'context_length_exceeded' || tooLongWords.test(`${words.code ?? ''} ${words.message ?? ''}`);
}

/** A JSON (or plain-text) error from the relay, by status and the words it used. */
function errorFromStatus(ctx: HttpContext): ApiError {
  const { status, url } = ctx.failure;
  const { base, said, modelName, allWords, words } = ctx;
  const error = (kind: ApiErrorKind, reason: ApiErrorReason, retryable: boolean, message: string): ApiError =>
    new ApiError({ ...base, kind, reason, retryable, message });
  switch (true) {
    case status === 401:
      return error('auth', 'keyRejected', false, `AnyAPI rejected the API key${said}.`);
    case status === 403 && quotaWords.test(allWords):
    case status === 429 && (words.code === 'insufficient_quota' || quotaWords.test(allWords)):
    case status === 402:
      return error('quota', 'quotaExhausted', false, `The AnyAPI quota is used up${said}.`);
    case status === 403:
      return error('auth', invalidKeyWords.test(allWords) ? 'keyRejected' : 'accessDenied', false, `AnyAPI refused access to ${modelName}${said}.`);
    case status === 429:
      return error('rateLimit', 'rateLimited', true, `AnyAPI is limiting the request rate${said}.`);
    case words.code === 'model_not_found' || noChannelWords.test(allWords):
      return error('notFound', 'noChannel', false, `AnyAPI has no channel for model ${modelName}${said}.`);
    case status === 404:
      return words.message !== undefined
        ? error('notFound', 'routeNotFound', false, `AnyAPI could not find ${url}${said}.`)
        : error('notFound', 'noEndpoint', false, `${url} returned 404: no such endpoint.`);
    case status === 408:
      return error('timeout', 'serverTimeout', true, `The AnyAPI server timed out receiving the request${said}.`);
    case status === 409:
      return error('server', 'conflict', true, `AnyAPI reported a conflict${said}.`);
    case status === 413 || tooLongWords.test(allWords):
      return error('badRequest', 'tooLarge', false, `The request is too long for the model${said}.`);
    case isGatewayTimeout(status):
      return error('server', 'gatewayTimeout', false, `AnyAPI's gateway timed out waiting for the model${said}; not retried (it may still be billed).`);
    case status >= 500: {
      const wrongEndpoint = wrongEndpointWords.test(allWords);
      return error(
        'server',
        wrongEndpoint ? 'wrongEndpoint' : 'serverError',
        !wrongEndpoint && !notSupportedWords.test(allWords),
        wrongEndpoint ? `AnyAPI could not serve ${modelName} on this endpoint${said}.` : `AnyAPI had a server error${said}.`,
      );
    }
    default:
      return error('badRequest', 'refused', false, `AnyAPI refused the request${said}.`);
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

