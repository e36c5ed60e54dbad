/** Decodes a streamed answer: Responses SSE events, or Chat Completions chunks, from raw bytes. */
import { createParser } from 'eventsource-parser';
import type { EventSourceMessage, EventSourceParser } from 'eventsource-parser';
import { ApiError } from './errors';
import { readServerWords, saysContextTooLong } from './httpErrors';
import { chatContent, failedResponseError, incompleteReasonOf, isObject, outputText, parseUsage } from './responseShapes';
import type { ParsedAnswer } from './responseShapes';
import type { Usage } from './types';

type Json = Record<string, unknown>;

/** A field of a delta event other than the delta: a number, a string without escapes, an empty list, a literal. */
const SIMPLE_FIELD = '"[A-Za-z_]+":(?:"[^"\\\\\\x00-\\x1f]*"|-?\\d+|\\[\\]|true|false|null)';
const DELTA_PREFIX = '{"type":"response.output_text.delta"';
/**
 * A `response.output_text.delta` event as relays send it, checked whole: every field simple, the delta one JSON
 * string. Nine events in ten of an answer are these; checking and reading them takes about half the time of
 * `JSON.parse`, and any other shape (nested values, escapes in other fields, broken JSON) goes to `JSON.parse`.
 */
const TEXT_DELTA_EVENT = new RegExp(
  `^\\{"type":"response\\.output_text\\.delta"(?:,${SIMPLE_FIELD})*,"delta":"(?:[^"\\\\\\x00-\\x1f]|\\\\.)*"(?:,${SIMPLE_FIELD})*\\}$`,
);
const DELTA_KEY = ',"delta":"';

