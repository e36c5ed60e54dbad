/**
 * A fake AnyAPI (new-api relay) on 127.0.0.1 for the unit, integration, UI and benchmark suites.
 * Plain Node `http` + `zlib`; no vscode, no undici.
 *
 * Keys: `Authorization: Bearer sk-test…` is valid (prefix configurable); anything else gets
 * 401 `{"error":{"message":"无效的令牌 (request id: …)","type":"new_api_error",…}}`.
 *
 * Routes: `GET /v1/models`; `POST /v1/responses` and `POST /v1/chat/completions`; other `/v1/…` paths give
 * new-api's 404 `Invalid URL (…)`; any other path answers the relay's web console page (`200 text/html`).
 *
 * Default answer to the last user message (deterministic):
 *
 *     **Echo:** <first non-empty line of the last user message, markers removed, max 200 chars>
 *
 *     This is the fake AnyAPI answer (model `<model>`).
 *
 * streamed as Responses SSE (every event type, in several chunks with small delays) when `stream: true`,
 * else a Responses object; the same text in Chat Completions shapes on /v1/chat/completions.
 *
 * Markers in the last user message choose a scenario:
 *   [[fake:slow]]          ~30 s stream (deltas `chunk 1 `, `chunk 2 `, … every 150 ms), to test Stop
 *   [[fake:code]]          answer with a ```ts block holding `fakeCodeSnippet`
 *   [[fake:hostile]]       `hostileAnswer`: <script>, onerror img, javascript: link, remote image, raw HTML
 *   [[fake:long:N]]        `longAnswer(N)`: N bytes of varied markdown, many fast deltas
 *   [[fake:error-NNN]]     HTTP NNN with a realistic body: 400 OpenAI invalid_request_error, 401 无效的令牌,
 *                          403 用户额度不足 (quota), 404 model_not_found, 429 empty body, 500 convert_request_failed,
 *                          502 / 524 Cloudflare HTML, 503 `当前分组 default 下对于模型 <model> 无可用渠道`; others generic
 *   [[fake:html200]]       `200 text/html` (the relay's web page, as a wrong base URL gets)
 *   [[fake:chat-shape]]    the seed document's shape: `choices[0].message.content` (stream: Chat Completions chunks)
 *   [[fake:stream-error]]  3 deltas (`Partial `, `answer `, `before error`) then an `error` event
 *                          (`{"type":"error","code":"server_error","message":"上游服务错误 upstream error"}`)
 *   [[fake:truncated]]     3 deltas (`Partial `, `answer `, `then cut`) then the connection ends, no terminal event
 *   [[fake:incomplete]]    the default text, ending with `response.incomplete` (reason `max_output_tokens`)
 *   [[fake:gzip]]          the body gzip-encoded
 * Model `chat-only-model`: 500 convert_request_failed on /v1/responses, normal answers on /v1/chat/completions.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as zlib from 'node:zlib';
import {
  chatCompletionChunks,
  chatCompletionObject,
  cloudflarePage,
  codeAnswer,
  echoAnswer,
  firstLineOf,
  hostileAnswer,
  longAnswer,
  newApiError,
  newRequestId,
  newResponseParts,
  openAiError,
  responseObject,
  responsesStream,
  splitDeltas,
  sseEvent,
  usageFor,
  webConsolePage,
} from './fakeAnswers';
import type { AnswerUsage, Json } from './fakeAnswers';

export const authMarkers = {
  valid: '<valid key>',
  invalid: '<invalid key>',
  missing: '<no key>',
} as const;

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/responses`. */
  path: string;
  /** Lower-cased headers; `authorization` is one of `authMarkers`, never the key itself. */
  headers: Record<string, string>;
  /** The parsed JSON body, or the raw text when it is not JSON (undefined when empty). */
  body: unknown;
  keyValid: boolean;
  /** The request id the fake sent back (`x-oneapi-request-id`). */
  requestId: string;
  /** The client closed the connection before the response ended. */
  closedEarly: boolean;
  /** Resolves when the exchange is over: true if the client closed it early. */
  ended: Promise<boolean>;
}

