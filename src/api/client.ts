/** createResponse / listModels / probeConnection: requests, retries, the endpoint fallback and logging. */
import { ApiError, errorFromHttp, suggestsChatCompletions } from './errors';
import { redact } from './redact';
import { parseAnswer } from './responseShapes';
import type { ParsedAnswer } from './responseShapes';
import { backoffDelay, isRetryableStatus, maxRetryAfterMs, parseRetryAfter, sleep } from './retry';
import { ResponseStreamDecoder } from './streamDecoder';
import { openRequest } from './transport';
import type { OpenedResponse, TransportSettings } from './transport';
import type {
  ClientOptions,
  EndpointKind,
  ListModelsOptions,
  ModelInfo,
  ProbeResult,
  ResponseRequest,
  ResponseResult,
  Usage,
} from './types';
import { hostOf, resolveEndpointUrl } from './url';

export const defaultTimeouts = {
  connectTimeoutMs: 30_000,
  firstByteTimeoutMs: 10 * 60_000,
  idleTimeoutMs: 5 * 60_000,
} as const;
const defaultMaxRetries = 2;
const defaultRetryBaseDelayMs = 500;
const defaultUserAgent = 'anyapi-vscode';

type Level = 'debug' | 'info' | 'warn' | 'error';

interface Context {
  options: ListModelsOptions;
  transport: TransportSettings;
  log(level: Level, message: string): void;
  redact(text: string): string;
}

