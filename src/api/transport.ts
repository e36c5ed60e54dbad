import { Readable, pipeline } from 'node:stream';
import * as zlib from 'node:zlib';
import { request } from 'undici';
import type { Dispatcher } from 'undici';
import { ApiError, errorFromNetwork, formatDuration, networkCode } from './errors';
import { describeProxy, discardDispatcher, dispatcherFor, proxyFor } from './proxy';
import type { ProxyOptions } from './types';
import { hostOf } from './url';

export interface TransportSettings {
  apiKey: string;
  userAgent: string;
  connectTimeoutMs: number;
  firstByteTimeoutMs: number;
  idleTimeoutMs: number;
  proxy?: ProxyOptions;
  signal?: AbortSignal;
  debug(message: string): void;
}

export interface OutgoingRequest {
  method: 'GET' | 'POST';
  url: string;
  body?: unknown;
  accept: string;
}

type TimerKind = 'firstByte' | 'idle';

/**
 * One timer at a time: until the first progress (`firstByte`), then between two (`idle`). When it fires it aborts
 * the request, which closes the socket. What counts as progress is a body chunk, or for a stream an event (the
 * reader says so): keep-alive comments alone never keep a request open.
 */
class Watchdog {
  fired: TimerKind | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly controller: AbortController,
    private readonly firstByteMs: number,
    private readonly idleMs: number,
  ) {}

  start(): void {
    this.arm('firstByte', this.firstByteMs);
  }

  progress(): void {
    if (this.fired === undefined) {
      this.arm('idle', this.idleMs);
    }
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(kind: TimerKind, ms: number): void {
    this.stop();
    if (ms <= 0 || !Number.isFinite(ms)) return;
    this.timer = setTimeout(() => {
      this.fired = kind;
      this.controller.abort(new Error(`${kind} timeout`));
    }, ms);
    this.timer.unref?.();
  }
}

export interface OpenedResponse {
  status: number;
  headers: Record<string, string>;
  contentType: string;
  requestId?: string;
  /** Milliseconds from sending to the response headers. */
  headersMs: number;
  /** Milliseconds since the request was sent. */
  elapsedMs(): number;
  /**
   * The decompressed body chunk by chunk; failures arrive as ApiError. Each chunk is progress for the idle timer,
   * unless `progressByCaller` is set: then only `progress()` is (a stream reader calls it for each event).
   */
  chunks(options?: { progressByCaller?: boolean }): AsyncGenerator<Buffer>;
  /** Something that counts arrived (a stream's event): restarts the idle timer. */
  progress(): void;
  /** The whole (decompressed) body as text, up to `limit` bytes. */
  readText(limit?: number): Promise<string>;
  /**
   * Releases timers and listeners. A body not read to the end drops the connection, unless `answered`: the answer is
   * complete (its terminal event came) and the relay is only slow to end the response, so the rest is read off in the
   * background (a little, briefly) to keep the connection for the next request.
   */
  close(answered?: boolean): void;
}

/** What may follow a complete streamed answer before the connection is given up instead of kept. */
const DRAIN_LIMIT_BYTES = 64 * 1024;
const DRAIN_MS = 2_000;

function headerRecord(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export function requestIdFrom(headers: Record<string, string>): string | undefined {
  return headers['x-request-id'] ?? headers['x-oneapi-request-id'] ?? headers['x-new-api-request-id'];
}

function decompressorFor(encoding: string | undefined): NodeJS.ReadWriteStream | undefined {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return undefined;
  }
}

export function abortedError(): ApiError {
  return new ApiError({ kind: 'aborted', reason: 'stopped', retryable: false, message: 'The request was stopped.' });
}

