import * as assert from 'assert';
import { useWorkbench } from './support/workbench';

// The development build, loaded through the smoke-test driver (notifications are read in the notification center).
describe('Key and Test Connection, as a person does it (development build)', () => {
  const workbench = useWorkbench({ extension: 'development', files: { 'hello.js': "console.log('hello');\n" } });
  const key = 'sk-test-ui-person-4821';

  it('Set API Key asks for the key in a password box and confirms it was saved', async () => {
    const wb = workbench();
    await wb.runCommand('AnyAPI: Set API Key');
    await wb.answerInputBox(key, { password: true, screenshot: 'set-api-key' });
    const saved = await wb.notification(/key is saved in secret storage/);
    assert.ok(!(await saved.innerText()).includes(key), 'the notification shows the key');
  });

  it('Test Connection shows the server, status, models and the masked key', async () => {
    const wb = workbench();
    await wb.clearNotifications();
    await wb.runCommand('AnyAPI: Test Connection');
    const result = await wb.notification(/Connected to/);
    const text = await result.innerText();
    assert.ok(text.includes(new URL(wb.fake.url).host), `no server address in: ${text}`);
    assert.match(text, /HTTP 200/);
    assert.match(text, /4821/);
    assert.ok(!text.includes(key), 'the notification shows the whole key');
    assert.strictEqual(wb.fake.requests.filter((request) => request.path === '/v1/models').length, 1, 'one Test Connection, one request');
    await wb.notificationGone('Testing the connection');
    await wb.screenshot('test-connection-success');

    await wb.clearNotifications();
    await wb.setTheme('dark');
    await wb.runCommand('AnyAPI: Test Connection');
    await wb.notification(/Connected to/);
    await wb.notificationGone('Testing the connection');
    await wb.screenshot('test-connection-success');
    await wb.setTheme('light');
  });

  it('Test Connection with a key the server refuses says so, in the server’s words, with a way to fix it', async () => {
    const wb = workbench();
    await wb.runCommand('AnyAPI: Set API Key');
    await wb.answerInputBox('not-a-valid-key-0000', { password: true });
    await wb.clearNotifications();
    await wb.runCommand('AnyAPI: Test Connection');
    const error = await wb.notification(/rejected the API key/);
    const text = await error.innerText();
    assert.ok(text.includes('无效的令牌'), `the server's message is missing: ${text}`);
    await error.getByRole('button', { name: 'Set API Key' }).waitFor({ state: 'visible' });
    await wb.notificationGone('Testing the connection');
    await wb.screenshot('test-connection-wrong-key');
  });
});
