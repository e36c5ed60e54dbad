import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { createResponse, listModels } from '../../../src/api';
import { bypassesProxy, connectTunnel, proxyFor } from '../../../src/api/proxy';
import type { ApiError } from '../../../src/api';
import { startConnectProxy, startHangUpProxy, startScriptedProxy, startSilentProxy } from '../../support/connectProxy';
import type { ConnectProxy, ScriptedProxy } from '../../support/connectProxy';
import { startSocksProxy } from '../../support/socksProxy';
import type { SocksProxy } from '../../support/socksProxy';
import { ask, options, recordingLogger, rejection, sentence, useFakeAnyApi } from './apiTestKit';

const proxyEnvNames = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'];

describe('api: proxy', () => {
  const server = useFakeAnyApi();
  let proxy: ConnectProxy;
  let savedEnv: Record<string, string | undefined>;

  beforeEach(async () => {
    proxy = await startConnectProxy();
    savedEnv = Object.fromEntries(proxyEnvNames.map((name) => [name, process.env[name]]));
    for (const name of proxyEnvNames) delete process.env[name];
  });
  afterEach(async () => {
    for (const name of proxyEnvNames) {
      if (savedEnv[name] === undefined) delete process.env[name];
      else process.env[name] = savedEnv[name];
    }
    await proxy.close();
  });

  it('goes through the configured proxy (http.proxy)', async () => {
    const logger = recordingLogger();
    const result = await createResponse(ask('Via proxy', { stream: true }), options(server.fake, { proxy: { url: proxy.url }, logger }));
    assert.equal(result.text, '**Echo:** Via proxy\n\nThis is the fake AnyAPI answer (model `gpt-5.1`).');
    assert.deepEqual(proxy.tunnels, [`127.0.0.1:${server.fake.port}`]);
    assert.ok(logger.lines.includes(`debug via proxy ${proxy.url}`));
  });

  it('bypasses the configured proxy for hosts in noProxy', async () => {
    const result = await createResponse(ask('Direct'), options(server.fake, { proxy: { url: proxy.url, noProxy: 'localhost, 127.0.0.1' } }));
    assert.equal(result.text, '**Echo:** Direct\n\nThis is the fake AnyAPI answer (model `gpt-5.1`).');
    assert.deepEqual(proxy.tunnels, []);
    assert.equal(server.fake.requests.length, 1);
  });

  it('takes HTTP_PROXY from the environment', async () => {
    process.env.HTTP_PROXY = proxy.url;
    const models = await listModels(options(server.fake));
    assert.equal(models.length, 5);
    assert.deepEqual(proxy.tunnels, [`127.0.0.1:${server.fake.port}`]);
  });

  it('honours NO_PROXY from the environment', async () => {
    process.env.http_proxy = proxy.url;
    process.env.NO_PROXY = '127.0.0.1';
    const models = await listModels(options(server.fake));
    assert.equal(models.length, 5);
    assert.deepEqual(proxy.tunnels, []);
  });

  it('sends the user and password of the proxy URL as Basic Proxy-Authorization', async () => {
    const basic = `Basic ${Buffer.from('alice:p@ss').toString('base64')}`;
    const guarded = await startConnectProxy({ requireAuth: basic });
    try {
      const withAuth = guarded.url.replace('http://', 'http://alice:p%40ss@');
      const logger = recordingLogger();
      await listModels(options(server.fake, { proxy: { url: withAuth }, logger }));
      assert.deepEqual(guarded.authorizations, [basic]);
      assert.equal(guarded.tunnels.length, 1);
      assert.ok(logger.lines.every((l) => !l.includes('p%40ss') && !l.includes('alice')), 'proxy credentials are not logged');
    } finally {
      await guarded.close();
    }
  });

  it('407 from the proxy: says to check http.proxy credentials', async () => {
    const guarded = await startConnectProxy({ requireAuth: 'Basic nope' });
    try {
      const error = await rejection(listModels(options(server.fake, { proxy: { url: guarded.url }, maxRetries: 2 })));
      assert.equal(error.kind, 'network');
      assert.equal(error.retryable, false);
      assert.equal(
        sentence(error),
        `The proxy ${guarded.url.slice('http://'.length)} asked for credentials (HTTP 407). Check http.proxy and its user name and password.`,
      );
      assert.equal(guarded.authorizations.length, 1);
    } finally {
      await guarded.close();
    }
  });

  it('an unreachable proxy is named in the message', async () => {
    const gone = net.createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    const { port } = gone.address() as AddressInfo;
    await new Promise<void>((resolve) => gone.close(() => resolve()));
    const error = await rejection(listModels(options(server.fake, { proxy: { url: `127.0.0.1:${port}` } })));
    assert.equal(error.kind, 'network');
    assert.equal(
      sentence(error),
      `Could not reach 127.0.0.1:${server.fake.port} through the proxy 127.0.0.1:${port} (ECONNREFUSED). Check anyapi.baseUrl, your network or proxy (http.proxy).`,
    );
  });

  it('hands over the bytes that arrive with the proxy\'s 200, and sends CONNECT with Host', async () => {
    const eager = await startScriptedProxy((socket) => socket.write('HTTP/1.1 200 Connection Established\r\nVia: test\r\n\r\nserver speaks first'));
    try {
      const connect = connectTunnel({ proxyUrl: eager.url, connectTimeoutMs: 2000, strictSSL: true });
      const tunnel = await new Promise<net.Socket>((resolve, reject) => {
        connect({ protocol: 'http:', hostname: '127.0.0.1', port: '8080' }, (error, socket) => (error ? reject(error) : resolve(socket as net.Socket)));
      });
      try {
        const first = await Promise.race([
          new Promise<string>((resolve) => tunnel.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1'))).resume()),
          new Promise<string>((resolve) => setTimeout(() => resolve('(nothing)'), 1000)),
        ]);
        assert.equal(first, 'server speaks first');
        assert.deepEqual(eager.requests, ['CONNECT 127.0.0.1:8080 HTTP/1.1\r\nHost: 127.0.0.1:8080']);
      } finally {
        tunnel.destroy();
      }
    } finally {
      await eager.close();
    }
  });

  it('an answer to CONNECT that is not HTTP fails at once, without retries', async () => {
    const garbled = await startScriptedProxy((socket) => socket.write('x'.repeat(20 * 1024)));
    try {
      const error = await rejection(listModels(options(server.fake, { proxy: { url: garbled.url }, maxRetries: undefined, firstByteTimeoutMs: 3000 })));
      assert.equal(error.kind, 'network');
      assert.equal(error.reason, 'proxyRejected');
      assert.equal(error.retryable, false);
      assert.equal(garbled.connections(), 1);
      assert.match(sentence(error), /^The proxy 127\.0\.0\.1:\d+ refused the connection to 127\.0\.0\.1:\d+ \(its answer to CONNECT has not ended within 16 KB\)\. Check http\.proxy\.$/);
    } finally {
      await garbled.close();
    }
  });

  it('chooses the proxy by scheme and NO_PROXY rules', () => {
    const env = { HTTPS_PROXY: 'http://secure:3128', HTTP_PROXY: 'http://plain:3128', NO_PROXY: '.corp.example,internal:8443' };
    assert.equal(proxyFor('https://www.anyapi.vip/v1/responses', undefined, env), 'http://secure:3128');
    assert.equal(proxyFor('http://www.anyapi.vip/v1/responses', undefined, env), 'http://plain:3128');
    assert.equal(proxyFor('https://api.corp.example/v1', undefined, env), undefined);
    assert.equal(proxyFor('https://internal:8443/v1', undefined, env), undefined);
    assert.equal(proxyFor('https://internal/v1', undefined, env), 'http://secure:3128');
    assert.equal(proxyFor('https://www.anyapi.vip/v1', { url: 'proxy.local:8080' }, env), 'http://proxy.local:8080');
    assert.equal(proxyFor('https://www.anyapi.vip/v1', { url: 'http://p:1', noProxy: 'anyapi.vip' }, env), undefined);
    assert.equal(proxyFor('https://www.anyapi.vip/v1', undefined, {}), undefined);
    assert.equal(bypassesProxy(new URL('http://x.y'), '*'), true);
    assert.equal(bypassesProxy(new URL('http://notcorp.example'), '*.corp.example'), false);
    assert.equal(bypassesProxy(new URL('http://[::1]:80/'), '::1'), true);
  });
});

/** The client stops talking to the proxy once the request has ended (a connection already under way may finish). */
async function assertNoMoreConnections(proxy: ScriptedProxy): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 100));
  const after = proxy.connections();
  await new Promise((resolve) => setTimeout(resolve, 400));
  assert.equal(proxy.connections(), after, 'the client kept reconnecting to the proxy after the request ended');
}

