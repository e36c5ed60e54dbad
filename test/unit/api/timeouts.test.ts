import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { createResponse } from '../../../src/api';
import { defaultTimeouts } from '../../../src/api/client';
import { sseEvent } from '../../support/fakeAnswers';
import { streamRaw } from '../../support/fakeAnyApi';
import { ask, options, rejection, sentence, testKey, useFakeAnyApi } from './apiTestKit';

describe('api: timeouts and cancellation', () => {
  const server = useFakeAnyApi();

  it('has generous defaults (connect 30 s, first byte 10 min, idle 2 min)', () => {
    assert.deepEqual(defaultTimeouts, { connectTimeoutMs: 30_000, firstByteTimeoutMs: 600_000, idleTimeoutMs: 120_000 });
  });

  it('first-byte timeout when the server never answers; closes the connection', async () => {
    server.fake.enqueue((x) => x.sleep(30_000));
    const error = await rejection(createResponse(ask('q'), options(server.fake, { firstByteTimeoutMs: 200, maxRetries: 2 })));
    assert.equal(error.kind, 'timeout');
    assert.equal(error.timeout, 'firstByte');
    assert.equal(
      sentence(error),
      'AnyAPI did not start answering within 200 ms (first-byte timeout). Slow reasoning models can think for minutes: raise anyapi.requestTimeoutSeconds, or try again.',
    );
    assert.equal(await server.fake.requests[0].ended, true);
    assert.equal(server.fake.requests.length, 1, 'a first-byte timeout is not retried');
  });

  it('first-byte timeout when headers came but no body byte (a thinking model)', async () => {
    server.fake.enqueue((x) => streamRaw(x, [], { end: 'hang' }));
    const error = await rejection(createResponse(ask('q', { stream: true }), options(server.fake, { firstByteTimeoutMs: 200 })));
    assert.equal(error.timeout, 'firstByte');
    assert.equal(await server.fake.requests[0].ended, true);
  });

  it('idle timeout between chunks keeps the partial text and closes the connection', async () => {
    server.fake.enqueue((x) => streamRaw(x, ['data: {"type":"response.output_text.delta","delta":"Before silence"}\n\n'], { end: 'hang' }));
    const error = await rejection(createResponse(ask('q', { stream: true }), options(server.fake, { idleTimeoutMs: 200, maxRetries: 2 })));
    assert.equal(error.kind, 'timeout');
    assert.equal(error.timeout, 'idle');
    assert.equal(error.partialText, 'Before silence');
    assert.equal(
      sentence(error),
      'The answer stopped arriving: nothing came for 200 ms (idle timeout). Try again, or raise anyapi.idleTimeoutSeconds.',
    );
    assert.equal(await server.fake.requests[0].ended, true);
    assert.equal(server.fake.requests.length, 1);
  });

  it('a steady slow stream is not an idle timeout', async () => {
    const pieces = Array.from({ length: 6 }, (_, i) => `data: {"type":"response.output_text.delta","delta":"${i}"}\n\n`);
    pieces.push('data: {"type":"response.completed","response":{"status":"completed"}}\n\n');
    server.fake.enqueue((x) => streamRaw(x, pieces, { delayMs: 60 }));
    const result = await createResponse(ask('q', { stream: true }), options(server.fake, { idleTimeoutMs: 1000, firstByteTimeoutMs: 1000 }));
    assert.equal(result.text, '012345');
  });

  it('connect timeout (a TLS server that never completes the handshake)', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const error = await rejection(
        createResponse(ask('q'), { baseUrl: `https://127.0.0.1:${port}`, apiKey: testKey, connectTimeoutMs: 200, maxRetries: 0 }),
      );
      assert.equal(error.kind, 'timeout');
      assert.equal(error.timeout, 'connect');
      assert.equal(
        sentence(error),
        `Could not connect to 127.0.0.1:${port} within 200 ms (connect timeout). Check anyapi.baseUrl, your network or proxy (http.proxy).`,
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('Stop: an abort mid-stream rejects as aborted at once, keeps the text and closes the socket ([[fake:slow]])', async () => {
    const controller = new AbortController();
    const deltas: string[] = [];
    const pending = createResponse(
      ask('Slow one [[fake:slow]]', { stream: true }),
      options(server.fake, {
        signal: controller.signal,
        onDelta: (d) => {
          deltas.push(d);
          if (deltas.length === 3) controller.abort();
        },
      }),
    );
    const error = await rejection(pending);
    assert.equal(error.kind, 'aborted');
    assert.equal(error.message, 'The request was stopped.');
    assert.equal(sentence(error), 'Stopped.');
    assert.equal(error.partialText, 'chunk 1 chunk 2 chunk 3 ');
    assert.equal(await server.fake.requests[0].ended, true, 'the server saw the client close the connection');
    assert.equal(server.fake.requests[0].closedEarly, true);
  });

  it('an abort while waiting for a non-streamed answer closes the socket', async () => {
    const controller = new AbortController();
    const pending = createResponse(ask('[[fake:slow]]'), options(server.fake, { signal: controller.signal }));
    await server.fake.waitForRequests(1);
    controller.abort();
    const error = await rejection(pending);
    assert.equal(error.kind, 'aborted');
    assert.equal(await server.fake.requests[0].ended, true);
  });

  it('an already aborted signal sends nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(createResponse(ask('q'), options(server.fake, { signal: controller.signal })));
    assert.equal(error.kind, 'aborted');
    assert.equal(server.fake.requests.length, 0);
  });

  it('the terminal event ends the request at once, though the relay keeps the connection open', async () => {
    server.fake.enqueue(({ res }) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sseEvent({ type: 'response.output_text.delta', item_id: 'm', output_index: 0, content_index: 0, delta: 'Done.' }));
      res.write(sseEvent({ type: 'response.completed', response: { id: 'resp_open', object: 'response', status: 'completed', model: 'gpt-5.1' } }));
      // …and never ends the body.
    });
    const started = Date.now();
    const result = await createResponse(ask('q', { stream: true }), options(server.fake, { idleTimeoutMs: 5_000 }));
    assert.equal(result.text, 'Done.');
    assert.ok(Date.now() - started < 1_000, `completion reported after ${Date.now() - started} ms`);
    assert.equal(await server.fake.requests[0].ended, true, 'the connection was left open');
  });

  it('a stream that goes quiet before any text is not sent again: it may still run upstream, and the wait would triple', async () => {
    server.fake.enqueue(({ res }) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sseEvent({ type: 'response.created', response: { id: 'resp_q', object: 'response', status: 'in_progress', output: [] } }));
    });
    const error = await rejection(createResponse(ask('q', { stream: true }), options(server.fake, { idleTimeoutMs: 300, maxRetries: 2 })));
    assert.equal(error.timeout, 'idle');
    assert.equal(error.retryable, false);
    assert.equal(server.fake.requests.length, 1, 'the quiet request was sent again');
  });

  it('keep-alive comments are not progress: a stream of pings only ends as a timeout', async () => {
    server.fake.enqueue(({ res }) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sseEvent({ type: 'response.output_text.delta', item_id: 'm', output_index: 0, content_index: 0, delta: 'Part' }));
      const ping = setInterval(() => res.write(': ping\n\n'), 50);
      res.on('close', () => clearInterval(ping));
    });
    const started = Date.now();
    const error = await rejection(createResponse(ask('q', { stream: true }), options(server.fake, { idleTimeoutMs: 300, maxRetries: 0 })));
    assert.equal(error.kind, 'timeout');
    assert.equal(error.timeout, 'idle');
    assert.equal(error.partialText, 'Part');
    assert.ok(Date.now() - started < 1_500, `pings kept the request open for ${Date.now() - started} ms`);
  });
});