/** What a scripted handler gets for one request. */
export interface FakeExchange {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  record: RecordedRequest;
  /** Parsed body (JSON) or undefined. */
  body: unknown;
  /** True once the client has gone away. */
  readonly closed: boolean;
  /** Waits `ms`, or less when the client goes away. */
  sleep(ms: number): Promise<void>;
  /** Runs the server's default behaviour for this request. */
  playDefault(): Promise<void>;
}

export type FakeHandler = (exchange: FakeExchange) => void | Promise<void>;

export interface FakeAnyApi {
  /** e.g. `http://127.0.0.1:PORT` (no `/v1`). */
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Scripts the next request(s), first in, first out; unscripted requests get the default behaviour. */
  enqueue(...handlers: FakeHandler[]): void;
  /** Resolves when `count` requests have arrived in total. */
  waitForRequests(count: number): Promise<void>;
  reset(): void;
  /** Stops listening and drops every connection (the server is gone: connecting is refused) until `resume()`. */
  pause(): Promise<void>;
  /** Listens on the same port again. */
  resume(): Promise<void>;
  close(): Promise<void>;
}

export interface FakeAnyApiOptions {
  port?: number;
  /** Keys starting with this are accepted. Default `sk-test`. */
  validKeyPrefix?: string;
  /** Milliseconds between streamed chunks of normal answers. Default 5. */
  chunkDelayMs?: number;
}

export const fakeModels: Json[] = [
  { id: 'gpt-5.1', object: 'model', created: 1626777600, owned_by: 'openai', supported_endpoint_types: ['openai', 'openai-response'] },
  { id: 'o3-pro', object: 'model', created: 1626777600, owned_by: 'openai', supported_endpoint_types: ['openai-response'] },
  { id: 'claude-sonnet-4-5', object: 'model', created: 1626777600, owned_by: 'anthropic', supported_endpoint_types: ['anthropic', 'openai'] },
  { id: 'deepseek-chat', object: 'model', created: 1626777600, owned_by: 'deepseek', supported_endpoint_types: ['openai'] },
  { id: 'chat-only-model', object: 'model', created: 1626777600, owned_by: 'custom', supported_endpoint_types: ['openai'] },
];

type Part = string | { role?: string; content?: unknown; text?: unknown };

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part: Part) => (typeof part === 'string' ? part : typeof part?.text === 'string' ? part.text : ''))
      .join('');
  }
  return '';
}

/** The last user message and all input text of a Responses or Chat Completions body. */
export function questionOf(body: unknown): { question: string; allText: string; model: string; stream: boolean } {
  const b = (body ?? {}) as Json;
  const model = typeof b.model === 'string' ? b.model : 'gpt-5.1';
  const stream = b.stream === true;
  const messages = Array.isArray(b.input) ? b.input : Array.isArray(b.messages) ? b.messages : [];
  let question = typeof b.input === 'string' ? b.input : '';
  let allText = typeof b.instructions === 'string' ? b.instructions : '';
  for (const message of messages as { role?: string; content?: unknown }[]) {
    const text = textOf(message?.content);
    allText += text;
    if (message?.role === 'user') question = text;
  }
  if (typeof b.input === 'string') allText += b.input;
  return { question, allText, model, stream };
}

function sleepUnlessClosed(ms: number, isClosed: () => boolean, res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    if (isClosed()) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.on('close', done);
  });
}

