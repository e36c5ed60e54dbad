/** Decodes a streamed answer: Responses SSE events, or Chat Completions chunks, from raw bytes. */
import { createParser } from 'eventsource-parser';
import type { EventSourceMessage, EventSourceParser } from 'eventsource-parser';
import { DeltaEventReader, fromBytes, isUnusedEvent } from './deltaEvent';
import { ApiError } from './errors';
import { readServerWords, saysContextTooLong } from './httpErrors';
import { chatContent, failedResponseError, incompleteReasonOf, isObject, outputText, parseUsage } from './responseShapes';
import type { ParsedAnswer } from './responseShapes';
import type { Usage } from './types';

type Json = Record<string, unknown>;

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

  /** Decodes the bytes once the parser takes the stream as it comes (see `pending`). */
  private readonly utf8 = new TextDecoder('utf-8');
  /** Parses every event but the common delta one; fed whole events only, so it is never left in the middle of one. */
  private readonly parser: EventSourceParser;
  private readonly deltas = new DeltaEventReader();
  /**
   * Bytes not yet split into events, one character per byte (Latin-1): events are split here at blank lines, and
   * only the text taken from them is decoded as UTF-8, which a multi-byte character cut by a chunk cannot break and
   * which costs a fifth of decoding all of it. That holds while the stream's lines end in `\n` alone; a `\r` anywhere
   * means other line endings, and from then on the parser takes the decoded text as it comes.
   */
  private pending = '';
  private pendingEndsInNewline = false;
  private splitHere = true;
  /** Parts (item id + content index) that already received deltas, so `.done` events don't repeat them. */
  private readonly partsWithDeltas = new Set<string>();
  private chatFinished = false;
  /** The part the last delta read without JSON.parse belonged to (most deltas belong to the part before them). */
  private lastItem: string | undefined;
  private lastIndex = '';

  /** More text came than `maxChars`: nothing more is taken (the reader ends the request). */
  tooLong = false;

  constructor(
    private readonly onText: (text: string) => void,
    private readonly maxChars = Infinity,
  ) {
    this.parser = createParser({ onEvent: (event) => this.onEvent(event) });
  }

  feed(bytes: Uint8Array): void {
    if (!this.splitHere) {
      const text = this.utf8.decode(bytes, { stream: true });
      if (text.length > 0) this.parser.feed(text);
      return;
    }
    const chunk = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    if (chunk.includes('\r')) {
      this.splitHere = false;
      const text = this.utf8.decode(Buffer.from(this.pending + chunk, 'latin1'), { stream: true });
      this.pending = '';
      this.parser.feed(text);
      return;
    }
    if (chunk.length > 0) this.take(chunk);
  }

  /** The body ended: flush a last event that lacked its blank line. */
  end(): void {
    const rest = this.splitHere ? fromBytes(this.pending) : this.utf8.decode();
    this.pending = '';
    this.parser.feed(`${rest}\n\n`);
    if (!this.terminal && this.chatFinished) {
      this.terminal = true;
    }
  }

  /** A chunk of the stream's bytes, one character per byte, split into events at blank lines. */
  private take(chunk: string): void {
    let start = 0;
    if (this.pending.length > 0) {
      // The event cut by the chunk's start is joined on its own: joining the pending text to the whole chunk would
      // have every search of the chunk copy it again.
      // (Asked of the pending text's last chunk: asked of the pending text, a long event would be copied each time.)
      const seam = this.pendingEndsInNewline && chunk.charCodeAt(0) === 10;
      const end = seam ? 0 : chunk.indexOf('\n\n');
      if (end === -1) {
        this.pending += chunk;
        this.pendingEndsInNewline = chunk.charCodeAt(chunk.length - 1) === 10;
        return;
      }
      start = seam ? 1 : end + 2;
      const head = this.pending + chunk.slice(0, start);
      this.pending = '';
      this.takeEvent(head, 0, head.length - 2);
    }
    for (;;) {
      const deltaEnd = this.takeDeltaEvent(chunk, start);
      if (deltaEnd !== -1) {
        start = deltaEnd;
        continue;
      }
      const end = chunk.indexOf('\n\n', start);
      if (end === -1) break;
      this.takeOtherEvent(chunk, start, end);
      start = end + 2;
    }
    this.pending = chunk.slice(start);
    this.pendingEndsInNewline = chunk.charCodeAt(chunk.length - 1) === 10;
  }

  /** One whole event: `text` from `start` up to its blank line at `end`. */
  private takeEvent(text: string, start: number, end: number): void {
    if (this.takeDeltaEvent(text, start) === -1) this.takeOtherEvent(text, start, end);
  }

  /** An event other than a delta, left to the parser unless the answer does not use it (see isUnusedEvent). */
  private takeOtherEvent(text: string, start: number, end: number): void {
    if (isUnusedEvent(text, start, this.partsWithDeltas)) {
      if (!(this.failure || this.terminal || this.tooLong)) this.events++;
      return;
    }
    this.parser.feed(fromBytes(text.slice(start, end + 2)));
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
    if (this.deltas.readData(data)) {
      this.takeDelta();
      return;
    }
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

  /**
   * The common delta event at `start` in `text`, read without `JSON.parse` (see DeltaEventReader) when it is whole,
   * with its blank line: where that blank line ends, or -1 when what starts there is anything else (nothing is taken).
   */
  private takeDeltaEvent(text: string, start: number): number {
    if (!this.deltas.readBlock(text, start)) return -1;
    if (!(this.failure || this.terminal || this.tooLong)) {
      this.events++;
      this.takeDelta();
    }
    return this.deltas.end;
  }

  /** The delta the reader has just read. */
  private takeDelta(): void {
    const { delta, item, index } = this.deltas;
    if (this.deltas.kind === 'chat') {
      // As onChatChunk takes it.
      this.model = this.deltas.model;
      this.id = this.deltas.id;
      this.emit(delta);
      return;
    }
    if (delta.length === 0) return;
    if (item !== this.lastItem || index !== this.lastIndex) {
      this.lastItem = item;
      this.lastIndex = index;
      this.partsWithDeltas.add(`${item}:${index}`);
    }
    this.emit(delta);
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
