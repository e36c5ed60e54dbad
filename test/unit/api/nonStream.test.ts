import * as assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import { createResponse } from '../../../src/api';
import { sendJson } from '../../support/fakeAnyApi';
import { ask, options, rejection, sentence, testKey, useFakeAnyApi } from './apiTestKit';

describe('api: non-streamed answers', () => {
  const server = useFakeAnyApi();

  it('sends the request body as given and reads the default Responses object', async () => {
    const deltas: string[] = [];
    const result = await createResponse(
      {
        model: 'gpt-5.1',
        input: [
          { role: 'user', content: 'First question' },
          { role: 'assistant', content: 'First answer' },
          { role: 'user', content: 'What does this do?\nconst x = 1;' },
        ],
        instructions: 'Be brief.',
        max_output_tokens: 512,
        temperature: 0.2,
        reasoning: { effort: 'low' },
      },
      options(server.fake, { onDelta: (d) => deltas.push(d) }),
    );
    const expected = '**Echo:** What does this do?\n\nThis is the fake AnyAPI answer (model `gpt-5.1`).';
    assert.equal(result.text, expected);
    assert.deepEqual(deltas, [expected]);
    assert.equal(result.status, 'completed');
    assert.equal(result.endpoint, 'responses');
    assert.equal(result.model, 'gpt-5.1');
    assert.match(result.id ?? '', /^resp_[0-9a-f]{48}$/);
    assert.equal(result.requestId, server.fake.requests[0].requestId);
    // gpt-5.1 is a reasoning model in the fake: 64 reasoning tokens counted inside output_tokens.
    assert.deepEqual(result.usage, { inputTokens: 17, outputTokens: 84, totalTokens: 101, reasoningTokens: 64 });

    const [request] = server.fake.requests;
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/v1/responses');
    assert.equal(request.headers.authorization, '<valid key>');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.deepEqual(request.body, {
      model: 'gpt-5.1',
      input: [
        { role: 'user', content: 'First question' },
        { role: 'assistant', content: 'First answer' },
        { role: 'user', content: 'What does this do?\nconst x = 1;' },
      ],
      stream: false,
      instructions: 'Be brief.',
      max_output_tokens: 512,
      temperature: 0.2,
      reasoning: { effort: 'low' },
    });
  });

  it('joins output_text parts of several message items and skips reasoning items', async () => {
    server.fake.enqueue(({ res }) =>
      sendJson(res, 200, {
        id: 'resp_multi',
        object: 'response',
        status: 'completed',
        model: 'o3-pro-2025-06-10',
        output: [
          { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'SECRET THOUGHTS' }] },
          {
            id: 'msg_1',
            type: 'message',
            role: 'assistant',
            content: [
              { type: 'output_text', text: 'Part one. ', annotations: [] },
              { type: 'output_text', text: 'Part two.', annotations: [] },
            ],
          },
          { id: 'fc_1', type: 'function_call', name: 'x', arguments: '{}' },
          { id: 'msg_2', type: 'message', role: 'assistant', content: [{ type: 'output_text', text: ' Part three.' }] },
        ],
        usage: { input_tokens: 10, output_tokens: 20, total_tokens: 30, output_tokens_details: { reasoning_tokens: 12 } },
        some_future_field: { nested: true },
      }),
    );
    const result = await createResponse(ask('q'), options(server.fake));
    assert.equal(result.text, 'Part one. Part two. Part three.');
    assert.equal(result.model, 'o3-pro-2025-06-10');
    assert.equal(result.id, 'resp_multi');
    assert.deepEqual(result.usage, { inputTokens: 10, outputTokens: 20, totalTokens: 30, reasoningTokens: 12 });
  });

  it("reads the seed document's Chat Completions shape with prompt/completion usage", async () => {
    const result = await createResponse(ask('Seed shape [[fake:chat-shape]]', { model: 'deepseek-chat' }), options(server.fake));
    assert.equal(result.text, '**Echo:** Seed shape\n\nThis is the fake AnyAPI answer (model `deepseek-chat`).');
    assert.equal(result.status, 'completed');
    assert.equal(result.endpoint, 'responses');
    assert.match(result.id ?? '', /^chatcmpl-/);
    assert.deepEqual(result.usage, { inputTokens: 8, outputTokens: 20, totalTokens: 28, reasoningTokens: 0 });
  });

  it('takes usage from the Chat Completions naming without details', async () => {
    server.fake.enqueue(({ res }) =>
      sendJson(res, 200, {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1,
        choices: [{ index: 0, message: { role: 'assistant', content: '你好，世界' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
      }),
    );
    const result = await createResponse(ask('hi'), options(server.fake));
    assert.equal(result.text, '你好，世界');
    assert.deepEqual(result.usage, { inputTokens: 3, outputTokens: 4, totalTokens: 7 });
  });

  it('reports an incomplete answer with its reason (both shapes)', async () => {
    const responses = await createResponse(ask('Cut short [[fake:incomplete]]'), options(server.fake));
    assert.equal(responses.status, 'incomplete');
    assert.equal(responses.incompleteReason, 'max_output_tokens');
    assert.equal(responses.text, '**Echo:** Cut short\n\nThis is the fake AnyAPI answer (model `gpt-5.1`).');

    const chat = await createResponse(ask('Cut short [[fake:incomplete]] [[fake:chat-shape]]'), options(server.fake));
    assert.equal(chat.status, 'incomplete');
    assert.equal(chat.incompleteReason, 'max_output_tokens');
  });

  it('rejects a failed Responses object with the server message', async () => {
    server.fake.enqueue(({ res }) =>
      sendJson(res, 200, {
        id: 'resp_f',
        object: 'response',
        status: 'failed',
        error: { code: 'server_error', message: '模型过载，请稍后再试' },
        output: [],
      }),
    );
    const error = await rejection(createResponse(ask('q'), options(server.fake)));
    assert.equal(error.kind, 'failed');
    assert.equal(error.code, 'server_error');
    assert.equal(error.serverMessage, '模型过载，请稍后再试');
    assert.match(sentence(error), /server said: 模型过载，请稍后再试/);
  });

  for (const [encoding, compress] of [
    ['gzip', zlib.gzipSync],
    ['br', zlib.brotliCompressSync],
    ['deflate', zlib.deflateSync],
  ] as const) {
    it(`decompresses a ${encoding}-encoded body`, async () => {
      server.fake.enqueue(({ res }) => {
        const bytes = compress(Buffer.from(JSON.stringify({ object: 'response', status: 'completed', output: [{ type: 'message', content: [{ type: 'output_text', text: `压缩 ${encoding} ✓` }] }] })));
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding, 'content-length': bytes.length });
        res.end(bytes);
      });
      const result = await createResponse(ask('q'), options(server.fake));
      assert.equal(result.text, `压缩 ${encoding} ✓`);
      assert.match(server.fake.requests[0].headers['accept-encoding'] ?? '', /gzip/);
    });
  }

  it("decompresses the fake server's [[fake:gzip]] answer", async () => {
    const result = await createResponse(ask('Zipped [[fake:gzip]]'), options(server.fake));
    assert.equal(result.text, '**Echo:** Zipped\n\nThis is the fake AnyAPI answer (model `gpt-5.1`).');
  });

  it('decompresses a gzip-encoded error body', async () => {
    server.fake.enqueue(({ res }) => {
      const bytes = zlib.gzipSync(Buffer.from(JSON.stringify({ error: { message: '无效的令牌', type: 'new_api_error' } })));
      res.writeHead(401, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(bytes);
    });
    const error = await rejection(createResponse(ask('q'), options(server.fake)));
    assert.equal(sentence(error), 'AnyAPI rejected the API key (server said: 无效的令牌). Run “AnyAPI: Set API Key” with a valid key.');
  });

  it('accepts a relay that streams although stream was not asked for', async () => {
    server.fake.enqueue(({ res }) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('data: {"type":"response.output_text.delta","delta":"Hi"}\n\ndata: {"type":"response.completed","response":{"status":"completed"}}\n\n');
    });
    const result = await createResponse(ask('q'), options(server.fake));
    assert.equal(result.text, 'Hi');
  });

  it('rejects a body in neither shape with advice', async () => {
    server.fake.enqueue(({ res }) => sendJson(res, 200, { hello: 'world' }));
    const error = await rejection(createResponse(ask('q'), options(server.fake)));
    assert.equal(error.kind, 'server');
    assert.match(sentence(error), /shape/);
    assert.ok(!error.message.includes(testKey));
  });
});

