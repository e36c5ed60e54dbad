/**
 * Load: 1,000 requests in a row and 20 streams at once through the public client, against the fake AnyAPI.
 * Every answer must be complete and exact; open sockets and the heap must come back to their start level.
 * No timing assertions (speed is the benchmarks' job): the figures are printed and written to test-results/load.json.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { closeConnections, createResponse } from '../../../src/api';
import type { ResponseRequest, ResponseResult } from '../../../src/api';
import { chatCompletionChunks, longAnswer, newResponseParts, responsesStream, splitDeltas } from '../../support/fakeAnswers';
import { questionOf, streamEvents } from '../../support/fakeAnyApi';
import type { FakeAnyApi, FakeHandler } from '../../support/fakeAnyApi';
import { activeTcpSockets, settle, startSocketCounter } from '../../support/socketCounter';
import type { SocketCounter } from '../../support/socketCounter';
import { ask, options, useFakeAnyApi } from './apiTestKit';

const IN_A_ROW = 1_000;
const AT_ONCE = 20;
/** Bytes of one answer in a row: retaining one per request keeps about 16 MB (V8 holds this text as two-byte, CJK included). */
const ROW_ANSWER_BYTES = 8_192;
/** Bytes of one of the streams at once: about 340 deltas of 96 characters. */
const STREAM_ANSWER_BYTES = 32_768;
/** Heap growth allowed over a phase, after a full GC at both ends: a quarter of one retained answer per request. */
const HEAP_GROWTH_LIMIT = 4 * 1024 * 1024;
/** Keep-alive: 1,000 requests in a row may open at most this many connections (one per 20 requests). */
const CONNECTIONS_LIMIT = 50;
/** How long closed sockets may take to go: well under undici's 4 s keep-alive timeout, so a pool left open is caught. */
const SOCKETS_SETTLE_MS = 1_000;
/** How long the fake waits for all 20 streams to arrive before it answers anyway (and the test fails on the count). */
const BARRIER_MS = 10_000;

const resultsFile = path.resolve(__dirname, '../../../../test-results/load.json');
const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

interface Baseline {
  clientSockets: number;
  serverSockets: number;
  tcpSockets: number;
  heapBytes: number;
}

interface PhaseFigures {
  requests: number;
  elapsedMs: number;
  requestsPerSecond: number;
  connectionsOpened: number;
  peakClientSockets: number;
  tcpSocketsStart: number;
  tcpSocketsEnd: number;
  heapStartMB: number;
  heapEndMB: number;
  heapGrowthMB: number;
  [more: string]: number;
}

function heapAfterGc(): number {
  assert.ok(global.gc, 'the heap check needs --expose-gc (the "node-option" of .mocharc.json)');
  global.gc();
  global.gc();
  return process.memoryUsage().heapUsed;
}

/** Which request of the row: streamed or not, Responses or Chat Completions shape, and a size of its own. */
function rowRequest(index: number): { request: ResponseRequest; bytes: number; chatShape: boolean } {
  const stream = index % 2 === 0;
  const chatShape = index % 4 >= 2;
  const bytes = ROW_ANSWER_BYTES + (index % 16);
  const content = `Request ${index} [[fake:long:${bytes}]]${chatShape ? ' [[fake:chat-shape]]' : ''}`;
  return { request: ask(content, { stream }), bytes, chatShape };
}

function assertAnswer(result: ResponseResult, expected: string, chatShape: boolean, label: string): void {
  assert.equal(result.status, 'completed', `${label}: status`);
  assert.ok(result.text === expected, `${label}: text differs (${result.text.length} characters, ${expected.length} expected)`);
  assert.match(result.id ?? '', chatShape ? /^chatcmpl-/ : /^resp_/, `${label}: answer shape`);
}

/**
 * The fake's side of one of the streams at once: it waits until all have arrived, then streams `text` 4 deltas to a
 * write with a timer tick between writes, so the streams really run side by side.
 */
function sideBySide(fake: FakeAnyApi, text: string, inFlight: { now: number; peak: number }): FakeHandler {
  return async (x) => {
    inFlight.now++;
    inFlight.peak = Math.max(inFlight.peak, inFlight.now);
    void x.record.ended.then(() => inFlight.now--);
    await Promise.race([fake.waitForRequests(AT_ONCE), x.sleep(BARRIER_MS)]);
    const { question, model } = questionOf(x.body);
    const deltas = splitDeltas(text, 96);
    const plan = responsesStream(newResponseParts(model), { deltas });
    const events = question.includes('[[fake:chat-shape]]') ? chatCompletionChunks(model, deltas) : [...plan.opening, ...plan.deltas, ...plan.closing];
    await streamEvents(x, events, { delayMs: 1, eventsPerWrite: 4 });
  };
}