/** The ApiError for a failure of the request or its body: stopped, one of the three timeouts, or the network. */
function classifier(settings: TransportSettings, url: string, watchdog: Watchdog, proxyUrl: string | undefined): (cause: unknown) => ApiError {
  const host = hostOf(url);
  const timeoutError = (timeout: 'connect' | 'firstByte' | 'idle', ms: number, diagnostic: string, code?: string): ApiError =>
    new ApiError({
      kind: 'timeout',
      reason: `${timeout}Timeout`,
      timeout,
      // A first byte that never came, or a stream that went quiet, may mean a request still running upstream (and
      // billed): the user decides. Waiting out the idle timeout again would also triple the wait.
      retryable: timeout === 'connect',
      ...(code !== undefined ? { code } : {}),
      facts: { host, timeoutMs: ms },
      message: `${diagnostic} (${host}, ${formatDuration(ms)}).`,
    });
  return (cause) => {
    if (settings.signal?.aborted) return abortedError();
    if (cause instanceof ApiError) return cause;
    if (watchdog.fired === 'firstByte') return timeoutError('firstByte', settings.firstByteTimeoutMs, 'First-byte timeout');
    if (watchdog.fired === 'idle') return timeoutError('idle', settings.idleTimeoutMs, 'Idle timeout');
    if (networkCode(cause) === 'UND_ERR_CONNECT_TIMEOUT') {
      return timeoutError('connect', settings.connectTimeoutMs, 'Connect timeout', 'UND_ERR_CONNECT_TIMEOUT');
    }
    return errorFromNetwork(cause, url, proxyUrl);
  };
}

function requestHeaders(settings: TransportSettings, outgoing: OutgoingRequest): { headers: Record<string, string>; body?: string } {
  const headers: Record<string, string> = {
    authorization: `Bearer ${settings.apiKey}`,
    accept: outgoing.accept,
    'user-agent': settings.userAgent,
  };
  if (!outgoing.accept.includes('event-stream')) {
    headers['accept-encoding'] = 'gzip, deflate, br';
  }
  if (outgoing.body === undefined) {
    return { headers };
  }
  headers['content-type'] = 'application/json';
  return { headers, body: JSON.stringify(outgoing.body) };
}

/** The response body decompressed, chunk by chunk; `onChunk` hears of every raw chunk. */
async function* decodedBody(raw: AsyncIterable<unknown>, encoding: string | undefined, onChunk: () => void): AsyncGenerator<Buffer> {
  let rawBytes = 0;
  const countedFrom = async function* (source: AsyncIterable<unknown>): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      onChunk();
      rawBytes += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  };
  const counted = (): AsyncGenerator<Buffer> => countedFrom(raw);
  const decompressor = decompressorFor(encoding);
  if (decompressor === undefined) {
    // A reader that stops early (the answer is complete) leaves the body to close(), which may keep the connection.
    const body = raw as Readable;
    yield* countedFrom(typeof body.iterator === 'function' ? body.iterator({ destroyOnReturn: false }) : raw);
    return;
  }
  pipeline(Readable.from(counted()), decompressor, () => undefined);
  try {
    for await (const chunk of decompressor) {
      yield chunk as Buffer;
    }
  } catch (cause) {
    // An empty body declared as compressed is just empty.
    if (!(rawBytes === 0 && networkCode(cause) === 'Z_BUF_ERROR')) throw cause;
  }
}

/** How long an aborted request may take to settle before its dispatcher is destroyed under it. */
const ABORT_SETTLE_MS = 250;

/**
 * The request's result, or, once it is aborted (Stop or a timeout), its rejection within ABORT_SETTLE_MS: a request
 * that does not settle by then has its dispatcher destroyed, so neither the caller nor a reconnect loop waits on.
 */
