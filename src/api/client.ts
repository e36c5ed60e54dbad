/** createResponse: one request to /v1/responses (or Chat Completions), its retries, the endpoint fallback and logging. */
import { ApiError } from './errors';
import { suggestsChatCompletions } from './httpErrors';
import { readAnswer } from './answerReader';
import { chatCompletionsBody, describeUsage, responsesBody } from './requestBodies';
import type { Context, Progress } from './requestContext';
import { makeContext, rejectUnusable, requireKey, sanitize, withRetries } from './requestContext';
import { openRequest } from './transport';
import type { ClientOptions, EndpointKind, ResponseRequest, ResponseResult } from './types';
import { assertSecureBaseUrl, hostOf, resolveEndpointUrl } from './url';

export { defaultTimeouts } from './requestContext';
export { listModels, probeConnection } from './models';

async function attempt(
  ctx: Context,
  endpoint: EndpointKind,
  request: ResponseRequest,
  progress: Progress,
  onDelta: ((text: string) => void) | undefined,
): Promise<ResponseResult> {
  const path = endpoint === 'responses' ? '/v1/responses' : '/v1/chat/completions';
  const url = resolveEndpointUrl(ctx.options.baseUrl, path);
  assertSecureBaseUrl(url, ctx.options.allowInsecureHttp);
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
  let answered = false;
  try {
    ctx.log(
      'info',
      `${response.status} POST ${path} model=${request.model} endpoint=${endpoint} request-id=${
        response.requestId ?? '-'
      } headers in ${Math.round(response.headersMs)} ms`,
    );
    await rejectUnusable(ctx, response, url, request.model);
    const answer = await readAnswer(response, deliver, url, ctx.options.maxAnswerBytes, ctx.options.maxAnswerChars);
    answered = true;
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
    response.close(answered);
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

