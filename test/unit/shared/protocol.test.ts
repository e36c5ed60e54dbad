import * as assert from 'assert';
import type { HostMessage, TurnView } from '../../../src/shared/protocol';
import { MAX_ANSWER_VERSIONS, errorActionsFor, isSupersededBySnapshot, parseWebviewMessage, restoredInput, showingVersion } from '../../../src/shared/protocol';

describe('chat view protocol', () => {
  it('accepts every well-formed message from the webview', () => {
    const messages: unknown[] = [
      { type: 'ready' },
      { type: 'send', text: 'hello' },
      { type: 'editLast', text: 'hello again' },
      { type: 'editLast', text: 'hello again', turnId: 't2' },
      { type: 'errorAction', action: 'retryFewerTurns', turnId: 't1' },
      { type: 'errorAction', action: 'newChat', turnId: 't1' },
      { type: 'stop' },
      { type: 'regenerate' },
      { type: 'showVersion', turnId: 't1', index: 0 },
      { type: 'errorAction', action: 'retry', turnId: 't1' },
      { type: 'command', command: 'setApiKey' },
      { type: 'copy', text: 'code' },
      { type: 'insertCode', code: 'x', mode: 'replace' },
      { type: 'openLink', href: 'https://example.com' },
    ];
    for (const message of messages) {
      assert.deepStrictEqual(parseWebviewMessage(message), message);
    }
  });

  it('refuses malformed or unknown messages (the webview shows untrusted model output)', () => {
    const bad: unknown[] = [
      null,
      'send',
      {},
      { type: 'eval', code: 'x' },
      { type: 'send' },
      { type: 'send', text: 42 },
      { type: 'insertCode', code: 'x', mode: 'overwriteFile' },
      { type: 'errorAction', action: 'runShell', turnId: 't1' },
      // Which turn a Retry is for must be said: without it the host would rewrite whatever turn is last.
      { type: 'errorAction', action: 'retry' },
      { type: 'showVersion', index: 1 },
      { type: 'showVersion', turnId: 't1', index: -1 },
      { type: 'showVersion', turnId: 't1', index: 1.5 },
      { type: 'showVersion', turnId: 't1', index: '1' },
      { type: 'showVersion', turnId: 't1', index: MAX_ANSWER_VERSIONS },
      { type: 'command', command: 'workbench.action.terminal.new' },
      { type: 'openLink', href: { toString: () => 'javascript:x' } },
    ];
    for (const message of bad) {
      assert.strictEqual(parseWebviewMessage(message), undefined, JSON.stringify(message));
    }
  });

  it('drops only extra fields, keeping the message', () => {
    assert.deepStrictEqual(parseWebviewMessage({ type: 'stop', extra: '<script>' }), { type: 'stop' });
  });

  it('lets a snapshot replace queued state messages but not queued requests to focus or restore input', () => {
    const turn = { id: 't', question: 'q', answer: '', state: 'streaming' as const };
    const superseded: HostMessage[] = [
      { type: 'status', status: { hasKey: true, model: 'm' } },
      { type: 'conversation', conversation: { id: 'c', title: '', turns: [] } },
      { type: 'turnStarted', conversationId: 'c', turn },
      { type: 'delta', conversationId: 'c', turnId: 't', text: 'x' },
      { type: 'done', conversationId: 'c', turn: { ...turn, state: 'done' } },
      { type: 'error', conversationId: 'c', turn: { ...turn, state: 'error' } },
    ];
    for (const message of superseded) {
      assert.strictEqual(isSupersededBySnapshot(message), true, message.type);
    }
    assert.strictEqual(isSupersededBySnapshot({ type: 'focusInput' }), false);
    assert.strictEqual(isSupersededBySnapshot({ type: 'restoreInput', text: 'q' }), false);
  });

  it('offers Retry only under the last failed answer; older failed turns keep their other next steps', () => {
    assert.deepStrictEqual(errorActionsFor(['retry', 'setApiKey', 'showLog'], true), ['retry', 'setApiKey', 'showLog']);
    assert.deepStrictEqual(errorActionsFor(['retry', 'setApiKey', 'showLog'], false), ['setApiKey', 'showLog']);
    assert.deepStrictEqual(errorActionsFor(['newChat', 'retryFewerTurns', 'showLog'], false), ['showLog']);
    assert.deepStrictEqual(errorActionsFor(['retry'], false), []);
  });

  it('puts a refused question back without dropping what was typed meanwhile', () => {
    assert.strictEqual(restoredInput('', 'first question'), 'first question');
    assert.strictEqual(restoredInput('  \n', 'first question'), 'first question');
    assert.strictEqual(restoredInput('a new draft\n', 'first question'), 'a new draft\n\nfirst question');
    assert.strictEqual(restoredInput('first question', 'first question'), 'first question');
  });

  it('pages a turn to another of its answers: its fields, the others in order, and no notice of a failed Regenerate', () => {
    const turn: TurnView = {
      id: 't',
      question: 'q',
      answer: 'second',
      state: 'done',
      model: 'm2',
      attemptError: { message: 'HTTP 502', actions: ['retry'] },
      versions: [{ answer: 'first', state: 'done', model: 'm1', usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } }, { answer: 'third', state: 'stopped' }],
      versionIndex: 1,
    };
    assert.deepStrictEqual(showingVersion(turn, 0), {
      id: 't',
      question: 'q',
      answer: 'first',
      state: 'done',
      model: 'm1',
      usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 },
      versions: [{ answer: 'second', state: 'done', model: 'm2' }, { answer: 'third', state: 'stopped' }],
      versionIndex: 0,
    });
    assert.strictEqual(showingVersion(turn, 3), undefined);
    assert.strictEqual(showingVersion(turn, -1), undefined);
    assert.strictEqual(showingVersion({ ...turn, state: 'streaming' }, 0), undefined, 'a turn being written is not paged');
  });
});