/** Milliseconds until `promise` settles, and how it settled. */
async function settle(promise: Promise<unknown>): Promise<{ ms: number; error: ApiError | undefined }> {
  const started = Date.now();
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught as ApiError,
  );
  return { ms: Date.now() - started, error };
}

describe('api: a proxy that hangs up after CONNECT (a SOCKS-only port in http.proxy)', () => {
  const server = useFakeAnyApi();
  let proxy: ScriptedProxy;

  beforeEach(async () => {
    proxy = await startHangUpProxy();
  });

  afterEach(async () => {
    await proxy.close();
  });

  it('fails at once, with the default retries, and says to write it as socks5://', async () => {
    // maxRetries undefined: the client's default retries apply.
    const error = await rejection(
      createResponse(ask('q', { stream: true }), options(server.fake, { proxy: { url: proxy.url }, maxRetries: undefined, firstByteTimeoutMs: 3000 })),
    );
    const address = proxy.url.slice('http://'.length);
    assert.equal(error.kind, 'network');
    assert.equal(error.reason, 'proxyHungUp');
    assert.equal(error.retryable, false);
    assert.equal(error.facts.proxy, address);
    assert.equal(
      sentence(error),
      `The proxy ${address} closed the connection without answering CONNECT. If it is a SOCKS proxy, set http.proxy to socks5://${address}; otherwise check http.proxy.`,
    );
    assert.ok(proxy.connections() <= 3, `the client connected to the proxy ${proxy.connections()} times`);
    await assertNoMoreConnections(proxy);
  });
});