export async function startFakeAnyApi(options: FakeAnyApiOptions = {}): Promise<FakeAnyApi> {
  const validKeyPrefix = options.validKeyPrefix ?? 'sk-test';
  const chunkDelayMs = options.chunkDelayMs ?? 5;
  const queue: FakeHandler[] = [];
  const requests: RecordedRequest[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void handle(req, res, Buffer.concat(chunks).toString('utf8'));
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, rawBody: string): Promise<void> {
    const auth = req.headers.authorization;
    const key = auth?.replace(/^Bearer\s+/i, '') ?? '';
    const keyValid = auth !== undefined && key.startsWith(validKeyPrefix);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    headers.authorization = auth === undefined ? authMarkers.missing : keyValid ? authMarkers.valid : authMarkers.invalid;
    let body: unknown;
    if (rawBody.length > 0) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = rawBody;
      }
    }
    const requestId = newRequestId();
    let closed = false;
    let resolveEnded: (early: boolean) => void = () => undefined;
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0],
      headers,
      body,
      keyValid,
      requestId,
      closedEarly: false,
      ended: new Promise<boolean>((resolve) => {
        resolveEnded = resolve;
      }),
    };
    res.on('close', () => {
      closed = true;
      record.closedEarly = !res.writableFinished;
      resolveEnded(record.closedEarly);
    });
    requests.push(record);
    for (const waiter of waiters.filter((w) => requests.length >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    res.setHeader('x-oneapi-request-id', requestId);
    const exchange: FakeExchange = {
      req,
      res,
      record,
      body,
      get closed() {
        return closed;
      },
      sleep: (ms) => sleepUnlessClosed(ms, () => closed, res),
      playDefault: () => playDefault(exchange),
    };
    try {
      const scripted = queue.shift();
      await (scripted ? scripted(exchange) : playDefault(exchange));
    } catch (error) {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify(openAiError(`fake server bug: ${String(error)}`, 'server_error', null)));
      } else {
        res.destroy();
      }
    }
  }

  async function playDefault(x: FakeExchange): Promise<void> {
    const { record, res } = x;
    if (!record.path.startsWith('/v1/')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(webConsolePage);
      return;
    }
    if (!record.keyValid) {
      sendJson(res, 401, newApiError('无效的令牌', record.requestId));
      return;
    }
    if (record.method === 'GET' && record.path === '/v1/models') {
      sendJson(res, 200, { object: 'list', data: fakeModels, success: true });
      return;
    }
    if (record.method === 'POST' && (record.path === '/v1/responses' || record.path === '/v1/chat/completions')) {
      await answer(x, record.path === '/v1/responses' ? 'responses' : 'chat');
      return;
    }
    sendJson(
      res,
      404,
      openAiError(`Invalid URL (${record.method} ${record.path})`, 'invalid_request_error', ''),
    );
  }

  async function answer(x: FakeExchange, route: 'responses' | 'chat'): Promise<void> {
    const { res, record } = x;
    const { question, allText, model, stream } = questionOf(record.body);
    const marker = (name: string): boolean => question.includes(`[[fake:${name}]]`);
    const gzip = marker('gzip');

    if (route === 'responses' && model === 'chat-only-model') {
      sendJson(
        res,
        500,
        newApiError(`convert request failed: model ${model} is not supported on /v1/responses`, record.requestId, 'convert_request_failed'),
      );
      return;
    }
    const errorMatch = /\[\[fake:error-(\d{3})\]\]/.exec(question);
    if (errorMatch) {
      sendError(res, Number(errorMatch[1]), model, record.requestId, record.headers.host ?? '127.0.0.1');
      return;
    }
    if (marker('html200')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(webConsolePage);
      return;
    }

    const longMatch = /\[\[fake:long:(\d+)\]\]/.exec(question);
    let text = echoAnswer(question, model);
    let deltaSize = 8;
    let delayMs = chunkDelayMs;
    let eventsPerWrite = 3;
    if (marker('code')) text = codeAnswer(firstLineOf(question));
    if (marker('hostile')) text = hostileAnswer;
    if (longMatch) {
      text = longAnswer(Number(longMatch[1]));
      deltaSize = 96;
      delayMs = 0;
      eventsPerWrite = 20;
    }
    let deltas = splitDeltas(text, deltaSize);
    if (marker('slow')) {
      deltas = Array.from({ length: 200 }, (_, i) => `chunk ${i + 1} `);
      text = deltas.join('');
      delayMs = 150;
      eventsPerWrite = 1;
    }
    let terminal: 'completed' | 'incomplete' | 'none' = 'completed';
    let trailer: string | undefined;
    if (marker('incomplete')) terminal = 'incomplete';
    if (marker('stream-error')) {
      deltas = ['Partial ', 'answer ', 'before error'];
      terminal = 'none';
      trailer = sseEvent({ type: 'error', code: 'server_error', message: '上游服务错误 upstream error', param: null, sequence_number: 99 });
    }
    if (marker('truncated')) {
      deltas = ['Partial ', 'answer ', 'then cut'];
      terminal = 'none';
    }
    text = deltas.join('');
    const usage = usageFor(allText, text, model);

    if (!stream) {
      if (marker('slow')) await x.sleep(30_000);
      if (x.closed) return;
      if (marker('truncated')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"id":"resp_cut","object":"response","output":[{"type":"mess');
        await x.sleep(chunkDelayMs);
        res.destroy();
        return;
      }
      if (marker('stream-error')) {
        sendJson(res, 500, openAiError('上游服务错误 upstream error', 'server_error', 'server_error'));
        return;
      }
      const chatShape = marker('chat-shape') || route === 'chat';
      const finish = terminal === 'incomplete' ? 'length' : 'stop';
      const payload = chatShape
        ? chatCompletionObject(model, text, usage, finish)
        : responseObject(newResponseParts(model), text, {
            usage,
            status: terminal === 'incomplete' ? 'incomplete' : 'completed',
            ...(terminal === 'incomplete' ? { incompleteReason: 'max_output_tokens' } : {}),
          });
      sendJson(res, 200, payload, gzip);
      return;
    }

    let events: string[];
    let prelude: string[] = [];
    if (marker('chat-shape') || route === 'chat') {
      const includeUsage = ((record.body as Json).stream_options as Json | undefined)?.include_usage === true;
      events = chatCompletionChunks(model, deltas, {
        ...(includeUsage || route === 'responses' ? { usage } : {}),
        finishReason: terminal === 'incomplete' ? 'length' : 'stop',
      });
      if (terminal === 'none') events = events.slice(0, deltas.length + 1);
    } else {
      const plan = responsesStream(newResponseParts(model), {
        deltas,
        usage,
        terminal,
        ...(terminal === 'incomplete' ? { incompleteReason: 'max_output_tokens' } : {}),
      });
      prelude = [': keep-alive\n\n', ...plan.opening];
      events = [...plan.deltas, ...plan.closing];
    }
    if (trailer) events.push(trailer);
    await streamEvents(x, events, { prelude, delayMs, eventsPerWrite, gzip, cut: marker('truncated') });
  }

  return new Promise<FakeAnyApi>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        requests,
        enqueue: (...handlers) => queue.push(...handlers),
        waitForRequests: (count) =>
          requests.length >= count ? Promise.resolve() : new Promise<void>((r) => waiters.push({ count, resolve: r })),
        reset: () => {
          queue.length = 0;
          requests.length = 0;
        },
        pause: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
        resume: () =>
          new Promise<void>((done, fail) => {
            server.once('error', fail);
            server.listen(port, '127.0.0.1', () => {
              server.off('error', fail);
              done();
            });
          }),
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            if (!server.listening) {
              done();
              return;
            }
            server.close(() => done());
          }),
      });
    });
  });
}

