import * as assert from 'node:assert/strict';
import { createResponse, listModels } from '../../../src/api';
import type { RetryInfo } from '../../../src/api';
import { backoffDelay, parseRetryAfter } from '../../../src/api/retry';
import { newApiError } from '../../support/fakeAnswers';
import { sendJson, streamRaw } from '../../support/fakeAnyApi';
import type { FakeHandler } from '../../support/fakeAnyApi';
import { ask, options, rejection, sentence, useFakeAnyApi } from './apiTestKit';

const status =
  (code: number, headers: Record<string, string> = {}): FakeHandler =>
  ({ res, record }) => {
    res.writeHead(code, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(newApiError(`status ${code}`, record.requestId)));
  };

const echo = '**Echo:** Again\n\nThis is the fake AnyAPI answer (model `gpt-5.1`).';

describe('api: retries', () => {
  const server = useFakeAnyApi();

  for (const code of [408, 409, 429, 500, 502, 503]) {
    it(`retries ${code} and then succeeds`, async () => {
      server.fake.enqueue(status(code));
      const retries: RetryInfo[] = [];
      const result = await createResponse(ask('Again'), options(server.fake, { maxRetries: 2, retryBaseDelayMs: 1, onRetry: (r) => retries.push(r) }));
      assert.equal(result.text, echo);
      assert.equal(server.fake.requests.length, 2);
      assert.deepEqual(retries.map((r) => [r.attempt, r.status]), [[1, code]]);
    });
  }

  // 504 and 524: the origin may still be working on a billed request, so the user decides (Retry), not the client.
  for (const code of [400, 401, 403, 404, 504, 524]) {
    it(`never retries ${code}`, async () => {
      server.fake.enqueue(status(code), status(code));
      const error = await rejection(
        createResponse(ask('Again'), options(server.fake, { maxRetries: 3, retryBaseDelayMs: 1, endpoint: 'responses' })),
      );
      assert.equal(error.status, code);
      assert.equal(error.retryable, false);
      assert.equal(server.fake.requests.length, 1);
    });
  }

  it('gives up after maxRetries with the last error', async () => {
    server.fake.enqueue(status(500), status(502), status(503), status(500));
    const retries: number[] = [];
    const error = await rejection(
      createResponse(ask('Again'), options(server.fake, { maxRetries: 2, retryBaseDelayMs: 1, onRetry: (r) => retries.push(r.delayMs) })),
    );
    assert.equal(error.status, 503);
    assert.equal(sentence(error), 'AnyAPI had a server error (HTTP 503; server said: status 503). Try again later.');
    assert.equal(server.fake.requests.length, 3);
    assert.equal(retries.length, 2);
  });

  it('defaults to 2 retries', async () => {
    server.fake.enqueue(status(500), status(500), status(500), status(500));
    const opts = options(server.fake, { retryBaseDelayMs: 1 });
    delete opts.maxRetries;
    await rejection(createResponse(ask('Again'), opts));
    assert.equal(server.fake.requests.length, 3);
  });

  it('honours retry-after-ms', async () => {
    server.fake.enqueue(status(429, { 'retry-after-ms': '40', 'retry-after': '30' }));
    const delays: number[] = [];
    const result = await createResponse(ask('Again'), options(server.fake, { maxRetries: 1, onRetry: (r) => delays.push(r.delayMs) }));
    assert.equal(result.text, echo);
    assert.deepEqual(delays, [40]);
  });

  it('honours retry-after in seconds', async () => {
    server.fake.enqueue(status(503, { 'retry-after': '1' }));
    const delays: number[] = [];
    const result = await createResponse(ask('Again'), options(server.fake, { maxRetries: 1, onRetry: (r) => delays.push(r.delayMs) }));
    assert.equal(result.text, echo);
    assert.deepEqual(delays, [1000]);
  });

  it('does not wait for a retry-after longer than a minute: fails at once', async () => {
    server.fake.enqueue(status(429, { 'retry-after': '120' }));
    const error = await rejection(createResponse(ask('Again'), options(server.fake, { maxRetries: 2 })));
    assert.equal(error.kind, 'rateLimit');
    assert.equal(error.retryAfterMs, 120_000);
    assert.equal(server.fake.requests.length, 1);
    assert.match(sentence(error), /^AnyAPI is limiting the request rate \(.*\) and asks to wait 2 min\. Try again after that, or pick another model/);
  });

  it('parses retry-after as seconds, HTTP date, and retry-after-ms first', () => {
    const now = Date.parse('2025-11-30T04:00:00Z');
    assert.equal(parseRetryAfter({ 'retry-after': '2' }, now), 2000);
    assert.equal(parseRetryAfter({ 'retry-after': '0.5' }, now), 500);
    assert.equal(parseRetryAfter({ 'retry-after': 'Sun, 30 Nov 2025 04:00:07 GMT' }, now), 7000);
    assert.equal(parseRetryAfter({ 'retry-after': 'Sun, 30 Nov 2025 03:59:00 GMT' }, now), 0);
    assert.equal(parseRetryAfter({ 'retry-after-ms': '250', 'retry-after': '9' }, now), 250);
    assert.equal(parseRetryAfter({ 'retry-after': 'soon' }, now), undefined);
    assert.equal(parseRetryAfter({}, now), undefined);
  });

  it('backs off exponentially with up to 25 % jitter, capped at 8 s', () => {
    assert.equal(backoffDelay(1, 500, () => 0), 500);
    assert.equal(backoffDelay(2, 500, () => 0), 1000);
    assert.equal(backoffDelay(3, 500, () => 0), 2000);
    assert.equal(backoffDelay(3, 500, () => 1), 1500);
    assert.equal(backoffDelay(20, 500, () => 0), 8000);
  });

  it('retries a dropped connection (network error) before any text', async () => {
    server.fake.enqueue(({ req }) => {
      req.socket.destroy();
    });
    const result = await createResponse(ask('Again', { stream: true }), options(server.fake, { maxRetries: 1, retryBaseDelayMs: 1 }));
    assert.equal(result.text, echo);
    assert.equal(server.fake.requests.length, 2);
  });

  it('does not retry once a delta reached the caller', async () => {
    server.fake.enqueue(
      (x) =>
        streamRaw(x, [
          'data: {"type":"response.output_text.delta","delta":"Shown"}\n\n',
          'data: {"type":"error","code":"server_error","message":"boom"}\n\n',
        ]),
    );
    const deltas: string[] = [];
    const error = await rejection(
      createResponse(ask('Again', { stream: true }), options(server.fake, { maxRetries: 3, retryBaseDelayMs: 1, onDelta: (d) => deltas.push(d) })),
    );
    assert.equal(error.retryable, true, 'the user may retry');
    assert.equal(error.partialText, 'Shown');
    assert.deepEqual(deltas, ['Shown']);
    assert.equal(server.fake.requests.length, 1);
  });

  it('retries an error event that came before any text', async () => {
    server.fake.enqueue((x) => streamRaw(x, ['data: {"type":"error","error":{"code":"server_error","message":"busy"}}\n\n']));
    const result = await createResponse(ask('Again', { stream: true }), options(server.fake, { maxRetries: 1, retryBaseDelayMs: 1 }));
    assert.equal(result.text, echo);
  });

  it('retries GET /v1/models too', async () => {
    server.fake.enqueue(status(502));
    const models = await listModels(options(server.fake, { maxRetries: 1, retryBaseDelayMs: 1 }));
    assert.equal(models.length, 5);
    assert.equal(server.fake.requests.length, 2);
  });

  it('an abort during the backoff wait ends at once', async () => {
    server.fake.enqueue(({ res }) => sendJson(res, 503, { error: { message: 'busy' } }));
    const controller = new AbortController();
    const error = await rejection(
      createResponse(
        ask('Again'),
        options(server.fake, { maxRetries: 2, retryBaseDelayMs: 60_000, signal: controller.signal, onRetry: () => controller.abort() }),
      ),
    );
    assert.equal(error.kind, 'aborted');
    assert.equal(server.fake.requests.length, 1);
  });
});
