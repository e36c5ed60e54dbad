import * as assert from 'node:assert/strict';
import { createResponse } from '../../../src/api';
import { ResponseStreamDecoder } from '../../../src/api/streamDecoder';
import { chatCompletionChunks, newResponseParts, responsesStream, sseEvent } from '../../support/fakeAnswers';
import { streamEvents, streamRaw } from '../../support/fakeAnyApi';
import { ask, options, rejection, sentence, useFakeAnyApi } from './apiTestKit';

const delta = (text: string): string => sseEvent({ type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: text });
const completed = (extra: Record<string, unknown> = {}): string =>
  sseEvent({
    type: 'response.completed',
    response: { id: 'resp_x', object: 'response', status: 'completed', model: 'gpt-5.1', usage: { input_tokens: 1, output_tokens: 2, total_tokens: 3 }, ...extra },
  });

describe('api: streamed answers', () => {
  const server = useFakeAnyApi();

  it('streams the default answer through every Responses event type', async () => {
    const deltas: string[] = [];
    const result = await createResponse(ask('Stream me\nline two', { stream: true }), options(server.fake, { onDelta: (d) => deltas.push(d) }));
    const expected = '**Echo:** Stream me\n\nThis is the fake AnyAPI answer (model `gpt-5.1`).';
    assert.equal(result.text, expected);
    assert.ok(deltas.length > 5, `expected many deltas, got ${deltas.length}`);
    assert.equal(deltas.join(''), expected);
    assert.equal(result.status, 'completed');
    assert.match(result.id ?? '', /^resp_/);
    assert.deepEqual(result.usage, { inputTokens: 5, outputTokens: 82, totalTokens: 87, reasoningTokens: 64 });
    const [request] = server.fake.requests;
    assert.equal((request.body as { stream: boolean }).stream, true);
    assert.equal(request.headers.accept, 'text/event-stream');
  });

  it('does not show reasoning summaries as answer text', async () => {
    const result = await createResponse(ask('Think', { stream: true, model: 'o3-pro' }), options(server.fake));
    assert.equal(result.text, '**Echo:** Think\n\nThis is the fake AnyAPI answer (model `o3-pro`).');
    assert.ok(!result.text.includes('Reading the question'));
  });

  it('ends with response.incomplete and its reason', async () => {
    const result = await createResponse(ask('Long [[fake:incomplete]]', { stream: true }), options(server.fake));
    assert.equal(result.status, 'incomplete');
    assert.equal(result.incompleteReason, 'max_output_tokens');
    assert.equal(result.text, '**Echo:** Long\n\nThis is the fake AnyAPI answer (model `gpt-5.1`).');
  });

  it('rejects response.failed with the response.error message and keeps the text so far', async () => {
    server.fake.enqueue(async (x) => {
      const plan = responsesStream(newResponseParts('gpt-4.1'), {
        deltas: ['Half ', 'an answer'],
        terminal: 'failed',
        error: { code: 'server_error', message: 'The model produced invalid content.' },
      });
      await streamEvents(x, [...plan.opening, ...plan.deltas, ...plan.closing]);
    });
    const error = await rejection(createResponse(ask('q', { stream: true }), options(server.fake)));
    assert.equal(error.kind, 'failed');
    assert.equal(error.code, 'server_error');
    assert.equal(error.serverMessage, 'The model produced invalid content.');
    assert.equal(error.partialText, 'Half an answer');
    assert.equal(
      sentence(error),
      'The model could not finish the answer (server said: The model produced invalid content.). Try again, or pick another model with “AnyAPI: Select Model”.',
    );
  });

  it('rejects a flat error event, keeping the partial text ([[fake:stream-error]])', async () => {
    const deltas: string[] = [];
    const error = await rejection(
      createResponse(ask('x [[fake:stream-error]]', { stream: true }), options(server.fake, { maxRetries: 2, onDelta: (d) => deltas.push(d) })),
    );
    assert.equal(error.kind, 'server');
    assert.equal(error.code, 'server_error');
    assert.equal(error.serverMessage, '上游服务错误 upstream error');
    assert.equal(error.partialText, 'Partial answer before error');
    assert.equal(deltas.join(''), 'Partial answer before error');
    assert.equal(server.fake.requests.length, 1, 'no retry once text was shown');
  });

  it('fails at once on an event whose JSON is broken, keeping the text so far, instead of waiting for the idle timeout', async () => {
    server.fake.enqueue((x) =>
      streamRaw(x, [delta('Before '), delta('garbage '), 'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"bro\n\n'], { end: 'hang' }),
    );
    const error = await rejection(createResponse(ask('q', { stream: true }), options(server.fake, { maxRetries: 2, idleTimeoutMs: 60_000 })));
    assert.equal(error.reason, 'malformedEvent');
    assert.equal(error.partialText, 'Before garbage ');
    assert.equal(server.fake.requests.length, 1, 'no retry once text was shown');
    assert.equal(sentence(error), 'AnyAPI sent a part of the answer that could not be read (an event that is not valid JSON). The text so far is kept; try again.');
  });

  it('ignores a data line that is not JSON at all (a relay’s own keep-alive)', async () => {
    server.fake.enqueue((x) => streamRaw(x, [delta('Fine '), 'data: ping\n\n', delta('still'), completed()]));
    const result = await createResponse(ask('q', { stream: true }), options(server.fake));
    assert.equal(result.text, 'Fine still');
  });

  it('stops a streamed answer past maxAnswerChars with kind tooLarge, keeping what arrived', async () => {
    const deltas: string[] = [];
    const error = await rejection(
      createResponse(ask('q [[fake:long:20000]]', { stream: true }), options(server.fake, { maxAnswerChars: 5_000, maxRetries: 2, onDelta: (d) => deltas.push(d) })),
    );
    assert.equal(error.kind, 'tooLarge');
    assert.equal(error.reason, 'answerTooLong');
    assert.ok((error.partialText?.length ?? 0) > 5_000 && (error.partialText?.length ?? 0) < 5_000 + 4_096, `kept ${error.partialText?.length}`);
    assert.equal(deltas.join(''), error.partialText);
    assert.equal(server.fake.requests.length, 1);
  });

  it('a response.failed for a context that is too long is the too-long request, not a model failure', async () => {
    server.fake.enqueue((x) =>
      streamRaw(x, [
        sseEvent({ type: 'response.failed', response: { id: 'resp_f', object: 'response', status: 'failed', error: { code: 'context_length_exceeded', message: 'Your input exceeds the context window of this model.' } } }),
      ]),
    );
    const error = await rejection(createResponse(ask('q', { stream: true }), options(server.fake, { maxRetries: 2 })));
    assert.equal(error.reason, 'tooLarge');
    assert.equal(error.kind, 'badRequest');
    assert.equal(server.fake.requests.length, 1, 'sent again although it cannot fit');
  });

  it('an error event that says the context window is exceeded, without the code, is the too-long request', async () => {
    server.fake.enqueue((x) =>
      streamRaw(x, ['event: error\ndata: {"type":"error","code":"invalid_request","message":"This model\'s maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens."}\n\n']),
    );
    const error = await rejection(createResponse(ask('q', { stream: true }), options(server.fake, { maxRetries: 2 })));
    assert.equal(error.reason, 'tooLarge');
  });

  it('rejects a nested error event with its code and message', async () => {
    server.fake.enqueue((x) =>
      streamRaw(x, [
        delta('Some'),
        'event: error\ndata: {"type":"error","error":{"type":"invalid_request_error","code":"context_length_exceeded","message":"Your input exceeds the context window of this model.","param":"input"},"sequence_number":3}\n\n',
      ]),
    );
    const error = await rejection(createResponse(ask('q', { stream: true }), options(server.fake)));
    assert.equal(error.kind, 'badRequest');
    assert.equal(error.code, 'context_length_exceeded');
    assert.equal(error.partialText, 'Some');
    // The same sentence as a context-length error sent as HTTP 400: the reason decides, not the transport.
    assert.equal(error.reason, 'tooLarge');
    assert.equal(
      sentence(error),
      'The request is too long for the model (server said: Your input exceeds the context window of this model.). Select less code or start a new chat.',
    );
  });

  it('ignores comments, unknown events and fields, missing event lines; accepts a final [DONE]', async () => {
    server.fake.enqueue((x) =>
      streamRaw(x, [
        ': PING\n\n',
        'data: {"type":"response.created","response":{"id":"resp_1","model":"gpt-5.1","status":"in_progress"}}\n\n',
        'event: response.something_new\ndata: {"type":"response.something_new","whatever":[1,2,3]}\n\n',
        'data: {"type":"response.output_text.delta","delta":"Hello","future_field":{"x":1}}\n\n',
        ': keep-alive\n',
        '\n',
        'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":", world"}\n\n',
        'data: not json at all\n\n',
        'id: 7\nretry: 1000\nevent: response.output_text.done\ndata: {"type":"response.output_text.done","text":"Hello, world"}\n\n',
        completed(),
        'data: [DONE]\n\n',
      ]),
    );
    const result = await createResponse(ask('q', { stream: true }), options(server.fake));
    assert.equal(result.text, 'Hello, world');
    assert.equal(result.id, 'resp_x');
    assert.deepEqual(result.usage, { inputTokens: 1, outputTokens: 2, totalTokens: 3 });
  });

  it('uses the event: line as the type when data has no type', async () => {
    server.fake.enqueue((x) =>
      streamRaw(x, [
        'event: response.output_text.delta\ndata: {"delta":"typed by event line"}\n\n',
        'event: response.completed\ndata: {"response":{"status":"completed"}}\n\n',
      ]),
    );
    const result = await createResponse(ask('q', { stream: true }), options(server.fake));
    assert.equal(result.text, 'typed by event line');
  });

  it('handles CRLF line endings', async () => {
    server.fake.enqueue((x) =>
      streamRaw(x, [
        (delta('Windows ') + delta('lines') + completed()).replace(/\n/g, '\r\n'),
      ]),
    );
    const result = await createResponse(ask('q', { stream: true }), options(server.fake));
    assert.equal(result.text, 'Windows lines');
    assert.equal(result.status, 'completed');
  });

  it('decodes a stream split into single bytes, through multibyte UTF-8 characters', async () => {
    const text = '中文 → emoji 🎉 and ASCII';
    const bytes = Buffer.from(`${delta(text)}${completed()}`, 'utf8');
    const pieces: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 1) pieces.push(bytes.subarray(i, i + 1));
    server.fake.enqueue((x) => streamRaw(x, pieces, { delayMs: 0 }));
    const result = await createResponse(ask('q', { stream: true }), options(server.fake));
    assert.equal(result.text, text);
  });

  it('the decoder itself copes with every split point inside a 4-byte character', () => {
    const text = 'a🎉b中';
    const bytes = Buffer.from(`${delta(text)}${completed()}`, 'utf8');
    for (let cut = 1; cut < bytes.length; cut++) {
      const seen: string[] = [];
      const decoder = new ResponseStreamDecoder((t) => seen.push(t));
      decoder.feed(bytes.subarray(0, cut));
      decoder.feed(bytes.subarray(cut));
      decoder.end();
      assert.equal(seen.join(''), text, `split at byte ${cut}`);
      assert.equal(decoder.terminal, true);
    }
  });

  it('reads Chat Completions chunks on /v1/responses ([[fake:chat-shape]])', async () => {
    const deltas: string[] = [];
    const result = await createResponse(ask('Chunks [[fake:chat-shape]]', { stream: true }), options(server.fake, { onDelta: (d) => deltas.push(d) }));
    assert.equal(result.text, '**Echo:** Chunks\n\nThis is the fake AnyAPI answer (model `gpt-5.1`).');
    assert.ok(deltas.length > 3);
    assert.equal(result.status, 'completed');
    assert.match(result.id ?? '', /^chatcmpl-/);
    assert.deepEqual(result.usage, { inputTokens: 7, outputTokens: 81, totalTokens: 88, reasoningTokens: 64 });
  });

  it('counts a Chat Completions finish_reason as the end even without [DONE]', async () => {
    server.fake.enqueue((x) => streamRaw(x, chatCompletionChunks('deepseek-chat', ['Done ', 'here'], { done: false })));
    const result = await createResponse(ask('q', { stream: true }), options(server.fake));
    assert.equal(result.text, 'Done here');
    assert.equal(result.status, 'completed');
  });

  it('maps a Chat Completions finish_reason "length" to incomplete', async () => {
    server.fake.enqueue((x) => streamRaw(x, chatCompletionChunks('deepseek-chat', ['Too ', 'long'], { finishReason: 'length' })));
    const result = await createResponse(ask('q', { stream: true }), options(server.fake));
    assert.equal(result.status, 'incomplete');
    assert.equal(result.incompleteReason, 'max_output_tokens');
  });

  it('takes the final text from output_text.done when a relay sends no deltas', async () => {
    server.fake.enqueue((x) =>
      streamRaw(x, [
        'data: {"type":"response.output_text.done","item_id":"m","content_index":0,"text":"All at once"}\n\n',
        completed(),
      ]),
    );
    const deltas: string[] = [];
    const result = await createResponse(ask('q', { stream: true }), options(server.fake, { onDelta: (d) => deltas.push(d) }));
    assert.equal(result.text, 'All at once');
    assert.deepEqual(deltas, ['All at once']);
  });

  it('takes the text from response.completed output when nothing else came', async () => {
    server.fake.enqueue((x) =>
      streamRaw(x, [completed({ output: [{ type: 'message', content: [{ type: 'output_text', text: 'Only in completed' }] }] })]),
    );
    const result = await createResponse(ask('q', { stream: true }), options(server.fake));
    assert.equal(result.text, 'Only in completed');
  });

  it('rejects a stream that ends without a terminal event, keeping partialText ([[fake:truncated]])', async () => {
    const error = await rejection(createResponse(ask('x [[fake:truncated]]', { stream: true }), options(server.fake, { maxRetries: 2 })));
    assert.equal(error.kind, 'incompleteStream');
    assert.equal(error.partialText, 'Partial answer then cut');
    assert.equal(sentence(error), 'The answer was cut off: the connection closed before AnyAPI finished it. The text so far is kept; try again.');
    assert.equal(server.fake.requests.length, 1);
  });

  it('rejects a cleanly ended body without a terminal event', async () => {
    server.fake.enqueue((x) => streamRaw(x, [delta('no '), delta('ending')]));
    const error = await rejection(createResponse(ask('q', { stream: true }), options(server.fake)));
    assert.equal(error.kind, 'incompleteStream');
    assert.equal(error.partialText, 'no ending');
  });

  it('retries a stream that ended before any text (no delta reached the caller)', async () => {
    server.fake.enqueue((x) => streamRaw(x, [': ping\n\n'], { end: 'destroy' }));
    const result = await createResponse(ask('Second try', { stream: true }), options(server.fake, { maxRetries: 1 }));
    assert.equal(result.text, '**Echo:** Second try\n\nThis is the fake AnyAPI answer (model `gpt-5.1`).');
    assert.equal(server.fake.requests.length, 2);
  });

  it('streams a long answer of many deltas ([[fake:long:200000]])', async () => {
    let count = 0;
    const result = await createResponse(ask('[[fake:long:200000]]', { stream: true }), options(server.fake, { onDelta: () => count++ }));
    assert.ok(Buffer.byteLength(result.text) >= 200000);
    assert.ok(count > 1000, `expected many deltas, got ${count}`);
    assert.match(result.text, /```ts\nconst value2 = compute\(2\);/);
  });

  it('streams gzip-encoded SSE ([[fake:gzip]])', async () => {
    const result = await createResponse(ask('Zip stream [[fake:gzip]]', { stream: true }), options(server.fake));
    assert.equal(result.text, '**Echo:** Zip stream\n\nThis is the fake AnyAPI answer (model `gpt-5.1`).');
  });
  it('reads delta events of every shape exactly as JSON.parse does: escapes, emoji, odd fields, and broken ones refused', async () => {
    const tricky = ['quote " and \\ backslash', 'line\nbreak\ttab', 'emoji 😀 and 中文', '\u2028 separator', 'unicode \u00e9 é', '</script>'];
    const events = [
      ...tricky.map(delta),
      // Fields the quick reading does not take (nested, escaped, fractional) go through JSON.parse.
      sseEvent({ type: 'response.output_text.delta', item_id: 'msg_1', content_index: 0, delta: ' nested', logprobs: [{ token: 'x', logprob: -0.5 }] }),
      sseEvent({ type: 'response.output_text.delta', item_id: 'msg_"quoted"', content_index: 0, delta: ' escaped-id' }),
      'event: response.output_text.delta\ndata: {"type": "response.output_text.delta", "delta": " spaced"}\n\n',
      'data: {"type":"response.output_text.delta","delta":" first","delta":" last"}\n\n',
      'data: {"type":"response.output_text.delta","delta":" typed","type":"response.something_else"}\n\n',
      completed(),
    ];
    server.fake.enqueue((x) => streamRaw(x, events));
    const pieces: string[] = [];
    const result = await createResponse(ask('q', { stream: true }), options(server.fake, { onDelta: (d) => pieces.push(d) }));
    assert.equal(result.text, `${tricky.join('')} nested escaped-id spaced last`);
    assert.deepEqual(pieces.slice(0, tricky.length), tricky);
    // An escape JSON does not have, a raw control character, or a cut event: not valid JSON, whatever the shape.
    for (const broken of ['{"type":"response.output_text.delta","delta":"bad \\x escape"}', '{"type":"response.output_text.delta","delta":"raw \u0001 control"}', '{"type":"response.output_text.delta","delta":"cut"']) {
      server.fake.enqueue((x) => streamRaw(x, [delta('Before '), `data: ${broken}\n\n`], { end: 'hang' }));
      const error = await rejection(createResponse(ask('q', { stream: true }), options(server.fake, { maxRetries: 0, idleTimeoutMs: 60_000 })));
      assert.equal(error.reason, 'malformedEvent', broken);
      assert.equal(error.partialText, 'Before ');
    }
  });

  it('takes the final text of a part from output_text.done only when its deltas did not come, whichever way they were read', async () => {
    const done = (itemId: string, text: string): string => sseEvent({ type: 'response.output_text.done', item_id: itemId, output_index: 0, content_index: 0, text });
    server.fake.enqueue((x) => streamRaw(x, [delta('streamed'), done('msg_1', 'streamed'), done('msg_2', ' and a part without deltas'), completed()]));
    const result = await createResponse(ask('q', { stream: true }), options(server.fake));
    assert.equal(result.text, 'streamed and a part without deltas');
  });
});