export function sendJson(res: http.ServerResponse, status: number, payload: unknown, gzip = false): void {
  const text = JSON.stringify(payload);
  if (gzip) {
    const bytes = zlib.gzipSync(Buffer.from(text));
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-encoding': 'gzip', 'content-length': bytes.length });
    res.end(bytes);
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export const sseHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
} as const;

/**
 * Writes SSE text: the `prelude` at once, then `events` in groups of `eventsPerWrite`, `delayMs` apart.
 * Stops when the client leaves; `cut` drops the connection instead of ending the body.
 */
export async function streamEvents(
  x: FakeExchange,
  events: string[],
  options: { prelude?: string[]; delayMs?: number; eventsPerWrite?: number; gzip?: boolean; cut?: boolean } = {},
): Promise<void> {
  const { res } = x;
  const perWrite = Math.max(1, options.eventsPerWrite ?? 3);
  const gzip = options.gzip === true ? zlib.createGzip() : undefined;
  res.writeHead(200, { ...sseHeaders, ...(gzip ? { 'content-encoding': 'gzip' } : {}) });
  if (gzip) gzip.pipe(res);
  const write = (text: string): Promise<void> =>
    new Promise<void>((resolve) => {
      if (gzip) {
        gzip.write(text);
        gzip.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve());
      } else {
        res.write(text, () => resolve());
      }
    });
  if (options.prelude && options.prelude.length > 0) {
    await write(options.prelude.join(''));
    await x.sleep(Math.min(options.delayMs ?? 0, 5));
  }
  for (let i = 0; i < events.length; i += perWrite) {
    if (x.closed) return;
    await write(events.slice(i, i + perWrite).join(''));
    if (options.delayMs) await x.sleep(options.delayMs);
    else if (i % (perWrite * 20) === 0) await new Promise((r) => setImmediate(r));
  }
  if (x.closed) return;
  if (options.cut) {
    res.destroy();
    return;
  }
  if (gzip) gzip.end();
  else res.end();
}