/** The end of the JSON string whose opening quote is at `start - 1`: the index of its closing quote. */
function closingQuote(text: string, start: number): number {
  for (let at = text.indexOf('"', start); at !== -1; at = text.indexOf('"', at + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
  return -1;
}

/** The value of a simple string or number field (`"name":"value"` or `"name":3`) of a checked delta event. */
function simpleField(data: string, name: string): string | undefined {
  const key = `,"${name}":`;
  const at = data.indexOf(key);
  if (at === -1) return undefined;
  const start = at + key.length;
  if (data.charCodeAt(start) === 34) return data.slice(start + 1, data.indexOf('"', start + 1));
  let end = start;
  while (end < data.length && data.charCodeAt(end) >= 48 && data.charCodeAt(end) <= 57) end++;
  return data.slice(start, end);
}

const errorKinds: Record<string, ApiError['kind']> = {
  rate_limit_exceeded: 'rateLimit',
  insufficient_quota: 'quota',
  server_error: 'server',
  internal_error: 'server',
  context_length_exceeded: 'badRequest',
  invalid_request_error: 'badRequest',
  invalid_prompt: 'badRequest',
};

/**
 * Feed it bytes as they arrive; it calls `onText` for every piece of answer text and remembers how the stream
 * ended. `terminal` is set by `response.completed` / `response.incomplete`, a Chat Completions `finish_reason`
 * or `[DONE]`; `failure` by `response.failed` or an `error` event.
 */
export class ResponseStreamDecoder {
  text = '';
  model?: string;
  id?: string;
  usage?: Usage;
  status: 'completed' | 'incomplete' = 'completed';
  incompleteReason?: string;
  terminal = false;
  failure?: ApiError;
  /** Number of SSE events seen (anything at all, for diagnostics). */
  events = 0;

  private readonly utf8 = new TextDecoder('utf-8');
  private readonly parser: EventSourceParser;
  /** Parts (item id + content index) that already received deltas, so `.done` events don't repeat them. */
  private readonly partsWithDeltas = new Set<string>();
  private chatFinished = false;
  /** The part the last delta read without JSON.parse belonged to (most deltas belong to the part before them). */
  private lastDeltaPart: string | undefined;

  /** More text came than `maxChars`: nothing more is taken (the reader ends the request). */
  tooLong = false;

  constructor(
    private readonly onText: (text: string) => void,
    private readonly maxChars = Infinity,
  ) {
    this.parser = createParser({ onEvent: (event) => this.onEvent(event) });
  }

  feed(bytes: Uint8Array): void {
    const chunk = this.utf8.decode(bytes, { stream: true });
    if (chunk.length > 0) this.parser.feed(chunk);
  }

  /** The body ended: flush a last event that lacked its blank line. */
  end(): void {
    const rest = this.utf8.decode();
    this.parser.feed(`${rest}\n\n`);
    if (!this.terminal && this.chatFinished) {
      this.terminal = true;
    }
  }

  result(): ParsedAnswer {
    const answer: ParsedAnswer = { text: this.text, status: this.status };
    if (this.incompleteReason !== undefined) answer.incompleteReason = this.incompleteReason;
    if (this.model !== undefined) answer.model = this.model;
    if (this.id !== undefined) answer.id = this.id;
    if (this.usage !== undefined) answer.usage = this.usage;
    return answer;
  }

  private emit(text: string): void {
    if (text.length === 0 || this.tooLong) return;
    this.text += text;
    this.onText(text);
    if (this.text.length > this.maxChars) this.tooLong = true;
  }

  private onEvent(event: EventSourceMessage): void {
    if (this.failure || this.terminal || this.tooLong) return;
    this.events++;
    const data = event.data.trim();
    if (data === '[DONE]') {
      this.terminal = true;
      return;
    }
    if (data.length === 0) return;
    if (this.takeTextDelta(data)) return;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      // A relay's own line or keep-alive noise is not part of the answer; an event that starts as JSON is, and a
      // broken one would otherwise leave the answer waiting for the idle timeout with a hole in it.
      if (/^[{[]/.test(data)) {
        this.failure = new ApiError({
          kind: 'server',
          reason: 'malformedEvent',
          retryable: true,
          message: `An event of the stream is not valid JSON (${data.length} characters: ${data.slice(0, 80)}…).`,
        });
      }
      return;
    }
    if (!isObject(json)) return;
    const type = typeof json.type === 'string' ? json.type : event.event;
    if (type !== undefined && (type.startsWith('response.') || type === 'error')) {
      this.onResponsesEvent(type, json);
    } else if (Array.isArray(json.choices) || (json.object === 'chat.completion.chunk' && isObject(json.usage))) {
      this.onChatChunk(json);
    } else if (json.error !== undefined) {
      this.onErrorEvent(json);
    }
  }

  /** The common delta event, read without `JSON.parse` (see TEXT_DELTA_EVENT). False when it is anything else. */
  private takeTextDelta(data: string): boolean {
    if (!data.startsWith(DELTA_PREFIX) || !TEXT_DELTA_EVENT.test(data)) return false;
    const key = data.indexOf(DELTA_KEY, DELTA_PREFIX.length);
    // A second "type" or "delta" would win in JSON.parse: left to it.
    if (data.indexOf(DELTA_KEY, key + 1) !== -1 || data.indexOf('"type"', DELTA_PREFIX.length) !== -1) return false;
    const start = key + DELTA_KEY.length;
    const end = closingQuote(data, start);
    let delta = data.slice(start, end);
    if (delta.includes('\\')) {
      try {
        delta = JSON.parse(data.slice(start - 1, end + 1)) as string;
      } catch {
        return false;
      }
    }
    if (delta.length === 0) return true;
    const part = `${simpleField(data, 'item_id') ?? ''}:${simpleField(data, 'content_index') ?? 0}`;
    if (part !== this.lastDeltaPart) {
      this.lastDeltaPart = part;
      this.partsWithDeltas.add(part);
    }
    this.emit(delta);
    return true;
  }

  private remember(response: unknown): void {
    if (!isObject(response)) return;
    if (typeof response.model === 'string') this.model = response.model;
    if (typeof response.id === 'string') this.id = response.id;
    const usage = parseUsage(response.usage);
    if (usage) this.usage = usage;
  }

  private onResponsesEvent(type: string, json: Json): void {
    const partKey = `${String(json.item_id ?? '')}:${String(json.content_index ?? 0)}`;
    switch (type) {
      case 'response.created':
      case 'response.in_progress':
        this.remember(json.response);
        return;
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        if (typeof json.delta === 'string' && json.delta.length > 0) {
          this.partsWithDeltas.add(partKey);
          this.emit(json.delta);
        }
        return;
      case 'response.output_text.done':
        // A relay that sends only the final text of a part still gets it shown.
        if (!this.partsWithDeltas.has(partKey) && typeof json.text === 'string') {
          this.partsWithDeltas.add(partKey);
          this.emit(json.text);
        }
        return;
      case 'response.completed':
      case 'response.incomplete':
        this.finishWith(json.response, type === 'response.incomplete');
        return;
      case 'response.failed': {
        const response = isObject(json.response) ? json.response : {};
        this.remember(response);
        this.failure = failedResponseError(response, this.text);
        return;
      }
      case 'error':
        this.onErrorEvent(json);
        return;
      default:
        return; // output_item.*, content_part.*, reasoning_summary_*, and whatever comes next.
    }
  }

  private finishWith(response: unknown, incomplete: boolean): void {
    this.remember(response);
    if (this.text === '' && isObject(response)) {
      this.emit(outputText(response.output));
    }
    const status = isObject(response) ? response.status : undefined;
    if (incomplete || status === 'incomplete') {
      this.status = 'incomplete';
      const details = isObject(response) && isObject(response.incomplete_details) ? response.incomplete_details : {};
      this.incompleteReason = typeof details.reason === 'string' ? details.reason : 'unknown';
    }
    this.terminal = true;
  }

  private onChatChunk(json: Json): void {
    if (typeof json.model === 'string') this.model = json.model;
    if (typeof json.id === 'string') this.id = json.id;
    const usage = parseUsage(json.usage);
    if (usage) this.usage = usage;
    const choices = Array.isArray(json.choices) ? json.choices : [];
    for (const choice of choices) {
      if (!isObject(choice) || (choice.index !== undefined && choice.index !== 0)) continue;
      const delta = isObject(choice.delta) ? choice.delta : isObject(choice.message) ? choice.message : undefined;
      this.emit(chatContent(delta?.content));
      if (typeof choice.finish_reason === 'string' && choice.finish_reason.length > 0) {
        this.chatFinished = true;
        const reason = incompleteReasonOf(choice.finish_reason);
        if (reason) {
          this.status = 'incomplete';
          this.incompleteReason = reason;
        }
      }
    }
  }

  private onErrorEvent(json: Json): void {
    const words = readServerWords(isObject(json.error) ? json : { error: json });
    const message = words.message ?? 'no reason given';
    const kind = (words.code !== undefined ? errorKinds[words.code] : undefined) ?? 'failed';
    this.failure = new ApiError({
      kind,
      reason: saysContextTooLong(words) ? 'tooLarge' : kind === 'quota' ? 'quotaExhausted' : kind === 'rateLimit' ? 'rateLimited' : 'streamError',
      retryable: kind === 'server' || kind === 'rateLimit',
      ...(words.code !== undefined ? { code: words.code } : {}),
      serverMessage: message,
      ...(words.requestId !== undefined ? { requestId: words.requestId } : {}),
      ...(this.text ? { partialText: this.text } : {}),
      message: `An error event arrived during the answer (server said: ${message}).`,
    });
  }
}
