// The client decoding a 20 MB Responses stream of about 107,000 small deltas over loopback, side by side with what a
// user could pick instead (the official `openai` SDK) and with the floor: an undici request whose body is split into
// events at blank lines, each `data:` line `JSON.parse`d and its delta added up. The same for a Chat Completions
// stream of the same text. Medians of 5, the contenders taking turns, so the ratios hold on a noisy machine; every
// contender must decode exactly the same text, so no figure can be met by doing less.
//   node out/bench/decode.bench.js
import * as http from 'http';
import type { AddressInfo } from 'net';
import OpenAI from 'openai';
import { request } from 'undici';
import { createResponse } from '../src/api/index';
import { chatCompletionChunks, longAnswer, newResponseParts, responsesStream, splitDeltas } from '../test/support/fakeAnswers';
import { median, report } from './report';
import { writeResults } from './results';

const DELTA_COUNT = 107_402;
const DELTA_CHARS = 8;
const RUNS = 5;
const MODEL = 'gpt-5.1';
const KEY = 'sk-test-bench-decode';

interface Bodies {
  readonly responses: Buffer;
  readonly chat: Buffer;
  readonly text: string;
}

function makeBodies(): Bodies {
  const deltas = splitDeltas(longAnswer(DELTA_COUNT * DELTA_CHARS + 1000), DELTA_CHARS).slice(0, DELTA_COUNT);
  const text = deltas.join('');
  const usage = { input: 12, output: DELTA_COUNT, reasoning: 0 };
  const plan = responsesStream(newResponseParts(MODEL), { deltas, usage });
  const responses = Buffer.from([...plan.opening, ...plan.deltas, ...plan.closing].join(''), 'utf8');
  const chat = Buffer.from(chatCompletionChunks(MODEL, deltas, { usage }).join(''), 'utf8');
  return { responses, chat, text };
}

/** Serves the prepared bodies: POST /v1/responses and /v1/chat/completions, as an SSE stream. */
async function serve(bodies: Bodies): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const body = req.url?.endsWith('/chat/completions') ? bodies.chat : bodies.responses;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

type Decode = (url: string) => Promise<string>;

const input = [{ role: 'user' as const, content: 'bench' }];

const client = (endpoint: 'responses' | 'chatCompletions'): Decode => async (url) => {
  const result = await createResponse({ model: MODEL, input, stream: true }, { baseUrl: url, apiKey: KEY, endpoint });
  return result.text;
};

const openAiSdk: Decode = async (url) => {
  const sdk = new OpenAI({ baseURL: `${url}/v1`, apiKey: KEY, maxRetries: 0 });
  const stream = await sdk.responses.create({ model: MODEL, input, stream: true });
  let text = '';
  for await (const event of stream) {
    if (event.type === 'response.output_text.delta') text += event.delta;
  }
  return text;
};

/** The floor: an undici request, events split at blank lines, each data line parsed, the deltas added up. */
const floor = (endpoint: 'responses' | 'chatCompletions'): Decode => async (url) => {
  const path = endpoint === 'responses' ? '/v1/responses' : '/v1/chat/completions';
  const response = await request(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: MODEL, input, stream: true }),
  });
  const decoder = new TextDecoder();
  let buffer = '';
  let text = '';
  const take = (event: string): void => {
    for (const line of event.split('\n')) {
      if (!line.startsWith('data: ')) continue;
      const data = line.slice(6);
      if (data === '[DONE]') continue;
      const json = JSON.parse(data) as { type?: string; delta?: string; choices?: { delta?: { content?: string } }[] };
      if (endpoint === 'responses') {
        if (json.type === 'response.output_text.delta' && json.delta) text += json.delta;
      } else {
        const content = json.choices?.[0]?.delta?.content;
        if (content) text += content;
      }
    }
  };
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    let end = buffer.indexOf('\n\n');
    let start = 0;
    while (end !== -1) {
      take(buffer.slice(start, end));
      start = end + 2;
      end = buffer.indexOf('\n\n', start);
    }
    buffer = buffer.slice(start);
  }
  if (buffer) take(buffer);
  return text;
};

/** Reading the bytes and nothing else: what the transport alone costs. */
const rawBytes: Decode = async (url) => {
  const response = await request(`${url}/v1/responses`, { method: 'POST', body: '{}' });
  let bytes = 0;
  for await (const chunk of response.body) bytes += (chunk as Uint8Array).length;
  return String(bytes);
};

async function main(): Promise<void> {
  const bodies = makeBodies();
  const server = await serve(bodies);
  const contenders: Record<string, { decode: Decode; expect: string }> = {
    client: { decode: client('responses'), expect: bodies.text },
    openai: { decode: openAiSdk, expect: bodies.text },
    floor: { decode: floor('responses'), expect: bodies.text },
    raw: { decode: rawBytes, expect: String(bodies.responses.length) },
    clientChat: { decode: client('chatCompletions'), expect: bodies.text },
    floorChat: { decode: floor('chatCompletions'), expect: bodies.text },
  };
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
  const wrong: string[] = [];
  try {
    // One warm-up round, then RUNS measured rounds, every contender once per round.
    for (let round = 0; round <= RUNS; round++) {
      for (const [name, { decode, expect }] of Object.entries(contenders)) {
        global.gc?.();
        const started = performance.now();
        const got = await decode(server.url);
        const elapsed = performance.now() - started;
        if (got !== expect && !wrong.includes(name)) wrong.push(name);
        if (round > 0) times[name].push(elapsed);
      }
    }
  } finally {
    await server.close();
  }
  const ms = Object.fromEntries(Object.entries(times).map(([name, values]) => [name, median(values)]));
  const vsOpenAI = ms.client / ms.openai;
  const vsFloor = ms.client / ms.floor;
  const chatVsFloor = ms.clientChat / ms.floorChat;
  const ok = report(`client: decode a ${(bodies.responses.length / 1e6).toFixed(1)} MB stream of ${DELTA_COUNT} deltas over loopback (medians of ${RUNS})`, [
    { name: 'every contender decodes exactly the same text', value: wrong.length === 0 ? 'yes' : `no: ${wrong.join(', ')}`, target: 'yes', pass: wrong.length === 0 },
    { name: 'client ms', value: Math.round(ms.client), target: 'reference', pass: true },
    { name: 'openai SDK ms (responses.create, stream: true)', value: Math.round(ms.openai), target: 'reference', pass: true },
    { name: 'floor ms (undici, split at blank lines, JSON.parse)', value: Math.round(ms.floor), target: 'reference', pass: true },
    { name: 'raw bytes ms', value: Math.round(ms.raw), target: 'reference', pass: true },
    { name: 'decode.vsOpenAI', value: +vsOpenAI.toFixed(3), target: '<= 0.1', pass: vsOpenAI <= 0.1 },
    { name: 'decode.vsFloor', value: +vsFloor.toFixed(3), target: '<= 1.0', pass: vsFloor <= 1.0 },
    { name: 'Chat Completions: client ms / floor ms', value: `${Math.round(ms.clientChat)} / ${Math.round(ms.floorChat)}`, target: 'reference', pass: true },
    { name: 'decode.chatCompletionsVsFloor', value: +chatVsFloor.toFixed(3), target: '<= 1.0', pass: chatVsFloor <= 1.0 },
  ]);
  writeResults({ 'decode.vsOpenAI': +vsOpenAI.toFixed(3), 'decode.vsFloor': +vsFloor.toFixed(3), 'decode.chatCompletionsVsFloor': +chatVsFloor.toFixed(3) });
  process.exitCode = ok ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
