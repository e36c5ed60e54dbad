import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FakeAnyApi } from '../support/fakeAnyApi';
import { startFakeAnyApi } from '../support/fakeAnyApi';
import type { AnyApiTestSurface, LocalServer } from './helpers';
import { activateExtension, closedPort, getJson, setUserBaseUrl, startWebPageServer, testConnection, uniqueKey } from './helpers';

describe('Test Connection', () => {
  let api: AnyApiTestSurface;
  let fake: FakeAnyApi;
  let webPage: LocalServer;

  before(async () => {
    api = await activateExtension();
    fake = await startFakeAnyApi();
    webPage = await startWebPageServer();
  });

  after(async () => {
    await setUserBaseUrl(undefined);
    await vscode.commands.executeCommand('anyapi.clearApiKey', { confirm: false });
    await webPage?.close();
    await fake?.close();
  });

  it('reports URL, status, latency, model count and the masked key against a working server', async () => {
    const key = uniqueKey('sk-test-valid');
    await vscode.commands.executeCommand('anyapi.setApiKey', key);
    await setUserBaseUrl(fake.url);
    const served = (await getJson(`${fake.url}/v1/models`, { authorization: `Bearer ${key}` })) as { data: unknown[] };

    const result = await testConnection();

    assert.strictEqual(result.ok, true, result.message);
    assert.ok(result.url?.startsWith(fake.url), `tested ${result.url}, expected the configured ${fake.url}`);
    assert.strictEqual(result.status, 200);
    assert.strictEqual(typeof result.latencyMs, 'number');
    assert.strictEqual(result.modelCount, served.data.length);
    assert.ok(result.maskedKey && !result.maskedKey.includes(key) && result.maskedKey.endsWith(key.slice(-4)), `masked key ${result.maskedKey}`);
    assert.ok(!result.message.includes(key), 'the message shows the whole key');
    assert.ok(fake.requests.some((request) => request.method === 'GET' && request.path.endsWith('/models')), 'the server saw no GET /v1/models');
  });

  it('loads the HTTP client on first use', () => {
    assert.strictEqual(api.isClientLoaded(), true);
    assert.ok(Object.keys(require.cache).some((key) => key.endsWith(`${path.sep}dist${path.sep}api.js`)), 'dist/api.js not in require.cache');
  });

  it('says the key was rejected, in the server’s own words, when the server answers 401', async () => {
    const key = uniqueKey('wrong-key');
    await vscode.commands.executeCommand('anyapi.setApiKey', key);
    await setUserBaseUrl(fake.url);

    const result = await testConnection();

    assert.strictEqual(result.ok, false);
    assert.strictEqual(result.status, 401);
    assert.strictEqual(result.errorKind, 'auth');
    assert.match(result.message, /API key/);
    assert.ok(result.message.includes('无效的令牌'), `the server's message is missing: ${result.message}`);
    assert.ok(!result.message.includes(key), 'the message shows the whole key');
  });

  it('points at the base URL when the server answers with a web page', async () => {
    await vscode.commands.executeCommand('anyapi.setApiKey', uniqueKey('sk-test-valid'));
    await setUserBaseUrl(webPage.url);

    const result = await testConnection();

    assert.strictEqual(result.ok, false);
    assert.strictEqual(result.errorKind, 'wrongBaseUrl');
    assert.match(result.message, /web page/);
    assert.match(result.message, /anyapi\.baseUrl/);
    assert.ok(webPage.requests.length > 0, 'the web page server saw no request');
  });

  it('says it could not reach the server when nothing listens', async () => {
    await vscode.commands.executeCommand('anyapi.setApiKey', uniqueKey('sk-test-valid'));
    await setUserBaseUrl(`http://127.0.0.1:${await closedPort()}`);

    const result = await testConnection();

    assert.strictEqual(result.ok, false);
    assert.strictEqual(result.errorKind, 'network');
    assert.match(result.message, /Could not reach/);
  });

  it('asks for a key when none is set', async () => {
    await vscode.commands.executeCommand('anyapi.clearApiKey', { confirm: false });
    await setUserBaseUrl(fake.url);
    const before = fake.requests.length;

    const result = await testConnection();

    assert.strictEqual(result.ok, false);
    assert.match(result.message, /Set API Key/);
    assert.strictEqual(fake.requests.length, before, 'a request was sent without a key');
  });

  it('asks before the key would travel over plain http:// to another machine, and sends nothing when not allowed', async () => {
    await vscode.commands.executeCommand('anyapi.setApiKey', uniqueKey('sk-test-valid'));
    // A relay on a bare name over http:// (it resolves nowhere: nothing may even be attempted).
    await setUserBaseUrl('http://relay-over-http.invalid:3000');
    const started = Date.now();

    // The extension test host answers every modal dialog with Cancel: the user did not allow it.
    const result = await testConnection();

    assert.strictEqual(result.ok, false);
    assert.strictEqual(result.errorKind, 'insecureBaseUrl');
    assert.match(result.message, /Nothing was sent: relay-over-http\.invalid:3000 is reached over plain http:\/\//);
    assert.ok(Date.now() - started < 5_000, 'it waited for a connection');
  });
});
