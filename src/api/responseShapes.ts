/** Reading answers in the shapes relays send: the Responses object and the Chat Completions object. */
import { ApiError } from './errors';
import { readServerWords, saysContextTooLong } from './httpErrors';
import type { Usage } from './types';

type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Usage in the Responses naming (`input_tokens`…) or the Chat Completions naming (`prompt_tokens`…). */
export function parseUsage(value: unknown): Usage | undefined {
  if (!isObject(value)) return undefined;
  const inputTokens = num(value.input_tokens) ?? num(value.prompt_tokens);
  const outputTokens = num(value.output_tokens) ?? num(value.completion_tokens);
  if (inputTokens === undefined && outputTokens === undefined) return undefined;
  const usage: Usage = {
    inputTokens: inputTokens ?? 0,
    outputTokens: outputTokens ?? 0,
    totalTokens: num(value.total_tokens) ?? (inputTokens ?? 0) + (outputTokens ?? 0),
  };
  const outputDetails = isObject(value.output_tokens_details) ? value.output_tokens_details : undefined;
  const completionDetails = isObject(value.completion_tokens_details) ? value.completion_tokens_details : undefined;
  const reasoning = num(outputDetails?.reasoning_tokens) ?? num(completionDetails?.reasoning_tokens);
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  return usage;
}

export interface ParsedAnswer {
  text: string;
  status: 'completed' | 'incomplete';
  incompleteReason?: string;
  model?: string;
  id?: string;
  usage?: Usage;
}

/** The text of a Responses `output[]`: `output_text` parts of `message` items, joined; reasoning skipped. */
export function outputText(output: unknown): string {
  if (!Array.isArray(output)) return '';
  let text = '';
  for (const item of output) {
    if (!isObject(item) || item.type !== 'message' || !Array.isArray(item.content)) continue;
    for (const part of item.content) {
      if (!isObject(part)) continue;
      if (part.type === 'output_text' && typeof part.text === 'string') text += part.text;
      else if (part.type === 'refusal' && typeof part.refusal === 'string') text += part.refusal;
    }
  }
  return text;
}

/** Text of a Chat Completions `message.content`: a string, or an array of `{type:'text', text}` parts. */
export function chatContent(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (isObject(part) && typeof part.text === 'string' ? part.text : '')).join('');
}

/** Maps a Chat Completions `finish_reason` to the Responses way of saying why an answer stopped. */
export function incompleteReasonOf(finishReason: string | undefined): string | undefined {
  if (finishReason === 'length') return 'max_output_tokens';
  if (finishReason === 'content_filter') return 'content_filter';
  return undefined;
}

export function failedResponseError(response: Json, partialText: string | undefined): ApiError {
  const words = readServerWords({ error: response.error });
  const message = words.message ?? 'no reason given';
  const tooLong = saysContextTooLong(words);
  return new ApiError({
    kind: tooLong ? 'badRequest' : 'failed',
    reason: tooLong ? 'tooLarge' : 'modelFailed',
    retryable: words.code === 'server_error' || words.code === 'rate_limit_exceeded',
    ...(words.code !== undefined ? { code: words.code } : {}),
    serverMessage: message,
    ...(partialText ? { partialText } : {}),
    message: `The response failed (server said: ${message}).`,
  });
}

function common(json: Json, answer: ParsedAnswer): ParsedAnswer {
  const model = str(json.model);
  const id = str(json.id);
  const usage = parseUsage(json.usage);
  if (model !== undefined) answer.model = model;
  if (id !== undefined) answer.id = id;
  if (usage !== undefined) answer.usage = usage;
  return answer;
}

/** Reads a complete (non-streamed) answer in either shape; a `failed` Responses object rejects. */
export function parseAnswer(json: unknown): ParsedAnswer {
  if (!isObject(json)) {
    throw unexpectedShape();
  }
  if (Array.isArray(json.output) || json.object === 'response' || typeof json.output_text === 'string') {
    if (json.status === 'failed') {
      throw failedResponseError(json, undefined);
    }
    let text = outputText(json.output);
    if (text === '' && typeof json.output_text === 'string') text = json.output_text;
    const answer: ParsedAnswer = { text, status: json.status === 'incomplete' ? 'incomplete' : 'completed' };
    if (answer.status === 'incomplete') {
      const details = isObject(json.incomplete_details) ? json.incomplete_details : undefined;
      answer.incompleteReason = str(details?.reason) ?? 'unknown';
    }
    return common(json, answer);
  }
  if (Array.isArray(json.choices)) {
    const choice = json.choices.find(isObject);
    const message = isObject(choice?.message) ? choice.message : undefined;
    const text = chatContent(message?.content) || chatContent(choice?.text);
    const reason = incompleteReasonOf(str(choice?.finish_reason));
    const answer: ParsedAnswer = { text, status: reason ? 'incomplete' : 'completed' };
    if (reason) answer.incompleteReason = reason;
    return common(json, answer);
  }
  if (json.error !== undefined) {
    const words = readServerWords(json);
    throw new ApiError({
      kind: 'failed',
      reason: 'answeredError',
      retryable: false,
      ...(words.code !== undefined ? { code: words.code } : {}),
      ...(words.message !== undefined ? { serverMessage: words.message } : {}),
      message: `A 200 answer held an error (server said: ${words.message ?? 'no reason given'}).`,
    });
  }
  throw unexpectedShape();
}

function unexpectedShape(): ApiError {
  return new ApiError({ kind: 'server', reason: 'unknownShape', retryable: false, message: 'The answer has no output[] and no choices[].' });
}