/**
 * Writes raw pieces (strings or bytes, split anywhere) `delayMs` apart, for decoder tests. Ends the response
 * unless `end: 'destroy'` (connection drop) or `end: 'hang'` (stays open until the client leaves).
 */
export async function streamRaw(
  x: FakeExchange,
  pieces: (string | Buffer)[],
  options: { delayMs?: number; headers?: http.OutgoingHttpHeaders; status?: number; end?: 'end' | 'destroy' | 'hang' } = {},
): Promise<void> {
  const { res } = x;
  res.writeHead(options.status ?? 200, options.headers ?? sseHeaders);
  res.flushHeaders();
  for (const piece of pieces) {
    if (x.closed) return;
    await new Promise<void>((resolve) => res.write(piece, () => resolve()));
    await x.sleep(options.delayMs ?? 2);
  }
  if (x.closed) return;
  if (options.end === 'destroy') {
    res.destroy();
  } else if (options.end === 'hang') {
    await new Promise<void>((resolve) => res.once('close', () => resolve()));
  } else {
    res.end();
  }
}

function sendError(res: http.ServerResponse, status: number, model: string, requestId: string, host: string): void {
  switch (status) {
    case 400:
      sendJson(res, 400, openAiError("Unsupported parameter: 'temperature' is not supported with this model.", 'invalid_request_error', 'unsupported_parameter', 'temperature'));
      return;
    case 401:
      sendJson(res, 401, newApiError('无效的令牌', requestId));
      return;
    case 403:
      sendJson(res, 403, newApiError('用户额度不足, 剩余额度: ＄0.000000', requestId, 'insufficient_user_quota'));
      return;
    case 404:
      sendJson(res, 404, openAiError(`The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found'));
      return;
    case 429:
      res.writeHead(429, { 'content-length': 0 });
      res.end();
      return;
    case 500:
      sendJson(res, 500, newApiError(`convert request failed: model ${model} is not supported on /v1/responses`, requestId, 'convert_request_failed'));
      return;
    case 502:
    case 524: {
      const page = cloudflarePage(status, host);
      res.writeHead(status, { 'content-type': 'text/html; charset=UTF-8', server: 'cloudflare', 'cf-ray': '8e1f2a3b4c5d6e7f-HKG' });
      res.end(page);
      return;
    }
    case 503:
      sendJson(res, 503, newApiError(`当前分组 default 下对于模型 ${model} 无可用渠道`, requestId, 'model_not_found'));
      return;
    default:
      sendJson(res, status, openAiError(`fake error ${status}`, 'server_error', null));
  }
}

export type { AnswerUsage };
