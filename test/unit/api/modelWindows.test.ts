import * as assert from 'node:assert/strict';
import { listModels } from '../../../src/api';
import { sendJson } from '../../support/fakeAnyApi';
import { options, useFakeAnyApi } from './apiTestKit';

describe('context windows in the model list (GET /v1/models)', () => {
  const server = useFakeAnyApi();

  async function listed(data: unknown[]): Promise<Record<string, { contextLength?: number; maxInputTokens?: number }>> {
    server.fake.enqueue(({ res }) => sendJson(res, 200, { object: 'list', data }));
    const models = await listModels(options(server.fake));
    return Object.fromEntries(models.map(({ id, contextLength, maxInputTokens }) => [id, { contextLength, maxInputTokens }]));
  }

  it('reads the window under the names relays give it', async () => {
    const models = await listed([
      { id: 'openrouter', context_length: 1_048_576, top_provider: { context_length: 1_000_000, max_completion_tokens: 32_768 } },
      { id: 'groq', context_window: 131_072 },
      { id: 'mistral', max_context_length: 32_768 },
      { id: 'vllm', max_model_len: 65_536 },
      { id: 'provider-only', top_provider: { context_length: 200_000 } },
      { id: 'github', capabilities: { limits: { max_context_window_tokens: 128_000, max_prompt_tokens: 64_000, max_output_tokens: 4096 } } },
      { id: 'litellm', model_info: { max_input_tokens: 272_000, max_output_tokens: 128_000 } },
      { id: 'deepinfra', metadata: { context_length: 163_840 } },
      { id: 'as-text', context_length: '8192' },
    ]);
    assert.deepEqual(models, {
      openrouter: { contextLength: 1_048_576, maxInputTokens: undefined },
      groq: { contextLength: 131_072, maxInputTokens: undefined },
      mistral: { contextLength: 32_768, maxInputTokens: undefined },
      vllm: { contextLength: 65_536, maxInputTokens: undefined },
      'provider-only': { contextLength: 200_000, maxInputTokens: undefined },
      github: { contextLength: 128_000, maxInputTokens: 64_000 },
      litellm: { contextLength: undefined, maxInputTokens: 272_000 },
      deepinfra: { contextLength: 163_840, maxInputTokens: undefined },
      'as-text': { contextLength: 8192, maxInputTokens: undefined },
    });
  });

  it('says nothing of a model whose list gives no window, or an unknown one (0, -1, junk)', async () => {
    const models = await listed([
      { id: 'new-api', owned_by: 'openai', supported_endpoint_types: ['openai'] },
      { id: 'zero', context_length: 0 },
      { id: 'unknown', context_length: -1 },
      { id: 'junk', context_length: 'a lot', context_window: null, max_model_len: { value: 8192 } },
      { id: 'tiny', context_length: 12 },
      { id: 'fraction', context_length: 4096.5 },
    ]);
    assert.deepEqual(models, {
      'new-api': { contextLength: undefined, maxInputTokens: undefined },
      zero: { contextLength: undefined, maxInputTokens: undefined },
      unknown: { contextLength: undefined, maxInputTokens: undefined },
      junk: { contextLength: undefined, maxInputTokens: undefined },
      tiny: { contextLength: undefined, maxInputTokens: undefined },
      fraction: { contextLength: 4096, maxInputTokens: undefined },
    });
  });

  it('leaves the model entries without the fields when the list has no window', async () => {
    server.fake.enqueue(({ res }) => sendJson(res, 200, { data: [{ id: 'gpt-5.1', owned_by: 'openai' }] }));
    assert.deepEqual(await listModels(options(server.fake)), [{ id: 'gpt-5.1', ownedBy: 'openai' }]);
  });
});
