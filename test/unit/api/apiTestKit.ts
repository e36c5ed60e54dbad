/** Shared setup for the client tests: a fake AnyAPI per suite, a recording logger, small helpers. */
import * as assert from 'node:assert/strict';
import { ApiError, closeConnections } from '../../../src/api';
import type { ClientOptions, Logger, ResponseRequest } from '../../../src/api';
import type { Translator } from '../../../src/errors/catalogue';
import { describeFailure } from '../../../src/errors/catalogue';
import { startFakeAnyApi } from '../../support/fakeAnyApi';
import type { FakeAnyApi } from '../../support/fakeAnyApi';

export const testKey = 'sk-test-0123456789abcdefSECRET';
export const badKey = 'sk-live-9876543210fedcbaSECRET';

export interface RecordingLogger extends Logger {
  lines: string[];
}

export function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  return {
    lines,
    debug: (m) => lines.push(`debug ${m}`),
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
}

/** Starts one fake AnyAPI for the surrounding `describe`, reset between tests. */
export function useFakeAnyApi(): { readonly fake: FakeAnyApi } {
  const holder: { fake?: FakeAnyApi } = {};
  before(async () => {
    holder.fake = await startFakeAnyApi();
  });
  afterEach(() => holder.fake?.reset());
  after(async () => {
    await holder.fake?.close();
    await closeConnections();
  });
  return {
    get fake(): FakeAnyApi {
      if (!holder.fake) throw new Error('fake AnyAPI not started');
      return holder.fake;
    },
  };
}

export function ask(content: string, extra: Partial<ResponseRequest> = {}): ResponseRequest {
  return { model: 'gpt-5.1', input: [{ role: 'user', content }], ...extra };
}

export function options(fake: FakeAnyApi, extra: Partial<ClientOptions> = {}): ClientOptions {
  return { baseUrl: fake.url, apiKey: testKey, maxRetries: 0, retryBaseDelayMs: 5, ...extra };
}

/** Awaits a rejection and returns it as an ApiError (fails the test otherwise). */
export async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ApiError, `expected an ApiError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the promise to reject');
}

/** The key must not appear anywhere a user or a log reader could see it. */
export function assertNoKey(key: string, error: ApiError | undefined, lines: string[]): void {
  if (error) {
    assert.ok(!error.message.includes(key), `key in message: ${error.message}`);
    assert.ok(!(error.stack ?? '').includes(key), 'key in stack');
    assert.ok(!(error.serverMessage ?? '').includes(key), 'key in serverMessage');
    assert.ok(!JSON.stringify(error).includes(key), 'key in serialised error');
  }
  for (const line of lines) {
    assert.ok(!line.includes(key), `key in log line: ${line}`);
  }
}

/** The catalogue in English, as an English display language shows it: placeholders filled in. */
export const english = {
  t: (message: string, ...args: (string | number | boolean)[]): string => message.replace(/\{(\d+)\}/g, (_, index: string) => String(args[Number(index)])),
} as Translator;

/** What the user reads for this failure: the one catalogue's sentence, in English. */
export function sentence(error: ApiError): string {
  return describeFailure(error, english).message;
}
