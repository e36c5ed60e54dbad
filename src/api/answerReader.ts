/** Reading an answer: a stream of events, a JSON body in either shape, or something that is neither. */
import { ApiError } from './errors';
import { errorFromHttp } from './httpErrors';
import { parseAnswer } from './responseShapes';
import type { ParsedAnswer } from './responseShapes';
import { ResponseStreamDecoder } from './streamDecoder';
import type { OpenedResponse } from './transport';

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

/** The most a non-streamed answer may be: held whole in memory and parsed in one piece. */
export const maxAnswerBytes = 64 * 1024 * 1024;

/**
 * The longest answer text taken, streamed or not: twice what the largest output limit (128k tokens) writes. Past it
 * the server is repeating itself, the bill grows and the chat view would have to lay out megabytes.
 */
export const maxAnswerChars = 1_000_000;

function answerTooLong(limit: number, kept: string): ApiError {
  const error = new ApiError({
    kind: 'tooLarge',
    reason: 'answerTooLong',
    retryable: false,
    facts: { sizeLimit: limit },
    message: `The answer passed ${limit} characters; stopped.`,
  });
  if (kept) error.partialText = kept;
  return error;
}

/** The whole body, or, past `limit`, a `tooLarge` error (once: the same request would only fail again). */
async function readWhole(response: OpenedResponse, limit: number): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.chunks()) {
    size += chunk.length;
    if (size > limit) {
      throw new ApiError({
        kind: 'tooLarge',
        reason: 'answerTooLarge',
        retryable: false,
        facts: { sizeLimit: limit },
        message: `The non-streamed answer passed ${limit} bytes.`,
      });
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString('utf8');
}

export async function readAnswer(
  response: OpenedResponse,
  deliver: (text: string) => void,
  url: string,
  limit = maxAnswerBytes,
  charLimit = maxAnswerChars,
): Promise<ParsedAnswer> {
  const streamed = /text\/event-stream/i.test(response.contentType);
  if (streamed) {
    return readStream(response, deliver, charLimit);
  }
  const text = await readWhole(response, limit);
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
  if (answer.text.length > charLimit) {
    const kept = answer.text.slice(0, charLimit);
    deliver(kept);
    throw answerTooLong(charLimit, kept);
  }
  if (answer.text) deliver(answer.text);
  return answer;
}

async function readStream(response: OpenedResponse, deliver: (text: string) => void, charLimit: number): Promise<ParsedAnswer> {
  const decoder = new ResponseStreamDecoder(deliver, charLimit);
  try {
    let events = 0;
    for await (const chunk of response.chunks({ progressByCaller: true })) {
      decoder.feed(chunk);
      if (decoder.failure) throw decoder.failure;
      if (decoder.tooLong) throw answerTooLong(charLimit, decoder.text);
      if (decoder.events > events) {
        events = decoder.events;
        response.progress();
      }
      // The answer is complete: done at once, whether or not the relay keeps the connection open.
      if (decoder.terminal) return decoder.result();
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