describe('api: a proxy that never answers CONNECT', () => {
  const server = useFakeAnyApi();
  let proxy: ScriptedProxy;

  beforeEach(async () => {
    proxy = await startSilentProxy();
  });

  afterEach(async () => {
    await proxy.close();
  });

  it('the connect timeout bounds the handshake through the proxy', async () => {
    const error = await rejection(
      listModels(options(server.fake, { proxy: { url: proxy.url }, connectTimeoutMs: 300, firstByteTimeoutMs: 3000, maxRetries: 0 })),
    );
    assert.equal(error.kind, 'timeout');
    assert.equal(error.reason, 'connectTimeout');
    assert.equal(error.timeout, 'connect');
    assert.equal(proxy.connections(), 1);
    await assertNoMoreConnections(proxy);
  });

  it('Stop ends the request within a second, and the proxy sees no more connections', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const { ms, error } = await settle(
      createResponse(ask('q', { stream: true }), options(server.fake, { proxy: { url: proxy.url }, signal: controller.signal, maxRetries: 0 })),
    );
    assert.equal(error?.kind, 'aborted');
    assert.ok(ms < 1300, `Stop took ${ms} ms`);
    await assertNoMoreConnections(proxy);
  });

  it('the first-byte timeout ends the request within a second of firing', async () => {
    const { ms, error } = await settle(
      createResponse(ask('q', { stream: true }), options(server.fake, { proxy: { url: proxy.url }, firstByteTimeoutMs: 400, maxRetries: 0 })),
    );
    assert.equal(error?.reason, 'firstByteTimeout');
    assert.ok(ms < 1400, `the timeout took ${ms} ms to end the request`);
    await assertNoMoreConnections(proxy);
  });
});

describe('api: SOCKS5 proxies (socks5:// in http.proxy, as v2ray and clash offer)', () => {
  const server = useFakeAnyApi();
  let socks: SocksProxy | undefined;

  afterEach(async () => {
    await socks?.close();
    socks = undefined;
  });

  it('streams an answer through a SOCKS5 proxy', async () => {
    socks = await startSocksProxy();
    const result = await createResponse(ask('Via socks', { stream: true }), options(server.fake, { proxy: { url: socks.url } }));
    assert.match(result.text, /Echo:\*\* Via socks/);
    assert.deepEqual(socks.connections, [`127.0.0.1:${server.fake.port}`]);
  });

  it('sends the user and password of the proxy URL, and says so when the proxy refuses them', async () => {
    socks = await startSocksProxy({ user: 'clash', password: 's3cret' });
    const models = await listModels(options(server.fake, { proxy: { url: socks.url } }));
    assert.ok(models.length > 0);
    const wrong = socks.url.replace('s3cret', 'wrong');
    const error = await rejection(createResponse(ask('q'), options(server.fake, { proxy: { url: wrong }, maxRetries: 0 })));
    assert.equal(error.kind, 'network');
    assert.equal(error.reason, 'proxyAuth');
    assert.match(sentence(error), /^The proxy 127\.0\.0\.1:\d+ asked for credentials \(.+\)\. Check http\.proxy and its user name and password\.$/);
    assert.ok(!sentence(error).includes('wrong'), 'the password is in the sentence');
  });

  it('http.proxySupport off: no proxy at all, not even one from the environment', async () => {
    socks = await startSocksProxy();
    const saved = process.env.HTTP_PROXY;
    process.env.HTTP_PROXY = socks.url;
    try {
      const result = await createResponse(ask('Direct'), options(server.fake, { proxy: { url: socks.url, disabled: true } }));
      assert.match(result.text, /Direct/);
      assert.deepEqual(socks.connections, []);
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = saved;
    }
  });
});

describe('api: http.proxyAuthorization', () => {
  const server = useFakeAnyApi();

  it('is sent as Proxy-Authorization to an HTTP proxy', async () => {
    const proxy = await startConnectProxy({ requireAuth: 'Basic dXNlcjpwYXNz' });
    try {
      const result = await createResponse(ask('Authorized'), options(server.fake, { proxy: { url: proxy.url, authorization: 'Basic dXNlcjpwYXNz' } }));
      assert.match(result.text, /Authorized/);
      assert.deepEqual(proxy.authorizations, ['Basic dXNlcjpwYXNz']);
    } finally {
      await proxy.close();
    }
  });

  it('wins over the user and password of the proxy URL', async () => {
    const proxy = await startConnectProxy({ requireAuth: 'Bearer proxy-token' });
    try {
      const withAuth = proxy.url.replace('http://', 'http://alice:secret@');
      await listModels(options(server.fake, { proxy: { url: withAuth, authorization: 'Bearer proxy-token' } }));
      assert.deepEqual(proxy.authorizations, ['Bearer proxy-token']);
    } finally {
      await proxy.close();
    }
  });
});
