import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ApiErrorKind, ApiErrorReason } from '../../../src/api/errors';
import type { FailureFacts, Translator } from '../../../src/errors/catalogue';
import { catalogueReasons, describeFailure, offersRetry } from '../../../src/errors/catalogue';
import { english } from '../api/apiTestKit';

const bundle = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../l10n/bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;

/** Simplified Chinese as VS Code shows it: the bundle's sentence with the same placeholders filled in. */
const chinese = {
  t: (message: string, ...args: (string | number | boolean)[]): string => {
    const translated = bundle[message];
    assert.ok(translated, `no Chinese for: ${message}`);
    return english.t(translated, ...args);
  },
} as Translator;

/** A failure with every specific a sentence may name. */
function failure(reason: ApiErrorReason, kind: ApiErrorKind = 'server'): FailureFacts {
  return {
    kind,
    reason,
    status: 503,
    code: 'ERR_SPECIFIC',
    serverMessage: '当前分组上游负载已饱和',
    facts: {
      host: 'relay.example:8443',
      url: 'https://relay.example:8443/v1/responses',
      proxy: 'proxy.local:7890',
      proxyStatus: 502,
      timeoutMs: 120_000,
      gateway: 'Cloudflare',
      model: 'o3-pro',
      baseUrl: 'ftp://relay.example',
      detail: 'ECONNREFUSED',
    },
  };
}

/** The specifics of a failure that a sentence names: they must survive translation. */
const specifics = ['relay.example:8443', 'https://relay.example:8443/v1/responses', 'proxy.local:7890', '502', '503', '120 s', 'Cloudflare', 'o3-pro', 'ftp://relay.example', 'ECONNREFUSED', 'ERR_SPECIFIC', '当前分组上游负载已饱和'];

describe('errors: the one catalogue of failure sentences', () => {
  it('has a sentence for every reason, in English and in Chinese, with the same specifics and the same next steps', () => {
    assert.ok(catalogueReasons.length >= 40, 'the catalogue lists its reasons');
    for (const reason of catalogueReasons) {
      const inEnglish = describeFailure(failure(reason), english);
      const inChinese = describeFailure(failure(reason), chinese);
      assert.ok(inEnglish.message.trim().length > 0, reason);
      assert.notEqual(inChinese.message, inEnglish.message, `${reason} is not translated`);
      for (const specific of specifics) {
        if (inEnglish.message.includes(specific)) {
          assert.ok(inChinese.message.includes(specific), `${reason}: the Chinese sentence lacks “${specific}”: ${inChinese.message}`);
        }
      }
      assert.deepEqual(inChinese.actions, inEnglish.actions, reason);
      assert.ok(!/\{\d+\}/.test(inEnglish.message + inChinese.message), `${reason}: a placeholder is left unfilled`);
    }
  });

  it('offers Retry wherever retrying can help, first, and nowhere else', () => {
    for (const reason of catalogueReasons) {
      const { actions } = describeFailure(failure(reason), english);
      assert.equal(actions.includes('retry'), offersRetry(reason), reason);
      if (offersRetry(reason)) assert.equal(actions[0], 'retry', reason);
    }
    for (const reason of ['stopped', 'tooLarge', 'emptyConversation'] as const) {
      assert.equal(offersRetry(reason), false, reason);
    }
    for (const reason of ['quotaExhausted', 'rateLimited', 'gatewayTimeout', 'keyRejected', 'cutOff'] as const) {
      assert.equal(offersRetry(reason), true, reason);
    }
  });

  it('names the server’s own words, else the HTTP status', () => {
    assert.match(describeFailure(failure('serverError'), english).message, /HTTP 503; server said: 当前分组上游负载已饱和/);
    const withoutWords: FailureFacts = { ...failure('rateLimited'), serverMessage: undefined };
    assert.equal(describeFailure(withoutWords, english).message, 'AnyAPI is limiting the request rate (HTTP 503). Wait a moment and try again.');
  });
  it('a request too long for the model: in the chat, New Chat and Retry With Fewer Turns and no plain Retry, in both languages', () => {
    const tooLong: FailureFacts = { ...failure('tooLarge', 'badRequest'), serverMessage: 'Your input exceeds the context window of this model.', inConversation: true };
    for (const l10n of [english, chinese]) {
      const sentence = describeFailure(tooLong, l10n);
      assert.deepStrictEqual(sentence.actions, ['newChat', 'retryFewerTurns', 'showLog']);
      assert.match(sentence.message, /Your input exceeds the context window of this model\./);
    }
    assert.match(describeFailure(tooLong, english).message, /^The conversation is too long for the model/);
    assert.doesNotMatch(describeFailure(tooLong, english).message, /temperature|maxOutputTokens/);
    const command = describeFailure({ ...tooLong, inConversation: false }, english);
    assert.deepStrictEqual(command.actions, ['showLog']);
    assert.match(command.message, /Select less code/);
  });
});
