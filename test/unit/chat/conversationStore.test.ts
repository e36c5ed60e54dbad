import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Conversation } from '../../../src/chat/conversation';
import { appendTurn, createTurn, endAttempt, startNewVersion } from '../../../src/chat/conversation';
import { ConversationFiles } from '../../../src/chat/conversationFiles';
import type { KeyValueStorage, SetAsideFile } from '../../../src/chat/conversationStore';
import { ACTIVE_KEY, ConversationStore, LEGACY_STORAGE_KEY, parseLegacyState } from '../../../src/chat/conversationStore';

class MemoryStorage implements KeyValueStorage {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    // A round trip through JSON, as workspaceState does.
    const value = this.values.get(key);
    return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as T);
  }
  update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
    return Promise.resolve();
  }
}

let idCounter = 0;
function newId(): string {
  return `id${++idCounter}`;
}

interface Window {
  readonly dir: string;
  readonly state: MemoryStorage;
  readonly store: ConversationStore;
  readonly setAside: SetAsideFile[];
  running?: { conversationId: string; turnId: string };
}

const folders: string[] = [];

async function newFolder(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'anyapi-conversations-'));
  folders.push(dir);
  return path.join(dir, 'conversations');
}

/** A window on the conversation folder `dir` (a new folder by default), with its own workspaceState. */
async function openWindow(dir?: string, state = new MemoryStorage()): Promise<Window> {
  const folder = dir ?? (await newFolder());
  const setAside: SetAsideFile[] = [];
  const window: { -readonly [K in keyof Window]: Window[K] } = { dir: folder, state, setAside, store: undefined as unknown as ConversationStore };
  window.store = await ConversationStore.open({
    files: new ConversationFiles(folder),
    state,
    newId,
    onSetAside: (file) => setAside.push(file),
    running: () => window.running,
  });
  return window;
}

/** The same window after a reload: its workspaceState, a fresh read of the files. */
async function reopen(window: Window): Promise<ConversationStore> {
  return (await openWindow(window.dir, window.state)).store;
}

function ask(store: ConversationStore, conversation: Conversation, question: string, answer: string, at: number): void {
  appendTurn(conversation, { ...createTurn(`t-${question}`, question, at), answer, state: 'done' });
  store.markChanged(conversation.id);
}

async function filesIn(dir: string): Promise<string[]> {
  return (await fs.readdir(dir)).sort();
}

after(async () => {
  for (const dir of folders) await fs.rm(dir, { recursive: true, force: true });
});

