import * as assert from 'assert';
import { appendTurn, createTurn, endAttempt, startNewVersion } from '../../../src/chat/conversation';
import type { KeyValueStorage } from '../../../src/chat/conversationStore';
import { ConversationStore, MAX_CONVERSATIONS, STORAGE_KEY, parseStoredState } from '../../../src/chat/conversationStore';

class MemoryStorage implements KeyValueStorage {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    // A round trip through JSON, as workspaceState does.
    const value = this.values.get(key);
    return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as T);
  }
  update(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
    return Promise.resolve();
  }
}

function ids(): () => string {
  let next = 0;
  return () => `id${++next}`;
}

describe('conversation persistence', () => {
  it('finds the conversations and the active one again after a reload', async () => {
    const storage = new MemoryStorage();
    let now = 1000;
    const store = new ConversationStore(storage, ids(), () => now++);
    const first = store.active();
    appendTurn(first, { ...createTurn('t1', 'First question', now++), answer: 'First answer', state: 'done', model: 'gpt-5.1' });
    const second = store.startNew();
    appendTurn(second, { ...createTurn('t2', 'Second question', now++), answer: 'Second', state: 'done' });
    store.setActive(first.id);
    await store.save();

    const reloaded = new ConversationStore(storage, ids());
    assert.strictEqual(reloaded.active().id, first.id);
    assert.deepStrictEqual(
      reloaded.list().map((conversation) => conversation.title),
      ['Second question', 'First question'],
    );
    assert.strictEqual(reloaded.active().turns[0].answer, 'First answer');
    assert.strictEqual(reloaded.active().turns[0].model, 'gpt-5.1');
  });

  it('keeps a question whose answer was still streaming when the window closed, marked as interrupted', async () => {
    const storage = new MemoryStorage();
    const store = new ConversationStore(storage, ids());
    const conversation = store.active();
    appendTurn(conversation, { ...createTurn('t1', 'Never lose me', 5), answer: 'half an ans' });
    await store.save();
    const turn = new ConversationStore(storage, ids()).active().turns[0];
    assert.strictEqual(turn.question, 'Never lose me');
    assert.strictEqual(turn.answer, 'half an ans');
    assert.strictEqual(turn.state, 'interrupted');
  });

  it('does not store empty conversations, and New Chat reuses an empty one', async () => {
    const storage = new MemoryStorage();
    const store = new ConversationStore(storage, ids());
    const empty = store.startNew();
    assert.strictEqual(store.startNew().id, empty.id);
    await store.save();
    assert.deepStrictEqual((storage.values.get(STORAGE_KEY) as { conversations: unknown[] }).conversations, []);
  });

  it('renames and deletes', async () => {
    const storage = new MemoryStorage();
    const store = new ConversationStore(storage, ids());
    const conversation = store.active();
    appendTurn(conversation, { ...createTurn('t', 'q', 1), state: 'done' });
    assert.ok(store.rename(conversation.id, '  My chat  '));
    assert.strictEqual(conversation.title, 'My chat');
    assert.strictEqual(conversation.titleEdited, true);
    await store.save();
    const reloaded = new ConversationStore(storage, ids());
    assert.strictEqual(reloaded.active().title, 'My chat');
    assert.ok(reloaded.delete(conversation.id));
    await reloaded.save();
    assert.strictEqual(new ConversationStore(storage, ids()).list().length, 0);
  });

  it(`keeps the ${MAX_CONVERSATIONS} most recent conversations`, async () => {
    const storage = new MemoryStorage();
    let now = 0;
    const store = new ConversationStore(storage, ids(), () => now++);
    for (let i = 0; i < MAX_CONVERSATIONS + 5; i++) {
      const conversation = store.startNew();
      appendTurn(conversation, { ...createTurn(`t${i}`, `q${i}`, now++), state: 'done' });
    }
    await store.save();
    const titles = new ConversationStore(storage, ids()).list().map((conversation) => conversation.title);
    assert.strictEqual(titles.length, MAX_CONVERSATIONS);
    assert.strictEqual(titles[0], `q${MAX_CONVERSATIONS + 4}`);
    assert.ok(!titles.includes('q0'));
  });

  it('survives broken or foreign stored data without failing', () => {
    assert.deepStrictEqual(parseStoredState(undefined), { conversations: [] });
    assert.deepStrictEqual(parseStoredState({ version: 99, conversations: [] }), { conversations: [] });
    const parsed = parseStoredState({
      version: 1,
      activeId: 'missing',
      conversations: [
        null,
        { id: 'ok', title: 'T', turns: [{ id: 't', question: 'q', answer: 'a', state: 'weird', usage: { inputTokens: 'x' } }, { nope: 1 }] },
        { title: 'no id' },
      ],
    });
    assert.strictEqual(parsed.activeId, undefined);
    assert.strictEqual(parsed.conversations.length, 1);
    assert.strictEqual(parsed.conversations[0].turns.length, 1);
    assert.strictEqual(parsed.conversations[0].turns[0].state, 'done');
    assert.strictEqual(parsed.conversations[0].turns[0].usage, undefined);
  });

  it('keeps errors with their next steps, dropping unknown actions', () => {
    const parsed = parseStoredState({
      version: 1,
      conversations: [{ id: 'c', turns: [{ id: 't', question: 'q', state: 'error', error: { message: 'm', actions: ['retry', 'rm -rf'] } }] }],
    });
    assert.deepStrictEqual(parsed.conversations[0].turns[0].error, { message: 'm', actions: ['retry'] });
  });

  it('reads turns stored before answers had versions, and Regenerate then keeps their answer', () => {
    const parsed = parseStoredState({
      version: 1,
      conversations: [{ id: 'c', title: 'Old', turns: [{ id: 't', question: 'q', answer: 'old answer', state: 'done', model: 'gpt-4o', createdAt: 3 }] }],
    });
    const conversation = parsed.conversations[0];
    const turn = conversation.turns[0];
    assert.deepStrictEqual(turn, { id: 't', question: 'q', quote: undefined, answer: 'old answer', state: 'done', model: 'gpt-4o', createdAt: 3 });
    startNewVersion(conversation);
    assert.deepStrictEqual(turn.versions, [{ answer: 'old answer', state: 'done', model: 'gpt-4o' }]);
  });

  it('keeps the answers of a turn and which one is shown across a reload', async () => {
    const storage = new MemoryStorage();
    const store = new ConversationStore(storage, ids());
    const conversation = store.active();
    appendTurn(conversation, { ...createTurn('t', 'q', 1), answer: 'A', state: 'done', model: 'm1', usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } });
    startNewVersion(conversation);
    Object.assign(conversation.turns[0], { answer: 'B', state: 'done', model: 'm2' });
    endAttempt(conversation.turns[0]);
    await store.save();
    const turn = new ConversationStore(storage, ids()).active().turns[0];
    assert.strictEqual(turn.answer, 'B');
    assert.strictEqual(turn.versionIndex, 1);
    assert.deepStrictEqual(turn.versions, [{ answer: 'A', state: 'done', model: 'm1', usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } }]);
  });

  it('a window closed during a Regenerate shows the answer from before, unless the new one had text', async () => {
    for (const [streamed, shown] of [['', 'A'], ['half of B', 'half of B']]) {
      const storage = new MemoryStorage();
      const store = new ConversationStore(storage, ids());
      const conversation = store.active();
      appendTurn(conversation, { ...createTurn('t', 'q', 1), answer: 'A', state: 'done' });
      startNewVersion(conversation);
      conversation.turns[0].answer = streamed;
      await store.save();
      const turn = new ConversationStore(storage, ids()).active().turns[0];
      assert.strictEqual(turn.answer, shown);
      assert.strictEqual(turn.state, streamed ? 'interrupted' : 'done');
      assert.strictEqual(turn.replacing, undefined);
      assert.strictEqual((turn.versions ?? []).length, streamed ? 1 : 0);
    }
  });

  it('drops malformed versions and clamps what points into them', () => {
    const parsed = parseStoredState({
      version: 1,
      conversations: [{ id: 'c', turns: [{ id: 't', question: 'q', answer: 'B', versions: [null, 'x', { answer: 'A', state: 'streaming' }], versionIndex: 7, replacing: 1.5 }] }],
    });
    const turn = parsed.conversations[0].turns[0];
    assert.deepStrictEqual(turn.versions, [{ answer: 'A', state: 'interrupted' }]);
    assert.strictEqual(turn.versionIndex, 1);
    assert.strictEqual(turn.replacing, undefined);
  });
});
