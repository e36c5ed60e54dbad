import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createResponse } from '../../../src/api';
import { codeAnswer, fakeCodeSnippet, hostileAnswer, longAnswer } from '../../support/fakeAnswers';
import { ask, options, rejection, testKey, useFakeAnyApi } from './apiTestKit';

/** The raw HTTP exchange, to check what the fake sends on the wire. */
async function post(url: string, body: unknown, key = testKey): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('fake AnyAPI server', () => {
  const server = useFakeAnyApi();

  it('streams Responses SSE with every event type, the right headers and a request id', async () => {
    const { status, headers, text } = await post(`${server.fake.url}/v1/responses`, { model: 'gpt-5.1', input: [{ role: 'user', content: 'Hi' }], stream: true });
    assert.equal(status, 200);
    assert.equal(headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.match(headers.get('x-oneapi-request-id') ?? '', /^\d{23}$/);
    const types = [...text.matchAll(/^event: (.+)$/gm)].map((m) => m[1]);
    for (const type of [
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]) {
      assert.ok(types.includes(type), `missing ${type}`);
    }
    assert.equal(types.at(-1), 'response.completed');
    assert.ok(text.startsWith(': keep-alive\n\n'));
  });

  it('records requests with the key replaced by a marker', async () => {
    await post(`${server.fake.url}/v1/responses`, { model: 'm', input: [{ role: 'user', content: 'x' }] }, 'sk-wrong');
    const [record] = server.fake.requests;
    assert.equal(record.headers.authorization, '<invalid key>');
    assert.equal(record.keyValid, false);
    assert.deepEqual(record.body, { model: 'm', input: [{ role: 'user', content: 'x' }] });
    assert.equal(await record.ended, false);
    assert.ok(!JSON.stringify(server.fake.requests).includes('sk-wrong'));
  });

  it('[[fake:code]] answers with a fenced ts block of known content', async () => {
    const result = await createResponse(ask('Write add [[fake:code]]', { stream: true }), options(server.fake));
    assert.equal(result.text, codeAnswer('Write add'));
    assert.ok(result.text.includes('```ts\n' + fakeCodeSnippet + '\n```'));
  });

  it('[[fake:hostile]] answers with the hostile markdown', async () => {
    const result = await createResponse(ask('[[fake:hostile]]'), options(server.fake));
    assert.equal(result.text, hostileAnswer);
    assert.match(result.text, /<script>/);
  });

  it('[[fake:long:N]] answers N bytes of markdown', async () => {
    const result = await createResponse(ask('[[fake:long:5000]]'), options(server.fake));
    assert.equal(result.text, longAnswer(5000));
    assert.ok(Buffer.byteLength(result.text) >= 5000 && Buffer.byteLength(result.text) < 5200);
  });

  it('[[fake:error-NNN]] works on /v1/chat/completions too', async () => {
    const error = await rejection(createResponse(ask('[[fake:error-401]]'), options(server.fake, { endpoint: 'chatCompletions' })));
    assert.equal(error.status, 401);
    assert.equal(server.fake.requests[0].path, '/v1/chat/completions');
  });

  it('enqueued handlers run first, in order, then the default behaviour', async () => {
    server.fake.enqueue(({ res }) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ message: { content: 'scripted 1' } }] }));
    });
    server.fake.enqueue((x) => x.playDefault());
    assert.equal((await createResponse(ask('a'), options(server.fake))).text, 'scripted 1');
    assert.equal((await createResponse(ask('b'), options(server.fake))).text, '**Echo:** b\n\nThis is the fake AnyAPI answer (model `gpt-5.1`).');
    assert.equal((await createResponse(ask('c'), options(server.fake))).text, '**Echo:** c\n\nThis is the fake AnyAPI answer (model `gpt-5.1`).');
  });

  it('runs standalone, prints its URL and stops on SIGTERM', async () => {
    const main = path.join(__dirname, '..', '..', 'support', 'fakeAnyApiMain.js');
    const child = spawn(process.execPath, [main], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /FAKE_ANYAPI_URL=(http:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
          if (match) resolve(match[1]);
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
      });
      const result = await createResponse(ask('Standalone'), { baseUrl: url, apiKey: testKey });
      assert.equal(result.text, '**Echo:** Standalone\n\nThis is the fake AnyAPI answer (model `gpt-5.1`).');
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    }
  });
});