function makeContext(options: ListModelsOptions): Context {
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
function sanitize(error: unknown, ctx: Context): ApiError {
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

function requireKey(ctx: Context): void {
  if (ctx.transport.apiKey.length === 0) {
    throw new ApiError({ kind: 'auth', reason: 'noKey', retryable: false, message: 'No API key was given.' });
  }
}

interface Progress {
  /** Some answer text reached the caller: from now on nothing is retried. */
  delivered: boolean;
}

async function withRetries<T>(ctx: Context, progress: Progress, run: () => Promise<T>): Promise<T> {
  const maxRetries = Math.max(0, ctx.options.maxRetries ?? defaultMaxRetries);
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const apiError = sanitize(error, ctx);
      const tooLong = apiError.retryAfterMs !== undefined && apiError.retryAfterMs > maxRetryAfterMs;
      if (
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
async function rejectUnusable(ctx: Context, response: OpenedResponse, url: string, model?: string): Promise<void> {
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

function describeUsage(usage: Usage | undefined): string {
  if (!usage) return 'usage n/a';
  const reasoning = usage.reasoningTokens !== undefined ? ` reasoning=${usage.reasoningTokens}` : '';
  return `usage in=${usage.inputTokens} out=${usage.outputTokens} total=${usage.totalTokens}${reasoning}`;
}

/** `instructions`, `max_output_tokens` and `reasoning` in the Chat Completions vocabulary. */
export function chatCompletionsBody(request: ResponseRequest): Record<string, unknown> {
  const messages: { role: string; content: string }[] = [];
  if (request.instructions !== undefined && request.instructions.trim() !== '') {
    messages.push({ role: 'system', content: request.instructions });
  }
  for (const message of request.input) {
    messages.push({ role: message.role === 'developer' ? 'system' : message.role, content: message.content });
  }
  const body: Record<string, unknown> = { model: request.model, messages, stream: request.stream === true };
  if (request.stream === true) body.stream_options = { include_usage: true };
  if (request.max_output_tokens !== undefined) body.max_tokens = request.max_output_tokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.reasoning !== undefined) body.reasoning_effort = request.reasoning.effort;
  return body;
}

export function responsesBody(request: ResponseRequest): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: request.model,
    input: request.input.map((message) => ({ role: message.role, content: message.content })),
    stream: request.stream === true,
  };
  if (request.instructions !== undefined && request.instructions.trim() !== '') body.instructions = request.instructions;
  if (request.max_output_tokens !== undefined) body.max_output_tokens = request.max_output_tokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.reasoning !== undefined) body.reasoning = { effort: request.reasoning.effort };
  return body;
}

function incompleteStreamError(text: string, code?: string): ApiError {
  return new ApiError({
    kind: 'incompleteStream',
    reason: text ? 'cutOff' : 'noAnswer',
    retryable: true,
    ...(code !== undefined ? { code } : {}),
    ...(text ? { partialText: text } : {}),
    message: text ? 'The stream ended before its terminal event (text so far kept).' : 'The connection closed before any answer.',
  });
}

async function readAnswer(response: OpenedResponse, deliver: (text: string) => void, url: string): Promise<ParsedAnswer> {
  const streamed = /text\/event-stream/i.test(response.contentType);
  if (streamed) {
    return readStream(response, deliver);
  }
  const text = await response.readText(64 * 1024 * 1024);
  const trimmed = text.trimStart();
  if (/^(data|event|id|:)/.test(trimmed)) {
    // A relay that streams without saying so in content-type.
    const decoder = new ResponseStreamDecoder(deliver);
    decoder.feed(Buffer.from(text));
    decoder.end();
    return finishStream(decoder);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    if (/^<(!doctype|html|head|body)/i.test(trimmed)) {
      throw errorFromHttp({ status: 200, contentType: 'text/html', bodyText: '', headers: {}, url });
    }
    throw new ApiError({
      kind: 'server',
      reason: text.trim() ? 'notJson' : 'emptyBody',
      retryable: true,
      message: text.trim() ? 'The answer is not JSON.' : 'The answer body is empty.',
    });
  }
  const answer = parseAnswer(json);
  if (answer.text) deliver(answer.text);
  return answer;
}

async function readStream(response: OpenedResponse, deliver: (text: string) => void): Promise<ParsedAnswer> {
  const decoder = new ResponseStreamDecoder(deliver);
  let graceArmed = false;
  try {
    for await (const chunk of response.chunks()) {
      decoder.feed(chunk);
      if (decoder.failure) throw decoder.failure;
      if (decoder.terminal && !graceArmed) {
        graceArmed = true;
        response.terminalReached();
      }
    }
  } catch (error) {
    if (error instanceof ApiError && error.kind === 'network') {
      // The connection dropped in the middle of the answer: same as a stream with no terminal event.
      throw incompleteStreamError(decoder.text, error.code);
    }
    if (error instanceof ApiError && decoder.text && error.partialText === undefined) {
      error.partialText = decoder.text;
    }
    throw error;
  }
  decoder.end();
  return finishStream(decoder);
}

function finishStream(decoder: ResponseStreamDecoder): ParsedAnswer {
  if (decoder.failure) throw decoder.failure;
  if (!decoder.terminal) throw incompleteStreamError(decoder.text);
  return decoder.result();
}

async function attempt(
  ctx: Context,
  endpoint: EndpointKind,
  request: ResponseRequest,
  progress: Progress,
  onDelta: ((text: string) => void) | undefined,
): Promise<ResponseResult> {
  const path = endpoint === 'responses' ? '/v1/responses' : '/v1/chat/completions';
  const url = resolveEndpointUrl(ctx.options.baseUrl, path);
  const body = endpoint === 'responses' ? responsesBody(request) : chatCompletionsBody(request);
  ctx.log('debug', `POST ${url} model=${request.model} endpoint=${endpoint} stream=${request.stream === true}`);
  const response = await openRequest(ctx.transport, {
    method: 'POST',
    url,
    body,
    accept: request.stream === true ? 'text/event-stream' : 'application/json',
  });
  const deliver = (text: string): void => {
    progress.delivered = true;
    try {
      onDelta?.(text);
    } catch (error) {
      ctx.log('error', `onDelta failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  try {
    ctx.log(
      'info',
      `${response.status} POST ${path} model=${request.model} endpoint=${endpoint} request-id=${
        response.requestId ?? '-'
      } headers in ${Math.round(response.headersMs)} ms`,
    );
    await rejectUnusable(ctx, response, url, request.model);
    const answer = await readAnswer(response, deliver, url);
    const result: ResponseResult = { ...answer, endpoint };
    if (response.requestId !== undefined) result.requestId = response.requestId;
    ctx.log(
      'info',
      `${answer.status}${answer.incompleteReason ? ` (${answer.incompleteReason})` : ''} endpoint=${endpoint} model=${
        answer.model ?? request.model
      } id=${answer.id ?? '-'} request-id=${response.requestId ?? answer.id ?? '-'} ${describeUsage(answer.usage)} in ${Math.round(
        response.elapsedMs(),
      )} ms`,
    );
    return result;
  } catch (error) {
    if (error instanceof ApiError) {
      const requestId = error.requestId ?? response.requestId ?? '-';
      ctx.log(
        error.kind === 'aborted' ? 'info' : 'error',
        `${error.kind}${error.status !== undefined ? ` ${error.status}` : ''}${
          error.code !== undefined ? ` code=${error.code}` : ''
        } endpoint=${endpoint} model=${request.model} request-id=${requestId} after ${Math.round(
          response.elapsedMs(),
        )} ms: ${error.message}`,
      );
    }
    throw error;
  } finally {
    response.close();
  }
}

/** Models that answered "not supported here" on /v1/responses, per base URL: they go to Chat Completions. */
const chatCompletionsModels = new Set<string>();

function memoryKey(baseUrl: string, model: string): string {
  let base = baseUrl;
  try {
    base = resolveEndpointUrl(baseUrl, '/v1');
  } catch {
    // an invalid base URL fails later with its own message
  }
  return `${base}\u0000${model}`;
}

/** Forgets which models were moved to Chat Completions (when the base URL or the endpoint setting changes). */
export function forgetEndpointChoices(): void {
  chatCompletionsModels.clear();
}

function validateRequest(request: ResponseRequest): void {
  if (typeof request.model !== 'string' || request.model.trim() === '') {
    throw new ApiError({ kind: 'badRequest', reason: 'noModel', retryable: false, message: 'No model is set.' });
  }
  if (!Array.isArray(request.input) || request.input.length === 0) {
    throw new ApiError({ kind: 'badRequest', reason: 'emptyConversation', retryable: false, message: 'The input is empty.' });
  }
}

/**
 * Asks AnyAPI for an answer. Streams when `request.stream` is true (each piece of text goes to
 * `options.onDelta`); resolves with the whole text, status, usage and the endpoint used.
 */
export async function createResponse(request: ResponseRequest, options: ClientOptions): Promise<ResponseResult> {
  const ctx = makeContext(options);
  const progress: Progress = { delivered: false };
  const mode = options.endpoint ?? 'auto';
  try {
    requireKey(ctx);
    validateRequest(request);
    const key = memoryKey(options.baseUrl, request.model);
    let endpoint: EndpointKind =
      mode === 'auto' ? (chatCompletionsModels.has(key) ? 'chatCompletions' : 'responses') : mode;
    try {
      return await withRetries(ctx, progress, () => attempt(ctx, endpoint, request, progress, options.onDelta));
    } catch (error) {
      if (
        mode !== 'auto' ||
        endpoint !== 'responses' ||
        progress.delivered ||
        !(error instanceof ApiError) ||
        !suggestsChatCompletions(error)
      ) {
        throw error;
      }
      ctx.log(
        'warn',
        `model ${request.model} is not served on /v1/responses at ${hostOf(options.baseUrl)} (${
          error.code ?? error.status
        }); trying /v1/chat/completions`,
      );
      endpoint = 'chatCompletions';
      const result = await withRetries(ctx, progress, () =>
        attempt(ctx, endpoint, request, progress, options.onDelta),
      );
      chatCompletionsModels.add(key);
      return result;
    }
  } catch (error) {
    throw sanitize(error, ctx);
  }
}

interface ModelsFetch {
  url: string;
  status: number;
  latencyMs: number;
  models: ModelInfo[];
}

function parseModels(json: unknown): ModelInfo[] {
  const list: unknown[] = Array.isArray(json)
    ? json
    : json !== null && typeof json === 'object'
      ? ((json as { data?: unknown; models?: unknown }).data ?? (json as { models?: unknown }).models) as unknown[]
      : [];
  if (!Array.isArray(list)) {
    throw new ApiError({ kind: 'server', reason: 'notModelList', retryable: false, message: 'The model list has no data[].' });
  }
  const models: ModelInfo[] = [];
  for (const entry of list) {
    if (entry === null || typeof entry !== 'object') continue;
    const raw = entry as { id?: unknown; owned_by?: unknown; supported_endpoint_types?: unknown };
    if (typeof raw.id !== 'string' || raw.id === '') continue;
    const model: ModelInfo = { id: raw.id };
    if (typeof raw.owned_by === 'string' && raw.owned_by !== '') model.ownedBy = raw.owned_by;
    if (Array.isArray(raw.supported_endpoint_types)) {
      model.supportedEndpointTypes = raw.supported_endpoint_types.filter((t): t is string => typeof t === 'string');
    }
    models.push(model);
  }
  return models;
}

async function fetchModels(options: ListModelsOptions): Promise<ModelsFetch> {
  const ctx = makeContext(options);
  try {
    requireKey(ctx);
    const url = resolveEndpointUrl(options.baseUrl, '/v1/models');
    return await withRetries(ctx, { delivered: false }, async () => {
      ctx.log('debug', `GET ${url}`);
      const response = await openRequest(ctx.transport, { method: 'GET', url, accept: 'application/json' });
      try {
        await rejectUnusable(ctx, response, url);
        const text = await response.readText(16 * 1024 * 1024);
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          throw new ApiError({
            kind: /^\s*</.test(text) ? 'wrongBaseUrl' : 'server',
            reason: 'notModelList',
            retryable: false,
            status: response.status,
            facts: { url, host: hostOf(url) },
            message: `${url} did not answer with a model list.`,
          });
        }
        const models = parseModels(json);
        const latencyMs = Math.round(response.elapsedMs());
        ctx.log(
          'info',
          `${response.status} GET /v1/models request-id=${response.requestId ?? '-'} models=${models.length} in ${latencyMs} ms`,
        );
        return { url, status: response.status, latencyMs, models };
      } catch (error) {
        if (error instanceof ApiError) {
          ctx.log('error', `${error.kind}${error.status !== undefined ? ` ${error.status}` : ''} GET /v1/models: ${error.message}`);
        }
        throw error;
      } finally {
        response.close();
      }
    });
  } catch (error) {
    throw sanitize(error, ctx);
  }
}

/** `GET /v1/models`: the models the key may use, with new-api's `supported_endpoint_types` when present. */
export async function listModels(options: ListModelsOptions): Promise<ModelInfo[]> {
  return (await fetchModels(options)).models;
}

/** For “Test Connection”: the resolved URL, HTTP status, latency and the model list. */
export async function probeConnection(options: ListModelsOptions): Promise<ProbeResult> {
  return fetchModels(options);
}