describe('api: load', function () {
  this.timeout(120_000);
  const server = useFakeAnyApi();
  const figures: Record<string, PhaseFigures> = {};
  const expectedRow = new Map<number, string>();
  let sockets: SocketCounter;

  before(() => {
    sockets = startSocketCounter(server.fake.port);
    for (let index = 0; index < 16; index++) expectedRow.set(rowRequest(index).bytes, longAnswer(rowRequest(index).bytes));
  });
  after(() => {
    sockets.stop();
    fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
    const machine = { node: process.version, platform: process.platform, cpus: os.cpus().length };
    fs.writeFileSync(resultsFile, `${JSON.stringify({ machine, ...figures }, null, 2)}\n`);
  });

  /** Closes the pool, waits for both ends of every connection to go, and measures the heap after a full GC. */
  async function baseline(): Promise<Baseline> {
    await closeConnections();
    await settle(() => sockets.client.open === 0 && sockets.server.open === 0, SOCKETS_SETTLE_MS);
    server.fake.reset();
    sockets.resetPeaks();
    return { clientSockets: sockets.client.open, serverSockets: sockets.server.open, tcpSockets: activeTcpSockets(), heapBytes: heapAfterGc() };
  }

  /** After the phase and the client's close: sockets back to the start level, heap growth under the limit. */
  async function assertBackToStart(start: Baseline, label: string): Promise<Pick<PhaseFigures, 'tcpSocketsEnd' | 'heapStartMB' | 'heapEndMB' | 'heapGrowthMB'>> {
    await closeConnections();
    const back = (): boolean =>
      sockets.client.open <= start.clientSockets && sockets.server.open <= start.serverSockets && activeTcpSockets() <= start.tcpSockets;
    await settle(back, SOCKETS_SETTLE_MS);
    assert.equal(sockets.client.open, start.clientSockets, `${label}: ${sockets.client.open} client sockets open after closeConnections(), ${start.clientSockets} at the start`);
    assert.equal(sockets.server.open, start.serverSockets, `${label}: ${sockets.server.open} connections open at the server, ${start.serverSockets} at the start`);
    assert.ok(activeTcpSockets() <= start.tcpSockets, `${label}: ${activeTcpSockets()} TCP sockets in the process, ${start.tcpSockets} at the start`);
    server.fake.reset();
    const heapEnd = heapAfterGc();
    const growth = heapEnd - start.heapBytes;
    assert.ok(growth < HEAP_GROWTH_LIMIT, `${label}: heap grew ${mb(growth)} MB (limit ${mb(HEAP_GROWTH_LIMIT)} MB)`);
    return { tcpSocketsEnd: activeTcpSockets(), heapStartMB: mb(start.heapBytes), heapEndMB: mb(heapEnd), heapGrowthMB: mb(growth) };
  }

  function report(name: string, phase: PhaseFigures, note = ''): void {
    figures[name] = phase;
    console.log(
      `      load ${name}: ${phase.requests} requests in ${(phase.elapsedMs / 1000).toFixed(1)} s (${phase.requestsPerSecond}/s), ` +
        `${phase.connectionsOpened} connections, peak ${phase.peakClientSockets} client sockets, ${note}` +
        `heap ${phase.heapStartMB} -> ${phase.heapEndMB} MB`,
    );
  }

  it(`${IN_A_ROW} requests in a row (streamed and not, both answer shapes): every text exact, connections reused, sockets and heap back to the start`, async () => {
    for (let index = 0; index < 40; index++) {
      const { request, bytes, chatShape } = rowRequest(index);
      assertAnswer(await createResponse(request, options(server.fake)), expectedRow.get(bytes) ?? '', chatShape, `warm-up ${index}`);
    }
    const start = await baseline();
    const started = performance.now();
    for (let index = 0; index < IN_A_ROW; index++) {
      const { request, bytes, chatShape } = rowRequest(index);
      const result = await createResponse(request, options(server.fake));
      assertAnswer(result, expectedRow.get(bytes) ?? '', chatShape, `request ${index}`);
    }
    const elapsedMs = performance.now() - started;
    assert.equal(server.fake.requests.length, IN_A_ROW, 'requests the server saw');
    const connectionsOpened = sockets.server.opened;
    const peakClientSockets = sockets.client.peak;
    assert.ok(
      connectionsOpened <= CONNECTIONS_LIMIT,
      `${IN_A_ROW} requests in a row opened ${connectionsOpened} connections (keep-alive limit ${CONNECTIONS_LIMIT})`,
    );
    const end = await assertBackToStart(start, 'in a row');
    report('inARow', {
      requests: IN_A_ROW,
      elapsedMs: Math.round(elapsedMs),
      requestsPerSecond: Math.round(IN_A_ROW / (elapsedMs / 1000)),
      connectionsOpened,
      peakClientSockets,
      tcpSocketsStart: start.tcpSockets,
      ...end,
    });
  });

  it('100 streams in a row whose response ends a moment after the terminal event keep one connection', async () => {
    const start = await baseline();
    for (let index = 0; index < 100; index++) {
      // The fake's usual paced stream: the end of the response follows the last event after a short delay.
      const result = await createResponse(ask(`Paced ${index}`, { stream: true }), options(server.fake, { maxRetries: 0 }));
      assert.match(result.text, new RegExp(`Echo:\\*\\* Paced ${index}\\n`));
    }
    const connectionsOpened = sockets.server.opened;
    assert.ok(connectionsOpened <= 3, `100 paced streams in a row opened ${connectionsOpened} connections`);
    await assertBackToStart(start, 'paced streams');
  });

  it('a request waiting for its headers when the connections close is not retried on a new pool', async () => {
    const start = await baseline();
    server.fake.enqueue(async (x) => {
      await x.sleep(2_000);
      if (!x.closed) await x.playDefault();
    });
    const pending = createResponse(ask('Closing under me'), options(server.fake, { maxRetries: 2, retryBaseDelayMs: 10 }));
    await server.fake.waitForRequests(1);
    await closeConnections();
    await pending.then(
      () => assert.fail('the request succeeded after its connections were closed'),
      (error: unknown) => assert.equal((error as { kind?: string }).kind, 'network'),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(server.fake.requests.length, 1, 'the request was sent again on a new pool');
    assert.equal(sockets.client.open, start.clientSockets, 'a new pool was left open');
  });

  it(`${AT_ONCE} streams at once: the server has all ${AT_ONCE} in flight, every text exact, sockets and heap back to the start`, async () => {
    const expected = longAnswer(STREAM_ANSWER_BYTES);
    const start = await baseline();
    const inFlight = { now: 0, peak: 0 };
    server.fake.enqueue(...Array.from({ length: AT_ONCE }, () => sideBySide(server.fake, expected, inFlight)));
    let streaming = 0;
    let streamingWhenFirstDone: number | undefined;
    let deltas = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: AT_ONCE }, async (_, index) => {
        const chatShape = index % 2 === 1;
        const content = `Stream ${index} [[fake:long:${STREAM_ANSWER_BYTES}]]${chatShape ? ' [[fake:chat-shape]]' : ''}`;
        let first = true;
        const onDelta = (): void => {
          deltas++;
          if (first) streaming++;
          first = false;
        };
        const result = await createResponse(ask(content, { stream: true }), options(server.fake, { onDelta }));
        streamingWhenFirstDone ??= streaming;
        assertAnswer(result, expected, chatShape, `stream ${index}`);
      }),
    );
    const elapsedMs = performance.now() - started;
    assert.equal(server.fake.requests.length, AT_ONCE, 'requests the server saw');
    assert.equal(inFlight.peak, AT_ONCE, 'streams in flight at the server at one time');
    assert.equal(streamingWhenFirstDone, AT_ONCE, 'streams that had text when the first one ended');
    const peakClientSockets = sockets.client.peak;
    assert.ok(peakClientSockets >= AT_ONCE, `peak client sockets ${peakClientSockets}, ${AT_ONCE} streams at once`);
    const connectionsOpened = sockets.server.opened;
    const end = await assertBackToStart(start, 'at once');
    report('atOnce', {
      requests: AT_ONCE,
      elapsedMs: Math.round(elapsedMs),
      requestsPerSecond: Math.round(AT_ONCE / (elapsedMs / 1000)),
      connectionsOpened,
      peakClientSockets,
      peakInFlight: inFlight.peak,
      deltasPerStream: Math.round(deltas / AT_ONCE),
      tcpSocketsStart: start.tcpSockets,
      ...end,
    }, `${inFlight.peak} in flight at the server, `);
  });
});
