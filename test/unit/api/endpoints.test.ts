import * as assert from 'node:assert/strict';
import { createResponse, forgetEndpointChoices, listModels, probeConnection } from '../../../src/api';
import { newApiError } from '../../support/fakeAnswers';
import { fakeModels, sendJson } from '../../support/fakeAnyApi';
import { ask, badKey, options, recordingLogger, rejection, sentence, useFakeAnyApi } from './apiTestKit';

const conversation = {
  model: 'deepseek-chat',
  input: [
    { role: 'developer' as const, content: 'Answer in English.' },
    { role: 'user' as const, content: 'Hello' },
    { role: 'assistant' as const, content: 'Hi!' },
    { role: 'user' as const, content: 'Explain this\nfunction f() {}' },
  ],
  instructions: 'You are a coding assistant.',
  max_output_tokens: 300,
  temperature: 0.5,
  reasoning: { effort: 'high' },
};

describe('api: endpoints', () => {
  const server = useFakeAnyApi();
  beforeEach(() => forgetEndpointChoices());

  describe('chatCompletions mode', () => {
    it('sends the conversation to /v1/chat/completions in its vocabulary and returns the same result', async () => {
      const result = await createResponse(conversation, options(server.fake, { endpoint: 'chatCompletions' }));
      assert.equal(result.text, '**Echo:** Explain this\n\nThis is the fake AnyAPI answer (model `deepseek-chat`).');
      assert.equal(result.endpoint, 'chatCompletions');
      assert.equal(result.status, 'completed');
      assert.ok(result.usage && result.usage.inputTokens > 0);
      const [request] = server.fake.requests;
      assert.equal(request.path, '/v1/chat/completions');
      assert.deepEqual(request.body, {
        model: 'deepseek-chat',
        messages: [
          { role: 'system', content: 'You are a coding assistant.' },
          { role: 'system', content: 'Answer in English.' },
          { role: 'user', content: 'Hello' },
          { role: 'assistant', content: 'Hi!' },
          { role: 'user', content: 'Explain this\nfunction f() {}' },
        ],
        stream: false,
        max_tokens: 300,
        temperature: 0.5,
        reasoning_effort: 'high',
      });
    });

    it('streams with stream_options.include_usage and reads the usage chunk', async () => {
      const deltas: string[] = [];
      const result = await createResponse(
        { model: 'deepseek-chat', input: [{ role: 'user', content: 'Stream chat' }], stream: true },
        options(server.fake, { endpoint: 'chatCompletions', onDelta: (d) => deltas.push(d) }),
      );
      assert.equal(result.text, '**Echo:** Stream chat\n\nThis is the fake AnyAPI answer (model `deepseek-chat`).');
      assert.equal(deltas.join(''), result.text);
      assert.deepEqual(result.usage, { inputTokens: 3, outputTokens: 20, totalTokens: 23, reasoningTokens: 0 });
      const body = server.fake.requests[0].body as Record<string, unknown>;
      assert.equal(body.stream, true);
      assert.deepEqual(body.stream_options, { include_usage: true });
      assert.equal(server.fake.requests[0].headers.accept, 'text/event-stream');
    });
  });

  describe('auto mode', () => {
    it('falls back to Chat Completions on convert_request_failed, once, and remembers it per model', async () => {
      const logger = recordingLogger();
      const request = { model: 'chat-only-model', input: [{ role: 'user' as const, content: 'Fallback please' }], stream: true, max_output_tokens: 64 };
      const first = await createResponse(request, options(server.fake, { logger, maxRetries: 2 }));
      assert.equal(first.text, '**Echo:** Fallback please\n\nThis is the fake AnyAPI answer (model `chat-only-model`).');
      assert.equal(first.endpoint, 'chatCompletions');
      assert.deepEqual(server.fake.requests.map((r) => r.path), ['/v1/responses', '/v1/chat/completions']);
      assert.equal((server.fake.requests[1].body as { max_tokens?: number }).max_tokens, 64);
      assert.ok(logger.lines.some((l) => l.startsWith('warn ') && l.includes('trying /v1/chat/completions')));

      const second = await createResponse(request, options(server.fake));
      assert.equal(second.endpoint, 'chatCompletions');
      assert.deepEqual(server.fake.requests.map((r) => r.path), ['/v1/responses', '/v1/chat/completions', '/v1/chat/completions']);

      // Other models on the same base URL still use Responses.
      const other = await createResponse(ask('Other'), options(server.fake));
      assert.equal(other.endpoint, 'responses');
    });

    it('falls back when the route itself is missing (404)', async () => {
      server.fake.enqueue(({ res }) => sendJson(res, 404, { error: { message: 'Invalid URL (POST /v1/responses)', type: 'invalid_request_error', param: '', code: '' } }));
      const result = await createResponse(ask('Old relay'), options(server.fake));
      assert.equal(result.endpoint, 'chatCompletions');
      assert.equal(result.text, '**Echo:** Old relay\n\nThis is the fake AnyAPI answer (model `gpt-5.1`).');
    });

    it('falls back on a 400 that says the Responses API is not supported for the model', async () => {
      server.fake.enqueue(({ res, record }) =>
        sendJson(res, 400, newApiError('this channel does not support the responses api (不支持)', record.requestId, 'invalid_request')),
      );
      const result = await createResponse(ask('Unsupported'), options(server.fake));
      assert.equal(result.endpoint, 'chatCompletions');
    });

    it('does not fall back on auth, quota, rate or parameter errors', async () => {
      for (const marker of ['[[fake:error-401]]', '[[fake:error-403]]', '[[fake:error-400]]', '[[fake:error-429]]', '[[fake:error-503]]']) {
        server.fake.reset();
        const error = await rejection(createResponse(ask(`x ${marker}`), options(server.fake)));
        assert.ok(error.status !== undefined && error.status >= 400, marker);
        assert.deepEqual(server.fake.requests.map((r) => r.path), ['/v1/responses'], marker);
      }
      server.fake.reset();
      await rejection(createResponse(ask('x'), options(server.fake, { apiKey: badKey })));
      assert.equal(server.fake.requests.length, 1);
    });

    it('responses mode never falls back', async () => {
      const error = await rejection(createResponse({ model: 'chat-only-model', input: [{ role: 'user', content: 'x' }] }, options(server.fake, { endpoint: 'responses' })));
      assert.equal(error.code, 'convert_request_failed');
      assert.equal(server.fake.requests.length, 1);
    });
  });

  describe('listModels and probeConnection', () => {
    it('lists models with owner and supported_endpoint_types', async () => {
      const models = await listModels(options(server.fake));
      assert.deepEqual(models, fakeModels.map((m) => ({ id: m.id, ownedBy: m.owned_by, supportedEndpointTypes: m.supported_endpoint_types })));
      assert.deepEqual(models[1], { id: 'o3-pro', ownedBy: 'openai', supportedEndpointTypes: ['openai-response'] });
      const [request] = server.fake.requests;
      assert.equal(`${request.method} ${request.path}`, 'GET /v1/models');
      assert.equal(request.headers.authorization, '<valid key>');
    });

    it('lists models of a plain OpenAI-style server (no supported_endpoint_types, no owner)', async () => {
      server.fake.enqueue(({ res }) => sendJson(res, 200, { object: 'list', data: [{ id: 'gpt-4o', object: 'model' }, { id: 'o1', owned_by: 'system' }, { object: 'model' }] }));
      const models = await listModels(options(server.fake));
      assert.deepEqual(models, [{ id: 'gpt-4o' }, { id: 'o1', ownedBy: 'system' }]);
    });

    it('a key with an invisible character is reported as malformed by a request and by Test Connection, and nothing is sent', async () => {
      const key = 'sk-test-0123\u200b456789';
      const asked = await rejection(createResponse(ask('q'), options(server.fake, { apiKey: key, maxRetries: 2 })));
      const probed = await rejection(probeConnection(options(server.fake, { apiKey: key, maxRetries: 2 })));
      for (const error of [asked, probed]) {
        assert.equal(error.kind, 'auth');
        assert.equal(error.reason, 'keyMalformed');
        assert.equal(
          sentence(error),
          'The stored AnyAPI key holds characters a key cannot have (invisible, space or non-ASCII: 1), so it cannot be sent. Run “AnyAPI: Set API Key” and paste the key again.',
        );
      }
      assert.equal(server.fake.requests.length, 0, 'a request was sent with the malformed key');
    });

    it('probeConnection reports the resolved URL, status, latency and models', async () => {
      const probe = await probeConnection(options(server.fake, { baseUrl: `${server.fake.url}/v1/` }));
      assert.equal(probe.url, `${server.fake.url}/v1/models`);
      assert.equal(probe.status, 200);
      assert.ok(Number.isInteger(probe.latencyMs) && probe.latencyMs >= 0);
      assert.equal(probe.models.length, fakeModels.length);
    });

    it('probeConnection with a wrong key fails with the key advice', async () => {
      const error = await rejection(probeConnection(options(server.fake, { apiKey: badKey })));
      assert.equal(error.kind, 'auth');
      assert.equal(sentence(error), 'AnyAPI rejected the API key (server said: 无效的令牌). Run “AnyAPI: Set API Key” with a valid key.');
    });

    it('probeConnection on a web page says to check the base URL', async () => {
      const error = await rejection(probeConnection(options(server.fake, { baseUrl: `${server.fake.url}/admin` })));
      assert.equal(error.kind, 'wrongBaseUrl');
      assert.match(sentence(error), /Check anyapi\.baseUrl/);
    });
  });
});
