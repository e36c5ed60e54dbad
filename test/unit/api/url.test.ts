import * as assert from 'node:assert/strict';
import { ApiError, createResponse, isLoopbackHost, listModels, maskKey, redact, resolveEndpointUrl } from '../../../src/api';
import { ask, options, rejection, sentence, useFakeAnyApi } from './apiTestKit';

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

describe('api: plain http:// base URLs (the key would travel in the clear)', () => {
  const server = useFakeAnyApi();

  for (const baseUrl of ['http://1.2.3.4:3000', 'http://relay.example.com', 'http://[2001:db8::1]:8080', 'http://127.0.0.1.nip.io']) {
    it(`refuses ${baseUrl} before any connection, with a sentence that names the host`, async () => {
      const started = Date.now();
      const error = await rejection(createResponse(ask('q'), { ...options(server.fake), baseUrl, maxRetries: 2 }));
      assert.equal(error.kind, 'insecureBaseUrl');
      assert.equal(error.retryable, false);
      assert.ok(Date.now() - started < 500, 'a connection was attempted');
      assert.match(sentence(error), /Nothing was sent: .* plain http:\/\//);
      assert.ok(sentence(error).includes(new URL(baseUrl).host), sentence(error));
      await assert.rejects(listModels({ ...options(server.fake), baseUrl }), (caught: unknown) => caught instanceof ApiError && caught.kind === 'insecureBaseUrl');
    });
  }

  it('sends to this machine over http:// (localhost, 127.0.0.0/8, [::1]) without asking', async () => {
    assert.ok(isLoopbackHost('localhost') && isLoopbackHost('127.8.9.10') && isLoopbackHost('[::1]'));
    assert.ok(!isLoopbackHost('127.0.0.1.nip.io') && !isLoopbackHost('localhost.example.com') && !isLoopbackHost('10.0.0.1'));
    const result = await createResponse(ask('Over loopback'), options(server.fake));
    assert.match(result.text, /Over loopback/);
  });

  it('sends over http:// once the caller says the user allowed it (allowInsecureHttp)', async () => {
    // The name resolves nowhere: the request is attempted (a network error), not refused for being insecure.
    const error = await rejection(
      createResponse(ask('q'), { ...options(server.fake), baseUrl: 'http://relay.invalid:3000', allowInsecureHttp: true, maxRetries: 0 }),
    );
    assert.equal(error.kind, 'network');
  });
});
