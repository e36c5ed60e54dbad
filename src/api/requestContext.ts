/** What every request shares: options with defaults, the redacting log, key checks, retries, unusable responses. */
import { ApiError } from './errors';
import { errorFromHttp } from './httpErrors';
import { strangeKeyCharacters } from './keyFormat';
import { closedPoolsCount } from './proxy';
import { redact } from './redact';
import { backoffDelay, isRetryableStatus, maxRetryAfterMs, parseRetryAfter, sleep } from './retry';
import type { OpenedResponse, TransportSettings } from './transport';
import type { ListModelsOptions } from './types';

export const defaultTimeouts = {
  connectTimeoutMs: 30_000,
  firstByteTimeoutMs: 10 * 60_000,
  idleTimeoutMs: 2 * 60_000,
} as const;
const defaultMaxRetries = 2;
const defaultRetryBaseDelayMs = 500;
const defaultUserAgent = 'anyapi-vscode';

export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Context {
  options: ListModelsOptions;
  transport: TransportSettings;
  log(level: Level, message: string): void;
  redact(text: string): string;
}

export function makeContext(options: ListModelsOptions): Context {
  const redactKey = (text: string): string => redact(text, options.apiKey);
  const log = (level: Level, message: string): void => {
    try {
      options.logger?.[level](redactKey(message));
    } catch {
      // A broken logger must not break the request.
    }
  };
  const transport: TransportSettings = {
    apiKey: options.apiKey.trim(),
    userAgent: options.userAgent ?? defaultUserAgent,
    connectTimeoutMs: options.connectTimeoutMs ?? defaultTimeouts.connectTimeoutMs,
    firstByteTimeoutMs: options.firstByteTimeoutMs ?? defaultTimeouts.firstByteTimeoutMs,
    idleTimeoutMs: options.idleTimeoutMs ?? defaultTimeouts.idleTimeoutMs,
    debug: (message) => log('debug', message),
  };
  if (options.proxy !== undefined) transport.proxy = options.proxy;
  if (options.signal !== undefined) transport.signal = options.signal;
  return { options, transport, log, redact: redactKey };
}

/** Makes sure nothing that leaves the client carries the key. */
export function sanitize(error: unknown, ctx: Context): ApiError {
  let apiError: ApiError;
  if (error instanceof ApiError) {
    apiError = error;
  } else {
    const text = error instanceof Error ? error.message : String(error);
    apiError = new ApiError({
      kind: 'failed',
      reason: 'unexpected',
      retryable: false,
      facts: { detail: ctx.redact(text) },
      message: `The request failed unexpectedly (${text}).`,
    });
  }
  apiError.message = ctx.redact(apiError.message);
  if (apiError.stack !== undefined) apiError.stack = ctx.redact(apiError.stack);
  if (apiError.serverMessage !== undefined) apiError.serverMessage = ctx.redact(apiError.serverMessage);
  if (apiError.facts.detail !== undefined) apiError.facts.detail = ctx.redact(apiError.facts.detail);
  return apiError;
}

export function requireKey(ctx: Context): void {
  if (ctx.transport.apiKey.length === 0) {
    throw new ApiError({ kind: 'auth', reason: 'noKey', retryable: false, message: 'No API key was given.' });
  }
  const strange = strangeKeyCharacters(ctx.transport.apiKey);
  if (strange > 0) {
    // It could not be sent as a header anyway (or would be sent mangled): no request, no retry, no "network" failure.
    throw new ApiError({
      kind: 'auth',
      reason: 'keyMalformed',
      retryable: false,
      facts: { detail: String(strange) },
      message: `The API key holds ${strange} invisible, space or non-ASCII characters.`,
    });
  }
}


export interface Progress {
  /** Some answer text reached the caller: from now on nothing is retried. */
  delivered: boolean;
}

export async function withRetries<T>(ctx: Context, progress: Progress, run: () => Promise<T>): Promise<T> {
  const maxRetries = Math.max(0, ctx.options.maxRetries ?? defaultMaxRetries);
  for (let attempt = 1; ; attempt++) {
    const closings = closedPoolsCount();
    try {
      return await run();
    } catch (error) {
      const apiError = sanitize(error, ctx);
      const tooLong = apiError.retryAfterMs !== undefined && apiError.retryAfterMs > maxRetryAfterMs;
      if (
        // The connections were closed under the request (deactivation): a retry would open a pool nobody closes.
        closedPoolsCount() !== closings ||
        attempt > maxRetries ||
        !apiError.retryable ||
        progress.delivered ||
        tooLong ||
        ctx.options.signal?.aborted
      ) {
        throw apiError;
      }
      const delayMs =
        apiError.retryAfterMs ?? backoffDelay(attempt, ctx.options.retryBaseDelayMs ?? defaultRetryBaseDelayMs);
      ctx.log('warn', `retry ${attempt}/${maxRetries} in ${delayMs} ms after ${apiError.kind}${
        apiError.status !== undefined ? ` ${apiError.status}` : ''
      }: ${apiError.message}`);
      ctx.options.onRetry?.({
        attempt,
        delayMs,
        reason: apiError.message,
        ...(apiError.status !== undefined ? { status: apiError.status } : {}),
      });
      await sleep(delayMs, ctx.options.signal);
    }
  }
}

/** Throws the ApiError for an unusable response: HTTP errors, redirects, web pages. */
export async function rejectUnusable(ctx: Context, response: OpenedResponse, url: string, model?: string): Promise<void> {
  const html = /text\/html/i.test(response.contentType);
  if (response.status >= 200 && response.status < 300 && !html) return;
  const bodyText = response.status >= 300 ? await response.readText(64 * 1024) : '';
  const retryAfterMs = parseRetryAfter(response.headers);
  const error = errorFromHttp({
    status: response.status,
    contentType: response.contentType,
    bodyText: ctx.redact(bodyText),
    headers: response.headers,
    url,
    ...(model !== undefined ? { model } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    ...(response.requestId !== undefined ? { requestId: response.requestId } : {}),
  });
  if (response.status >= 300 && !error.retryable && isRetryableStatus(response.status)) {
    ctx.log('debug', `status ${response.status} not retried (${error.code ?? error.kind})`);
  }
  throw error;
}