function settledOrAborted<T>(pending: Promise<T>, signal: AbortSignal, dispatcher: Dispatcher): Promise<T> {
  pending.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      timer = setTimeout(() => {
        discardDispatcher(dispatcher);
        reject(signal.reason ?? new Error('aborted'));
      }, ABORT_SETTLE_MS);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (value) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Sends one HTTP request with the timeouts, proxy and abort signal of `settings`. */
export async function openRequest(settings: TransportSettings, outgoing: OutgoingRequest): Promise<OpenedResponse> {
  const { signal } = settings;
  if (signal?.aborted) {
    throw abortedError();
  }
  const proxyUrl = proxyFor(outgoing.url, settings.proxy);
  if (proxyUrl) {
    settings.debug(`via proxy ${describeProxy(proxyUrl)}`);
  }
  const controller = new AbortController();
  const onUserAbort = (): void => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onUserAbort, { once: true });
  const watchdog = new Watchdog(controller, settings.firstByteTimeoutMs, settings.idleTimeoutMs);
  const classify = classifier(settings, outgoing.url, watchdog, proxyUrl);
  const release = (): void => {
    watchdog.stop();
    signal?.removeEventListener('abort', onUserAbort);
  };
  const { headers, body } = requestHeaders(settings, outgoing);
  const started = performance.now();
  watchdog.start();
  const dispatcher = dispatcherFor({
    proxyUrl,
    connectTimeoutMs: settings.connectTimeoutMs,
    ...(settings.proxy?.strictSSL !== undefined ? { strictSSL: settings.proxy.strictSSL } : {}),
    ...(settings.proxy?.authorization ? { proxyAuthorization: settings.proxy.authorization } : {}),
  });
  let response: Awaited<ReturnType<typeof request>>;
  try {
    const pending = request(outgoing.url, {
      method: outgoing.method,
      headers,
      ...(body !== undefined ? { body } : {}),
      dispatcher,
      signal: controller.signal,
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    response = await settledOrAborted(pending, controller.signal, dispatcher);
  } catch (cause) {
    const error = classify(cause);
    release();
    throw error;
  }
  return openedResponse(response, performance.now() - started, started, { watchdog, classify, release });
}

interface BodyControls {
  watchdog: Watchdog;
  classify(cause: unknown): ApiError;
  release(): void;
}

function openedResponse(
  response: Awaited<ReturnType<typeof request>>,
  headersMs: number,
  started: number,
  { watchdog, classify, release }: BodyControls,
): OpenedResponse {
  const responseHeaders = headerRecord(response.headers);
  const raw = response.body;
  let ended = false;
  async function* chunks(options: { progressByCaller?: boolean } = {}): AsyncGenerator<Buffer> {
    const onChunk = options.progressByCaller ? (): void => undefined : (): void => watchdog.progress();
    try {
      yield* decodedBody(raw, responseHeaders['content-encoding'], onChunk);
      ended = true;
    } catch (cause) {
      throw classify(cause);
    } finally {
      watchdog.stop();
    }
  }
  const opened: OpenedResponse = {
    status: response.statusCode,
    headers: responseHeaders,
    contentType: responseHeaders['content-type'] ?? '',
    headersMs,
    elapsedMs: () => performance.now() - started,
    chunks,
    progress: () => watchdog.progress(),
    async readText(limit = 256 * 1024): Promise<string> {
      const parts: Buffer[] = [];
      let size = 0;
      for await (const chunk of chunks()) {
        parts.push(chunk);
        size += chunk.length;
        if (size >= limit) break;
      }
      return Buffer.concat(parts).toString('utf8');
    },
    close(answered = false): void {
      release();
      if (ended || raw.destroyed) return;
      raw.on('error', () => undefined);
      if (answered) {
        // undici 6 honours `signal` in dump(); its type declaration does not list it.
        const drain = raw.dump as (options: { limit: number; signal: AbortSignal }) => Promise<unknown>;
        drain.call(raw, { limit: DRAIN_LIMIT_BYTES, signal: AbortSignal.timeout(DRAIN_MS) }).catch(() => undefined);
      } else {
        raw.destroy();
      }
    },
  };
  const requestId = requestIdFrom(responseHeaders);
  if (requestId !== undefined) opened.requestId = requestId;
  return opened;
}
