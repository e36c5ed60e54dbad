import * as assert from 'node:assert/strict';
import { createResponse, forgetEndpointChoices } from '../../../src/api';
import { ask, options, useFakeAnyApi } from './apiTestKit';

type ChatBody = { model?: string; max_tokens?: number; max_completion_tokens?: number };

describe('api: request bodies', () => {
  const server = useFakeAnyApi();
  beforeEach(() => forgetEndpointChoices());

  /** Sends one Chat Completions request with an output limit and returns the body the server got. */
  async function chatBody(model: string, stream = false): Promise<ChatBody> {
    await createResponse(ask('Limit me', { model, max_output_tokens: 300, stream }), options(server.fake, { endpoint: 'chatCompletions' }));
    const [request] = server.fake.requests;
    assert.equal(request.path, '/v1/chat/completions');
    return request.body as ChatBody;
  }

  describe('Chat Completions output limit', () => {
    for (const model of ['o1', 'o1-mini', 'o3', 'o3-mini', 'o3-pro', 'o4-mini', 'gpt-5', 'gpt-5.1', 'gpt-5-mini', 'gpt-5.1-codex', 'GPT-5-Nano', 'openai/o3']) {
      it(`sends max_completion_tokens, not max_tokens, for ${model}`, async () => {
        const body = await chatBody(model);
        assert.equal(body.model, model);
        assert.equal(body.max_completion_tokens, 300);
        assert.ok(!('max_tokens' in body), `max_tokens was sent: ${JSON.stringify(body)}`);
      });
    }

    it('sends max_completion_tokens on a streamed request too', async () => {
      const body = await chatBody('gpt-5.1', true);
      assert.equal(body.max_completion_tokens, 300);
      assert.ok(!('max_tokens' in body));
    });

    for (const model of ['deepseek-chat', 'gpt-4o', 'gpt-4.1-mini', 'claude-sonnet-4-5', 'omni-moderation-latest', 'qwen3-coder', 'gpt-50x']) {
      it(`keeps max_tokens for ${model}, which other upstreams know`, async () => {
        const body = await chatBody(model);
        assert.equal(body.max_tokens, 300);
        assert.ok(!('max_completion_tokens' in body), `max_completion_tokens was sent: ${JSON.stringify(body)}`);
      });
    }

    it('sends neither when no output limit is set', async () => {
      await createResponse(ask('No limit', { model: 'o3' }), options(server.fake, { endpoint: 'chatCompletions' }));
      const body = server.fake.requests[0].body as ChatBody;
      assert.ok(!('max_tokens' in body) && !('max_completion_tokens' in body), JSON.stringify(body));
    });
  });

  it('keeps max_output_tokens on /v1/responses for the same models', async () => {
    await createResponse(ask('Responses limit', { model: 'o3', max_output_tokens: 300 }), options(server.fake, { endpoint: 'responses' }));
    const [request] = server.fake.requests;
    assert.equal(request.path, '/v1/responses');
    const body = request.body as Record<string, unknown>;
    assert.equal(body.max_output_tokens, 300);
    assert.ok(!('max_tokens' in body) && !('max_completion_tokens' in body));
  });
});
