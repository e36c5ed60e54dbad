import { Readable, pipeline } from 'node:stream';
import * as zlib from 'node:zlib';
import { request } from 'undici';
import { ApiError, errorFromNetwork, formatDuration, networkCode } from './errors';
import { describeProxy, dispatcherFor, proxyFor } from './proxy';
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

type TimerKind = 'firstByte' | 'idle' | 'grace';

/** Time after a terminal event to let the server end the body cleanly before the connection is dropped. */
const graceAfterTerminalMs = 2000;

/**
 * One timer at a time: until the first body byte (`firstByte`), then between chunks (`idle`), then a short
 * `grace` once the answer is complete. When it fires it aborts the request, which closes the socket.
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

  chunk(): void {
    if (this.fired === undefined && this.current !== 'grace') {
      this.arm('idle', this.idleMs);
    }
  }

  grace(): void {
    this.arm('grace', Math.min(this.idleMs, graceAfterTerminalMs));
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private current: TimerKind | undefined;

  private arm(kind: TimerKind, ms: number): void {
    this.stop();
    this.current = kind;
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
  /** The decompressed body chunk by chunk; failures arrive as ApiError. */
  chunks(): AsyncGenerator<Buffer>;
  /** The whole (decompressed) body as text, up to `limit` bytes. */
  readText(limit?: number): Promise<string>;
  /** The answer is complete: give the server a moment to end the body, then drop the connection. */
  terminalReached(): void;
  /** Releases timers and listeners; drops the connection if the body was not read to the end. */
  close(): void;
}

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
  const started = performance.now();

  const classify = (cause: unknown): ApiError => {
    if (signal?.aborted) return abortedError();
    if (cause instanceof ApiError) return cause;
    if (watchdog.fired === 'firstByte') {
      return new ApiError({
        kind: 'timeout',
        reason: 'firstByteTimeout',
        timeout: 'firstByte',
        retryable: false,
        facts: { host: hostOf(outgoing.url), timeoutMs: settings.firstByteTimeoutMs },
        message: `No first byte from ${hostOf(outgoing.url)} within ${formatDuration(settings.firstByteTimeoutMs)} (first-byte timeout).`,
      });
    }
    if (watchdog.fired === 'idle') {
      return new ApiError({
        kind: 'timeout',
        reason: 'idleTimeout',
        timeout: 'idle',
        retryable: true,
        facts: { host: hostOf(outgoing.url), timeoutMs: settings.idleTimeoutMs },
        message: `Nothing from ${hostOf(outgoing.url)} for ${formatDuration(settings.idleTimeoutMs)} (idle timeout).`,
      });
    }
    if (networkCode(cause) === 'UND_ERR_CONNECT_TIMEOUT') {
      const host = hostOf(outgoing.url);
      return new ApiError({
        kind: 'timeout',
        reason: 'connectTimeout',
        timeout: 'connect',
        retryable: true,
        code: 'UND_ERR_CONNECT_TIMEOUT',
        facts: { host, timeoutMs: settings.connectTimeoutMs },
        message: `Could not connect to ${host} within ${formatDuration(settings.connectTimeoutMs)} (connect timeout).`,
      });
    }
    return errorFromNetwork(cause, outgoing.url, proxyUrl);
  };

  const release = (): void => {
    watchdog.stop();
    signal?.removeEventListener('abort', onUserAbort);
  };

  const headers: Record<string, string> = {
    authorization: `Bearer ${settings.apiKey}`,
    accept: outgoing.accept,
    'user-agent': settings.userAgent,
  };
  if (!outgoing.accept.includes('event-stream')) {
    headers['accept-encoding'] = 'gzip, deflate, br';
  }
  let body: string | undefined;
  if (outgoing.body !== undefined) {
    body = JSON.stringify(outgoing.body);
    headers['content-type'] = 'application/json';
  }

  watchdog.start();
  let response: Awaited<ReturnType<typeof request>>;
  try {
    response = await request(outgoing.url, {
      method: outgoing.method,
      headers,
      ...(body !== undefined ? { body } : {}),
      dispatcher: dispatcherFor(proxyUrl, settings.connectTimeoutMs, settings.proxy?.strictSSL ?? true),
      signal: controller.signal,
      headersTimeout: 0,
      bodyTimeout: 0,
    });
  } catch (cause) {
    const error = classify(cause);
    release();
    throw error;
  }
  const headersMs = performance.now() - started;
  const responseHeaders = headerRecord(response.headers);
  const raw = response.body;
  let ended = false;

  async function* rawChunks(): AsyncGenerator<Buffer> {
    for await (const chunk of raw) {
      watchdog.chunk();
      yield chunk as Buffer;
    }
  }

  async function* chunks(): AsyncGenerator<Buffer> {
    let rawBytes = 0;
    const counted = async function* (): AsyncGenerator<Buffer> {
      for await (const chunk of rawChunks()) {
        rawBytes += chunk.length;
        yield chunk;
      }
    };
    try {
      const decompressor = decompressorFor(responseHeaders['content-encoding']);
      if (decompressor === undefined) {
        yield* counted();
      } else {
        const source = Readable.from(counted());
        pipeline(source, decompressor, () => undefined);
        try {
          for await (const chunk of decompressor) {
            yield chunk as Buffer;
          }
        } catch (cause) {
          // An empty body declared as compressed is just empty.
          if (!(rawBytes === 0 && networkCode(cause) === 'Z_BUF_ERROR')) throw cause;
        }
      }
      ended = true;
    } catch (cause) {
      if (watchdog.fired === 'grace' && !signal?.aborted) {
        return;
      }
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
    terminalReached: () => watchdog.grace(),
    close(): void {
      release();
      if (!ended && !raw.destroyed) {
        raw.on('error', () => undefined);
        raw.destroy();
      }
    },
  };
  const requestId = requestIdFrom(responseHeaders);
  if (requestId !== undefined) opened.requestId = requestId;
  return opened;
}