describe('api: a non-streamed answer larger than the limit', () => {
  const server = useFakeAnyApi();

  it('fails once as too large, without retrying, and says to turn streaming on', async () => {
    const text = 'x'.repeat(2 * 1024 * 1024);
    server.fake.enqueue(({ res }) =>
      sendJson(res, 200, { id: 'resp_big', object: 'response', status: 'completed', output: [{ type: 'message', content: [{ type: 'output_text', text }] }] }),
    );
    const error = await rejection(createResponse(ask('q'), options(server.fake, { maxAnswerBytes: 1024 * 1024, maxRetries: 2 })));
    assert.equal(error.kind, 'tooLarge');
    assert.equal(error.retryable, false);
    assert.equal(server.fake.requests.length, 1, 'the answer was downloaded again');
    assert.equal(sentence(error), 'The answer is larger than 1 MB, too large to take in one piece. Turn on streaming (anyapi.stream) and ask again.');
  });

  it('takes a 10 MB body under the default byte limit', async () => {
    const text = 'y'.repeat(10 * 1024 * 1024);
    server.fake.enqueue(({ res }) =>
      sendJson(res, 200, { id: 'resp_10mb', object: 'response', status: 'completed', output: [{ type: 'message', content: [{ type: 'output_text', text }] }] }),
    );
    const result = await createResponse(ask('q'), options(server.fake, { maxAnswerChars: 20_000_000 }));
    assert.equal(result.text.length, text.length);
  });

  it('keeps the first million characters of a longer answer and says it was stopped, without retrying', async () => {
    const text = 'z'.repeat(1_500_000);
    server.fake.enqueue(({ res }) =>
      sendJson(res, 200, { id: 'resp_long', object: 'response', status: 'completed', output: [{ type: 'message', content: [{ type: 'output_text', text }] }] }),
    );
    const deltas: string[] = [];
    const error = await rejection(createResponse(ask('q'), options(server.fake, { maxRetries: 2, onDelta: (d) => deltas.push(d) })));
    assert.equal(error.kind, 'tooLarge');
    assert.equal(error.reason, 'answerTooLong');
    assert.equal(error.partialText?.length, 1_000_000);
    assert.equal(deltas.join('').length, 1_000_000);
    assert.equal(server.fake.requests.length, 1);
    assert.equal(
      sentence(error),
      'The answer passed 1,000,000 characters, more than a model writes in one answer, so it was stopped: the server may be repeating itself. The text so far is kept. Ask for a shorter answer.',
    );
  });
});