describe('conversation persistence', () => {
  it('finds the conversations and the active one again after a reload, one file each plus the index', async () => {
    const window = await openWindow();
    const { store } = window;
    const first = store.active();
    ask(store, first, 'First question', 'First answer', 1000);
    first.turns[0].model = 'gpt-5.1';
    const second = store.startNew();
    ask(store, second, 'Second question', 'Second', 2000);
    await store.setActive(first.id);
    await store.save();
    assert.deepStrictEqual(await filesIn(window.dir), [`${first.id}.json`, `${second.id}.json`, 'index.json'].sort());

    const reloaded = await reopen(window);
    assert.strictEqual(reloaded.active().id, first.id);
    assert.deepStrictEqual(reloaded.list().map((summary) => summary.title), ['Second question', 'First question']);
    assert.strictEqual(reloaded.active().turns[0].answer, 'First answer');
    assert.strictEqual(reloaded.active().turns[0].model, 'gpt-5.1');
    // Only the one shown is read; the other is read when it is opened.
    assert.strictEqual(reloaded.get(second.id), undefined);
    assert.strictEqual((await reloaded.load(second.id))?.turns[0].answer, 'Second');
  });

  it('keeps a question whose answer was still streaming when the window closed, marked as interrupted', async () => {
    const window = await openWindow();
    const conversation = window.store.active();
    appendTurn(conversation, { ...createTurn('t1', 'Never lose me', 5), answer: 'half an ans' });
    window.store.markChanged(conversation.id);
    await window.store.save();
    const turn = (await reopen(window)).active().turns[0];
    assert.strictEqual(turn.question, 'Never lose me');
    assert.strictEqual(turn.answer, 'half an ans');
    assert.strictEqual(turn.state, 'interrupted');
  });

  it('does not store empty conversations, and New Chat reuses an empty one', async () => {
    const window = await openWindow();
    const empty = window.store.active();
    assert.strictEqual(window.store.startNew(), empty);
    window.store.markChanged(empty.id);
    await window.store.save();
    assert.deepStrictEqual(await filesIn(window.dir), []);
    assert.strictEqual((await reopen(window)).list().length, 0);
  });

  it('renames and deletes, removing the file', async () => {
    const window = await openWindow();
    const { store } = window;
    const a = store.active();
    ask(store, a, 'Keep me', 'x', 1);
    const b = store.startNew();
    ask(store, b, 'Delete me', 'y', 2);
    await store.save();
    assert.ok(store.rename(a.id, '  Renamed  '));
    assert.ok(store.delete(b.id));
    await store.save();
    assert.deepStrictEqual(await filesIn(window.dir), [`${a.id}.json`, 'index.json'].sort());
    const reloaded = await reopen(window);
    assert.deepStrictEqual(reloaded.list().map((summary) => summary.title), ['Renamed']);
    assert.strictEqual(reloaded.get(a.id)?.titleEdited, true);
  });

  it('writes only the conversation that changed, through a temporary file renamed over it', async () => {
    const window = await openWindow();
    const { store } = window;
    const a = store.active();
    ask(store, a, 'a', 'x', 1);
    const b = store.startNew();
    ask(store, b, 'b', 'y', 2);
    await store.save();
    const before = await fs.stat(path.join(window.dir, `${a.id}.json`));
    b.turns[0].answer += ' more';
    store.markChanged(b.id);
    await store.save();
    const after = await fs.stat(path.join(window.dir, `${a.id}.json`));
    assert.strictEqual(after.mtimeMs, before.mtimeMs);
    assert.strictEqual(after.ino, before.ino, 'the untouched file was not rewritten');
    assert.ok(!(await filesIn(window.dir)).some((name) => name.endsWith('.tmp')), 'no temporary file is left');
    assert.match(await fs.readFile(path.join(window.dir, `${b.id}.json`), 'utf8'), /y more/);
  });

  it('two windows on one folder each add a conversation: both survive, and each sees the other without a reload', async () => {
    const one = await openWindow();
    const two = await openWindow(one.dir);
    const mine = one.store.active();
    ask(one.store, mine, 'From window one', '1', 10);
    const theirs = two.store.active();
    ask(two.store, theirs, 'From window two', '2', 20);
    await Promise.all([one.store.save(), two.store.save()]);
    const announced: string[] = [];
    one.store.onDidChange((ids) => announced.push(...ids));
    await one.store.refresh();
    assert.deepStrictEqual(announced, [theirs.id]);
    assert.deepStrictEqual(one.store.list().map((summary) => summary.title), ['From window two', 'From window one']);
    // A later save of window one (which read the index before window two wrote) keeps window two's entry.
    ask(one.store, mine, 'Again', '3', 30);
    await one.store.save();
    const reloaded = await reopen(two);
    assert.deepStrictEqual(reloaded.list().map((summary) => summary.title).sort(), ['From window one', 'From window two']);
  });

  it('merges one conversation changed in two windows by turn: nothing either window wrote is lost', async () => {
    const one = await openWindow();
    const conversation = one.store.active();
    ask(one.store, conversation, 'q1', 'a1', 1);
    await one.store.save();
    const two = await openWindow(one.dir);
    await two.store.setActive(conversation.id);
    const copy = two.store.active();
    // Window two asks a new question and renames; window one regenerates its first answer meanwhile.
    ask(two.store, copy, 'q2 from two', 'a2', 5);
    two.store.rename(copy.id, 'Named in two');
    await two.store.save();
    conversation.turns[0].answer = 'a1, regenerated in one';
    ask(one.store, conversation, 'q3 from one', 'a3', 9);
    await one.store.save();
    const merged = (await reopen(one)).get(conversation.id)!;
    assert.strictEqual(merged.title, 'Named in two');
    assert.deepStrictEqual(merged.turns.map((turn) => [turn.question, turn.answer]), [
      ['q1', 'a1, regenerated in one'],
      ['q2 from two', 'a2'],
      ['q3 from one', 'a3'],
    ]);
    // And window two takes in window one's changes to turns it did not touch.
    await two.store.refresh();
    assert.deepStrictEqual(copy.turns.map((turn) => turn.answer), ['a1, regenerated in one', 'a2', 'a3']);
  });

  it('never replaces the turn whose answer is running here, and keeps a conversation removed elsewhere while it runs', async () => {
    const one = await openWindow();
    const conversation = one.store.active();
    ask(one.store, conversation, 'q', 'streaming…', 1);
    await one.store.save();
    const two = await openWindow(one.dir);
    await two.store.setActive(conversation.id);
    two.store.active().turns[0].answer = 'overwritten by two';
    two.store.markChanged(conversation.id);
    await two.store.save();
    one.running = { conversationId: conversation.id, turnId: conversation.turns[0].id };
    const turn = conversation.turns[0];
    await one.store.refresh();
    assert.strictEqual(turn.answer, 'streaming…');
    two.store.delete(conversation.id);
    await two.store.save();
    await one.store.refresh();
    assert.strictEqual(one.store.get(conversation.id), conversation);
    one.running = undefined;
    turn.answer = 'finished';
    one.store.markChanged(conversation.id);
    await one.store.save();
    assert.strictEqual((await reopen(one)).get(conversation.id)?.turns[0].answer, 'finished');
  });

  it('a conversation removed in another window goes here too, unless it has unsaved work here', async () => {
    const one = await openWindow();
    const a = one.store.active();
    ask(one.store, a, 'a', 'x', 1);
    const b = one.store.startNew();
    ask(one.store, b, 'b', 'y', 2);
    await one.store.save();
    const two = await openWindow(one.dir);
    await two.store.load(a.id);
    two.store.delete(a.id);
    two.store.delete(b.id);
    await two.store.save();
    b.turns[0].answer = 'y, changed here';
    one.store.markChanged(b.id);
    await one.store.refresh();
    assert.deepStrictEqual(one.store.list().map((summary) => summary.id), [b.id]);
    await one.store.save();
    assert.deepStrictEqual((await reopen(two)).list().map((summary) => summary.id), [b.id]);
  });

  it('moves conversations out of workspaceState once; a move cut short is finished next time, nothing twice', async () => {
    const state = new MemoryStorage();
    const legacy = {
      version: 1,
      activeId: 'old2',
      conversations: [
        { id: 'old1', title: 'Old one', createdAt: 1, updatedAt: 1, turns: [{ id: 't1', question: 'q1', answer: 'a1', state: 'done', createdAt: 1 }] },
        { id: 'old2', title: 'Old two', createdAt: 2, updatedAt: 2, turns: [{ id: 't2', question: 'q2', answer: 'a2', state: 'done', createdAt: 2 }] },
        { id: 'empty', title: '', createdAt: 3, updatedAt: 3, turns: [] },
      ],
    };
    state.values.set(LEGACY_STORAGE_KEY, legacy);
    const dir = await newFolder();
    // An earlier start wrote the first file, then the window closed before the rest.
    const files = new ConversationFiles(dir);
    await files.ensureDir();
    await files.write('old1', JSON.stringify(legacy.conversations[0]));
    const window = await openWindow(dir, state);
    assert.strictEqual(state.values.has(LEGACY_STORAGE_KEY), false, 'the old value is cleared once the files are written');
    assert.strictEqual(state.values.get(ACTIVE_KEY), 'old2');
    assert.strictEqual(window.store.active().id, 'old2');
    assert.deepStrictEqual(window.store.list().map((summary) => summary.title), ['Old two', 'Old one']);
    assert.deepStrictEqual(await filesIn(dir), ['index.json', 'old1.json', 'old2.json']);
    assert.strictEqual((await window.store.load('old1'))?.turns[0].answer, 'a1');
  });

  it('sets a corrupt file aside, says which, and opens every other conversation', async () => {
    const window = await openWindow();
    const { store } = window;
    const good = store.active();
    ask(store, good, 'good', 'kept', 1);
    const bad = store.startNew();
    ask(store, bad, 'bad', 'lost', 2);
    await store.save();
    await fs.writeFile(path.join(window.dir, `${bad.id}.json`), '{"version":2,"etag":"x","conver');
    const reloaded = await openWindow(window.dir, window.state);
    assert.strictEqual(reloaded.setAside.length, 1);
    assert.match(reloaded.setAside[0].path, new RegExp(`${bad.id}\\.json\\.unreadable-`));
    assert.deepStrictEqual(reloaded.store.list().map((summary) => summary.title), ['good']);
    assert.strictEqual(reloaded.store.active().turns[0].answer, 'kept');
    const names = await filesIn(window.dir);
    assert.ok(names.some((name) => name.startsWith(`${bad.id}.json.unreadable-`)), 'the unreadable file is kept beside the others');
    assert.ok(!names.includes(`${bad.id}.json`));
  });

  it('makes a lost or out-of-date index again from the files', async () => {
    const window = await openWindow();
    const { store } = window;
    const a = store.active();
    ask(store, a, 'a', 'x', 1);
    await store.save();
    await fs.writeFile(path.join(window.dir, 'index.json'), 'not json');
    const b = (await reopen(window)).startNew();
    assert.notStrictEqual(b.id, a.id);
    const reloaded = await reopen(window);
    assert.deepStrictEqual(reloaded.list().map((summary) => summary.title), ['a']);
    const index = JSON.parse(await fs.readFile(path.join(window.dir, 'index.json'), 'utf8'));
    assert.deepStrictEqual(Object.keys(index.conversations), [a.id]);
  });

  it('names the oldest conversations to remove to get under a size limit, never the ones kept', async () => {
    const window = await openWindow();
    const { store } = window;
    const made: Conversation[] = [];
    for (let at = 1; at <= 4; at++) {
      const conversation = at === 1 ? store.active() : store.startNew();
      ask(store, conversation, `q${at}`, 'x'.repeat(1000), at);
      made.push(conversation);
    }
    await store.save();
    const bytes = new Map(store.list().map((summary) => [summary.title, summary.bytes]));
    const total = [...bytes.values()].reduce((sum, size) => sum + size, 0);
    assert.ok([...bytes.values()].every((size) => size > 1000));
    assert.strictEqual(store.totalBytes(), total);
    assert.deepStrictEqual(store.oldestOver(total, new Set()), []);
    // Under half: q1 is kept, so q2 and q3 go (q4, the newest, is what is left with q1).
    const limit = bytes.get('q1')! + bytes.get('q4')!;
    assert.deepStrictEqual(store.oldestOver(limit, new Set([made[0].id])).map((summary) => summary.title), ['q2', 'q3']);
  });

  it('keeps the answers of a turn and which one is shown across a reload', async () => {
    const window = await openWindow();
    const store = window.store;
    const conversation = store.active();
    appendTurn(conversation, { ...createTurn('t', 'q', 1), answer: 'A', state: 'done', model: 'm1', usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } });
    startNewVersion(conversation);
    Object.assign(conversation.turns[0], { answer: 'B', state: 'done', model: 'm2' });
    endAttempt(conversation.turns[0]);
    store.markChanged(conversation.id);
    await store.save();
    const turn = (await reopen(window)).active().turns[0];
    assert.strictEqual(turn.answer, 'B');
    assert.strictEqual(turn.versionIndex, 1);
    assert.deepStrictEqual(turn.versions, [{ answer: 'A', state: 'done', model: 'm1', usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } }]);
  });

  it('a window closed during a Regenerate shows the answer from before, unless the new one had text', async () => {
    for (const [streamed, shown] of [['', 'A'], ['half of B', 'half of B']]) {
      const window = await openWindow();
      const store = window.store;
      const conversation = store.active();
      appendTurn(conversation, { ...createTurn('t', 'q', 1), answer: 'A', state: 'done' });
      startNewVersion(conversation);
      conversation.turns[0].answer = streamed;
      store.markChanged(conversation.id);
    await store.save();
      const turn = (await reopen(window)).active().turns[0];
      assert.strictEqual(turn.answer, shown);
      assert.strictEqual(turn.state, streamed ? 'interrupted' : 'done');
      assert.strictEqual(turn.replacing, undefined);
      assert.strictEqual((turn.versions ?? []).length, streamed ? 1 : 0);
    }
  });

  it('survives broken or foreign stored data without failing', () => {
    assert.deepStrictEqual(parseLegacyState(undefined), { conversations: [] });
    assert.deepStrictEqual(parseLegacyState({ version: 99, conversations: [] }), { conversations: [] });
    const parsed = parseLegacyState({
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
    const parsed = parseLegacyState({
      version: 1,
      conversations: [{ id: 'c', turns: [{ id: 't', question: 'q', state: 'error', error: { message: 'm', actions: ['retry', 'rm -rf'] } }] }],
    });
    assert.deepStrictEqual(parsed.conversations[0].turns[0].error, { message: 'm', actions: ['retry'] });
  });

  it('reads turns stored before answers had versions, and Regenerate then keeps their answer', () => {
    const parsed = parseLegacyState({
      version: 1,
      conversations: [{ id: 'c', title: 'Old', turns: [{ id: 't', question: 'q', answer: 'old answer', state: 'done', model: 'gpt-4o', createdAt: 3 }] }],
    });
    const conversation = parsed.conversations[0];
    const turn = conversation.turns[0];
    assert.deepStrictEqual(turn, { id: 't', question: 'q', quote: undefined, answer: 'old answer', state: 'done', model: 'gpt-4o', createdAt: 3 });
    startNewVersion(conversation);
    assert.deepStrictEqual(turn.versions, [{ answer: 'old answer', state: 'done', model: 'gpt-4o' }]);
  });

  it('drops malformed versions and clamps what points into them', () => {
    const parsed = parseLegacyState({
      version: 1,
      conversations: [{ id: 'c', turns: [{ id: 't', question: 'q', answer: 'B', versions: [null, 'x', { answer: 'A', state: 'streaming' }], versionIndex: 7, replacing: 1.5 }] }],
    });
    const turn = parsed.conversations[0].turns[0];
    assert.deepStrictEqual(turn.versions, [{ answer: 'A', state: 'interrupted' }]);
    assert.strictEqual(turn.versionIndex, 1);
    assert.strictEqual(turn.replacing, undefined);
  });
});
