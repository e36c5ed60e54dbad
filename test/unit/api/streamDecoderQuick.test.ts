// The decoder reads the common events without JSON.parse, splitting the bytes itself. These tests hold it to what
// JSON.parse of every event gives, over generated streams cut into random chunks (through multi-byte characters),
// with \n and with \r\n lines.
import * as assert from 'node:assert/strict';
import { ResponseStreamDecoder } from '../../../src/api/streamDecoder';
import { seededRandom as random } from '../webview/markdownDocuments';

const PIECES = ['plain ', 'quote " ', 'back\\slash ', 'new\nline', 'tab\t', '中文', ' emoji 🎉', '\u2028', '</script>', 'é', '{"json":1}', ''];

interface Stream {
  readonly lf: string;
  /** What JSON.parse of every event gives. */
  readonly expected: string;
}

function responsesStream(next: () => number): Stream {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const events: string[] = [];
  const partsWithDeltas = new Set<string>();
  const texts = new Map<string, string>();
  let expected = '';
  let sequence = 0;
  const add = (json: string, eventLine = next() < 0.7): void => {
    const type = (JSON.parse(json) as { type: string }).type;
    events.push(`${eventLine ? `event: ${type}\n` : ''}data: ${json}\n\n`);
  };
  for (let i = 0; i < 60; i++) {
    const part = pick([['msg_1', 0], ['msg_1', 1], ['msg_中', 0], [7, 0]] as const);
    const key = `${part[0]}:${part[1]}`;
    const delta = pick(PIECES) + pick(PIECES);
    const roll = next();
    if (roll < 0.45) {
      // The order OpenAI sends.
      add(JSON.stringify({ type: 'response.output_text.delta', item_id: part[0], output_index: 1, content_index: part[1], delta, logprobs: [], obfuscation: 'x1', sequence_number: sequence++ }));
    } else if (roll < 0.6) {
      // Another order, fewer fields.
      add(JSON.stringify({ type: 'response.output_text.delta', sequence_number: sequence++, delta, content_index: part[1], item_id: part[0], flag: true, none: null }));
    } else if (roll < 0.68) {
      // Nested, spaced: JSON.parse reads it.
      add(JSON.stringify({ type: 'response.output_text.delta', item_id: part[0], content_index: part[1], delta, logprobs: [{ token: 'x', logprob: -0.5 }] }, null, next() < 0.5 ? 0 : 1).replace(/\n/g, ''));
    } else if (roll < 0.74) {
      add(JSON.stringify({ type: 'response.output_item.done', output_index: 1, item: { id: 'msg_1', type: 'message', content: [{ type: 'output_text', text: expected }] } }));
      continue;
    } else if (roll < 0.8) {
      add(JSON.stringify({ type: 'response.content_part.added', item_id: part[0], output_index: 1, content_index: part[1], part: { type: 'output_text', text: '' } }));
      continue;
    } else if (roll < 0.88) {
      // The final text of a part: shown only when its deltas did not come.
      const text = texts.get(key) ?? `[done ${key}]`;
      add(JSON.stringify({ type: 'response.output_text.done', item_id: part[0], output_index: 1, content_index: part[1], text }));
      if (!partsWithDeltas.has(key)) {
        partsWithDeltas.add(key);
        expected += text;
      }
      continue;
    } else if (roll < 0.92) {
      events.push(': keep-alive\n\n');
      continue;
    } else {
      add(JSON.stringify({ type: 'response.in_progress', response: { id: 'resp_1', status: 'in_progress' } }));
      continue;
    }
    if (delta.length > 0) {
      partsWithDeltas.add(key);
      texts.set(key, (texts.get(key) ?? '') + delta);
      expected += delta;
    }
  }
  add(JSON.stringify({ type: 'response.completed', response: { id: 'resp_1', status: 'completed', model: 'gpt-5.1', usage: { input_tokens: 1, output_tokens: 2, total_tokens: 3 } } }));
  return { lf: events.join(''), expected };
}

function chatStream(next: () => number): Stream {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const chunk = (extra: Record<string, unknown>): string =>
    `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-5.1', system_fingerprint: null, ...extra })}\n\n`;
  const events = [chunk({ choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] })];
  let expected = '';
  for (let i = 0; i < 40; i++) {
    const content = pick(PIECES) + pick(PIECES);
    const roll = next();
    if (roll < 0.7) events.push(chunk({ choices: [{ index: 0, delta: { content }, logprobs: null, finish_reason: null }] }));
    else if (roll < 0.85) events.push(chunk({ choices: [{ index: 0, delta: { content, refusal: null }, finish_reason: null }] }));
    else events.push(chunk({ choices: [{ index: 1, delta: { content }, finish_reason: null }] }));
    if (roll < 0.85) expected += content;
  }
  events.push(chunk({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }), chunk({ choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } }), 'data: [DONE]\n\n');
  return { lf: events.join(''), expected };
}

/** Decodes `bytes` fed in random chunks of 1 to `largest` bytes. */
function decode(bytes: Buffer, next: () => number, largest: number): ResponseStreamDecoder {
  const decoder = new ResponseStreamDecoder(() => undefined);
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + Math.floor(next() * largest);
    decoder.feed(bytes.subarray(at, at + size));
    at += size;
  }
  decoder.end();
  return decoder;
}

describe('api: the stream decoder reads what JSON.parse reads', () => {
  for (const [name, make] of [['Responses events', responsesStream], ['Chat Completions chunks', chatStream]] as const) {
    it(`${name}: 200 generated streams in random chunks, with \\n and \\r\\n lines`, () => {
      for (let seed = 1; seed <= 200; seed++) {
        const next = random(seed);
        const stream = make(next);
        for (const lines of [stream.lf, stream.lf.replace(/\n/g, '\r\n')]) {
          const decoder = decode(Buffer.from(lines, 'utf8'), next, seed % 3 === 0 ? 7 : 700);
          assert.equal(decoder.failure, undefined, `seed ${seed}`);
          assert.equal(decoder.terminal, true, `seed ${seed}`);
          assert.equal(decoder.text, stream.expected, `seed ${seed}${lines === stream.lf ? '' : ', \\r\\n'}`);
          assert.equal(decoder.model, 'gpt-5.1', `seed ${seed}`);
        }
      }
    });
  }

  it('a broken delta of the usual shape is still refused, whichever way the bytes were cut', () => {
    const broken = 'data: {"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":"bad \\x escape"}\n\n';
    const bytes = Buffer.from(`data: {"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":"Before "}\n\n${broken}`);
    for (let cut = 1; cut < bytes.length; cut += 13) {
      const decoder = new ResponseStreamDecoder(() => undefined);
      decoder.feed(bytes.subarray(0, cut));
      decoder.feed(bytes.subarray(cut));
      assert.equal(decoder.failure?.reason, 'malformedEvent', `cut at ${cut}`);
      assert.equal(decoder.text, 'Before ');
    }
  });

  it('an event of a megabyte arriving in 1 KB chunks is read whole', () => {
    const text = 'x'.repeat(1_000_000);
    const bytes = Buffer.from(`data: ${JSON.stringify({ type: 'response.output_text.done', item_id: 'msg_1', output_index: 0, content_index: 0, text })}\n\ndata: [DONE]\n\n`);
    const decoder = new ResponseStreamDecoder(() => undefined);
    let fed = 0;
    for (let at = 0; at < bytes.length; at += 1024) {
      decoder.feed(bytes.subarray(at, at + 1024));
      fed++;
    }
    decoder.end();
    assert.ok(fed > 900);
    assert.equal(decoder.text, text);
    assert.equal(decoder.terminal, true);
  });
});
