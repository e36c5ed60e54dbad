import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { createResponse, listModels, probeConnection } from '../../../src/api';
import type { ApiError } from '../../../src/api';
import { cloudflarePage } from '../../support/fakeAnswers';
import { sendJson } from '../../support/fakeAnyApi';
import { ask, assertNoKey, badKey, options, recordingLogger, rejection, sentence, testKey, useFakeAnyApi } from './apiTestKit';

describe('api: HTTP and network errors', () => {
  const server = useFakeAnyApi();

  it('401 from a wrong key: the server words, and what to do', async () => {
    const error = await rejection(createResponse(ask('hi'), options(server.fake, { apiKey: badKey })));
    assert.equal(error.kind, 'auth');
    assert.equal(error.status, 401);
    assert.equal(error.retryable, false);
    assert.equal(sentence(error), 'AnyAPI rejected the API key (server said: 无效的令牌). Run “AnyAPI: Set API Key” with a valid key.');
    assert.equal(error.serverMessage, '无效的令牌');
    assert.equal(error.requestId, server.fake.requests[0].requestId);
    assert.equal(server.fake.requests[0].headers.authorization, '<invalid key>');
  });

  it('an empty key is refused before any request', async () => {
    const error = await rejection(createResponse(ask('hi'), options(server.fake, { apiKey: '  ' })));
    assert.equal(error.kind, 'auth');
    assert.equal(error.reason, 'noKey');
    assert.equal(sentence(error), 'No AnyAPI key is set, so nothing was sent. Set your key with “AnyAPI: Set API Key”.');
    assert.equal(server.fake.requests.length, 0);
  });

  it('OpenAI-shaped 400: passes the message and code through', async () => {
    const error = await rejection(createResponse(ask('x [[fake:error-400]]'), options(server.fake, { maxRetries: 2 })));
    assert.equal(error.kind, 'badRequest');
    assert.equal(error.status, 400);
    assert.equal(error.code, 'unsupported_parameter');
    assert.equal(
      sentence(error),
      "AnyAPI refused the request (server said: Unsupported parameter: 'temperature' is not supported with this model.). Check the model (“AnyAPI: Select Model”) and settings such as anyapi.temperature and anyapi.maxOutputTokens.",
    );
    assert.equal(server.fake.requests.length, 1, '400 is never retried');
  });

  it('new-api {message, success:false} body', async () => {
    server.fake.enqueue(({ res }) => sendJson(res, 403, { message: '该令牌无权访问模型 gpt-5.1', success: false }));
    const error = await rejection(createResponse(ask('q'), options(server.fake)));
    assert.equal(error.kind, 'auth');
    assert.equal(error.status, 403);
    assert.equal(
      sentence(error),
      'AnyAPI refused access (server said: 该令牌无权访问模型 gpt-5.1). Check that your key may use “gpt-5.1”, or set another key with “AnyAPI: Set API Key”.',
    );
  });

  it('403 quota: says to top up', async () => {
    const error = await rejection(createResponse(ask('x [[fake:error-403]]'), options(server.fake)));
    assert.equal(error.kind, 'quota');
    assert.equal(error.code, 'insufficient_user_quota');
    assert.equal(
      sentence(error),
      'Your AnyAPI quota is used up (server said: 用户额度不足, 剩余额度: ＄0.000000). Top up your AnyAPI balance or set another key with “AnyAPI: Set API Key”.',
    );
  });

  it('429 with an empty body is a rate limit (retryable), with a sentence of its own', async () => {
    const error = await rejection(createResponse(ask('x [[fake:error-429]]'), options(server.fake)));
    assert.equal(error.kind, 'rateLimit');
    assert.equal(error.retryable, true);
    assert.equal(sentence(error), 'AnyAPI is limiting the request rate (HTTP 429). Wait a moment and try again.');
  });

  it('429 insufficient_quota is quota, not rate, and is not retried', async () => {
    server.fake.enqueue(({ res }) =>
      sendJson(res, 429, { error: { message: 'You exceeded your current quota.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } }),
    );
    const error = await rejection(createResponse(ask('q'), options(server.fake, { maxRetries: 2 })));
    assert.equal(error.kind, 'quota');
    assert.equal(error.retryable, false);
    assert.equal(server.fake.requests.length, 1);
  });

  it('503 "无可用渠道" (model_not_found): names the model, suggests another', async () => {
    const error = await rejection(createResponse(ask('x [[fake:error-503]]', { model: 'claude-opus-9' }), options(server.fake, { maxRetries: 2 })));
    assert.equal(error.kind, 'notFound');
    assert.equal(error.code, 'model_not_found');
    assert.equal(
      sentence(error),
      'AnyAPI has no channel for model “claude-opus-9” right now (server said: 当前分组 default 下对于模型 claude-opus-9 无可用渠道). Pick another model with “AnyAPI: Select Model”, or try again later.',
    );
    assert.equal(server.fake.requests.length, 1);
  });

  it('500 convert_request_failed in responses mode: suggests the endpoint setting', async () => {
    const error = await rejection(createResponse(ask('x [[fake:error-500]]'), options(server.fake, { endpoint: 'responses', maxRetries: 2 })));
    assert.equal(error.kind, 'server');
    assert.equal(error.code, 'convert_request_failed');
    assert.equal(error.retryable, false);
    assert.match(sentence(error), /anyapi\.endpoint/);
    assert.match(sentence(error), /server said: convert request failed: model gpt-5\.1 is not supported on \/v1\/responses\)/);
    assert.equal(server.fake.requests.length, 1);
  });

  it('500 with an empty body: a sentence per status', async () => {
    server.fake.enqueue(({ res }) => {
      res.writeHead(500);
      res.end();
    });
    const error = await rejection(createResponse(ask('q'), options(server.fake)));
    assert.equal(error.kind, 'server');
    assert.equal(sentence(error), 'AnyAPI had a server error (HTTP 500). Try again later.');
  });

  it('Cloudflare 502 HTML: says the gateway failed, no HTML in the message', async () => {
    const error = await rejection(createResponse(ask('x [[fake:error-502]]'), options(server.fake)));
    assert.equal(error.kind, 'server');
    assert.equal(error.status, 502);
    assert.equal(error.retryable, true);
    assert.equal(sentence(error), 'The gateway in front of AnyAPI (Cloudflare) could not reach the AnyAPI server (HTTP 502). This is on the server side: try again later.');
    assert.ok(!/[<>]/.test(error.message) && !/[<>]/.test(sentence(error)));
  });

  it('Cloudflare 524 HTML: says the server took too long and that streaming avoids it; sent once, not retried', async () => {
    const error = await rejection(createResponse(ask('x [[fake:error-524]]'), options(server.fake, { maxRetries: 2, retryBaseDelayMs: 1 })));
    assert.equal(error.kind, 'server');
    assert.equal(error.reason, 'gatewayTimeout');
    assert.equal(error.retryable, false);
    assert.equal(server.fake.requests.length, 1, 'a 524 may still be billed: never sent again automatically');
    assert.equal(
      sentence(error),
      'The gateway in front of AnyAPI (Cloudflare) gave up waiting for the model (HTTP 524): the server took too long. It may still finish the request and bill it, so it was not sent again. Streaming (anyapi.stream) avoids this timeout.',
    );
    assert.ok(!/[<>]/.test(error.message) && !/[<>]/.test(sentence(error)));
  });

  it('HTML error page without Cloudflare markers is still not dumped', async () => {
    server.fake.enqueue(({ res }) => {
      res.writeHead(503, { 'content-type': 'text/html' });
      res.end('<html><body><h1>503 Service Temporarily Unavailable</h1><hr><center>nginx</center></body></html>');
    });
    const error = await rejection(createResponse(ask('q'), options(server.fake)));
    assert.equal(sentence(error), 'The gateway in front of AnyAPI failed (HTTP 503). This is on the server side: try again later.');
    assert.equal(cloudflarePage(502, 'h').includes('Cloudflare'), true);
  });

  it('200 text/html (base URL points at the web page): check anyapi.baseUrl', async () => {
    const error = await rejection(createResponse(ask('x [[fake:html200]]'), options(server.fake)));
    assert.equal(error.kind, 'wrongBaseUrl');
    assert.equal(
      sentence(error),
      `The base URL points at a web page, not the AnyAPI API (${server.fake.url}/v1/responses returned an HTML page). Check anyapi.baseUrl — it should be like https://www.anyapi.vip.`,
    );
  });

  it('a base URL with a wrong path gets the console page and the same advice', async () => {
    const error = await rejection(createResponse(ask('q'), options(server.fake, { baseUrl: `${server.fake.url}/console` })));
    assert.equal(error.kind, 'wrongBaseUrl');
    assert.match(sentence(error), /Check anyapi\.baseUrl — it should be like https:\/\/www\.anyapi\.vip\.$/);
  });

  it('404 on an unknown route names the URL', async () => {
    const error = await rejection(listModels({ ...options(server.fake), baseUrl: `${server.fake.url}/v1/v2` }));
    assert.equal(error.kind, 'notFound');
    assert.equal(
      sentence(error),
      `AnyAPI could not find ${server.fake.url}/v1/v2/v1/models (server said: Invalid URL (GET /v1/v2/v1/models)). Check anyapi.baseUrl and the model (“AnyAPI: Select Model”).`,
    );
  });

  it('a redirect is reported without advising its target, and is not followed', async () => {
    server.fake.enqueue(({ res }) => {
      res.writeHead(301, { location: 'https://www.anyapi.vip/v1/responses' });
      res.end();
    });
    const error = await rejection(createResponse(ask('q'), options(server.fake)));
    assert.equal(error.kind, 'wrongBaseUrl');
    assert.equal(error.reason, 'redirect');
    assert.equal(server.fake.requests.length, 1, 'the redirect was followed');
    assert.equal(
      sentence(error),
      `${server.fake.url}/v1/responses answered with a redirect (HTTP 301). AnyAPI requests never follow redirects: the key would go wherever it points. Check anyapi.baseUrl — it should be like https://www.anyapi.vip.`,
    );
    assert.ok(!sentence(error).includes('www.anyapi.vip/v1/responses'), 'the sentence repeats the address the server chose');
  });

  it('ECONNREFUSED: could not reach the host, check base URL / network / proxy', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await rejection(createResponse(ask('q'), { baseUrl: `http://127.0.0.1:${port}`, apiKey: testKey, maxRetries: 0 }));
    assert.equal(error.kind, 'network');
    assert.equal(error.code, 'ECONNREFUSED');
    assert.equal(sentence(error), `Could not reach 127.0.0.1:${port} (ECONNREFUSED). Check anyapi.baseUrl, your network or proxy (http.proxy).`);
  });

  it('ENOTFOUND: could not reach the host, not retried', async () => {
    const retries: number[] = [];
    const error = await rejection(
      createResponse(ask('q'), { baseUrl: 'https://no-such-host.invalid', apiKey: testKey, maxRetries: 2, onRetry: (r) => retries.push(r.attempt) }),
    );
    assert.equal(error.kind, 'network');
    assert.ok(error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN', String(error.code));
    assert.match(sentence(error), /^Could not reach no-such-host\.invalid \((ENOTFOUND|EAI_AGAIN)\)\. Check anyapi\.baseUrl, your network or proxy \(http\.proxy\)\.$/);
    if (error.code === 'ENOTFOUND') assert.deepEqual(retries, []);
  });

  it('the key appears in no error, stack or log line, whatever fails', async () => {
    const key = `${testKey}-LEAKCHECK`;
    // A relay that echoes the key back in its error message.
    server.fake.enqueue(({ res }) => sendJson(res, 400, { error: { message: `Incorrect API key provided: ${key}`, type: 'invalid_request_error', code: 'invalid_api_key' } }));
    const logger = recordingLogger();
    const errors: ApiError[] = [];
    const run = async (p: Promise<unknown>): Promise<void> => {
      errors.push(await rejection(p));
    };
    const opts = options(server.fake, { apiKey: key, logger, maxRetries: 1 });
    await run(createResponse(ask('q'), opts));
    await run(createResponse(ask('q [[fake:error-401]]'), opts));
    await run(createResponse(ask('q [[fake:error-429]]', { stream: true }), opts));
    await run(createResponse(ask('q [[fake:error-502]]'), opts));
    await run(createResponse(ask('q [[fake:stream-error]]', { stream: true }), opts));
    await run(createResponse(ask('q [[fake:truncated]]', { stream: true }), opts));
    await run(createResponse(ask('q [[fake:html200]]'), opts));
    await run(createResponse(ask('q'), { ...opts, baseUrl: 'http://127.0.0.1:1' }));
    await run(listModels({ ...opts, baseUrl: `${server.fake.url}/nope/v2` }));
    await run(probeConnection({ ...opts, apiKey: `bad-${key}` }));
    assert.equal(errors.length, 10);
    assert.match(errors[0].message, /Incorrect API key provided: sk-…HECK/);
    for (const error of errors) assertNoKey(key, error, logger.lines);
    assert.ok(logger.lines.length > 10);
    assert.ok(logger.lines.some((l) => l.includes('sk-…HECK')), 'the masked key may appear');
    // The key went only where it belongs: the Authorization header (recorded as a marker by the fake).
    for (const request of server.fake.requests) {
      assert.ok(!JSON.stringify(request.body ?? '').includes(key));
      assert.ok(['<valid key>', '<invalid key>'].includes(request.headers.authorization ?? ''));
    }
  });
});
