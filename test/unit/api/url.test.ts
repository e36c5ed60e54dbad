import * as assert from 'node:assert/strict';
import { ApiError, createResponse, maskKey, redact, resolveEndpointUrl } from '../../../src/api';
import { ask, options, sentence, useFakeAnyApi } from './apiTestKit';

describe('api: base URL, masking, redaction', () => {
  describe('resolveEndpointUrl', () => {
    const expected = 'https://www.anyapi.vip/v1/responses';
    for (const base of [
      'https://www.anyapi.vip',
      'https://www.anyapi.vip/',
      'https://www.anyapi.vip//',
      'https://www.anyapi.vip/v1',
      'https://www.anyapi.vip/v1/',
      ' https://www.anyapi.vip/v1/// ',
      'www.anyapi.vip',
      'https://www.anyapi.vip/v1/responses',
    ]) {
      it(`joins “${base}” to ${expected}`, () => {
        assert.equal(resolveEndpointUrl(base, '/v1/responses'), expected);
      });
    }

    it('keeps a path prefix of a relay mounted below the root', () => {
      assert.equal(resolveEndpointUrl('https://relay.example.com/openai/v1/', '/v1/models'), 'https://relay.example.com/openai/v1/models');
      assert.equal(resolveEndpointUrl('http://127.0.0.1:3000/api', 'chat/completions'), 'http://127.0.0.1:3000/api/v1/chat/completions');
    });

    it('rejects an empty or non-http base URL with a sentence naming anyapi.baseUrl', () => {
      for (const base of ['', '   ', 'ftp://www.anyapi.vip', 'http://exa mple.com']) {
        assert.throws(
          () => resolveEndpointUrl(base, '/v1/responses'),
          (error: unknown) => error instanceof ApiError && error.kind === 'wrongBaseUrl' && /anyapi\.baseUrl/.test(sentence(error)),
        );
      }
    });
  });

  describe('maskKey and redact', () => {
    it('shows only the prefix and the last four characters', () => {
      assert.equal(maskKey('sk-abcdefghijklmnopqrstuvwxyz1234abcd'), 'sk-…abcd');
      assert.equal(maskKey('  sk-test-valid-key-9876  '), 'sk-…9876');
      assert.equal(maskKey('abcdefghijklmnop'), '…mnop');
      assert.equal(maskKey('sk-short'), 'sk-…');
      assert.equal(maskKey(''), '');
    });

    it('replaces every occurrence of the key and any bearer token', () => {
      const key = 'sk-abcdefghijklmnopqrstuvwxyz1234abcd';
      assert.equal(redact(`key ${key} and again ${key}.`, key), 'key sk-…abcd and again sk-…abcd.');
      assert.equal(redact('Authorization: Bearer sk-other-token-123', key), 'Authorization: Bearer ***');
      assert.equal(redact('nothing secret', key), 'nothing secret');
    });
  });

  describe('against the fake AnyAPI', () => {
    const server = useFakeAnyApi();
    for (const suffix of ['', '/', '/v1', '/v1/', '/v1//']) {
      it(`POSTs to /v1/responses for a base URL ending in “${suffix}”`, async () => {
        const result = await createResponse(ask('Base URL check'), options(server.fake, { baseUrl: server.fake.url + suffix }));
        assert.equal(result.text, '**Echo:** Base URL check\n\nThis is the fake AnyAPI answer (model `gpt-5.1`).');
        assert.deepEqual(
          server.fake.requests.map((r) => `${r.method} ${r.path}`),
          ['POST /v1/responses'],
        );
      });
    }
  });
});
