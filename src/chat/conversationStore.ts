// The conversations of a workspace: the ones this window has read, kept in step with their files and other windows.
import type { Conversation } from './conversation';
import { createConversation } from './conversation';
import type { ConversationFile, ConversationFiles, ConversationSummary, IndexEntry, SetAsideFile } from './conversationFiles';
import { isSafeId } from './conversationFiles';
import { parseConversation } from './conversationFormat';
import { mergeConversation } from './conversationMerge';

/**
 * VS Code's `workspaceState` (anything with `get`/`update`; tests use a Map): where conversations lived before they
 * had files (read once, to move them), and which conversation this window shows. Pure: no vscode import.
 */
export interface KeyValueStorage {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** The conversations as earlier versions kept them: one value, rewritten whole. Moved to files once, then cleared. */
export const LEGACY_STORAGE_KEY = 'anyapi.chat.conversations';
const LEGACY_STORAGE_VERSION = 1;
/** The conversation the window showed last. */
export const ACTIVE_KEY = 'anyapi.chat.activeConversation';

export type { ConversationSummary, SetAsideFile };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Reads what earlier versions stored, dropping anything malformed rather than failing. */
export function parseLegacyState(value: unknown): { activeId?: string; conversations: Conversation[] } {
  if (!isRecord(value) || value.version !== LEGACY_STORAGE_VERSION || !Array.isArray(value.conversations)) {
    return { conversations: [] };
  }
  const conversations = value.conversations
    .map(parseConversation)
    .filter((conversation): conversation is Conversation => conversation !== undefined && isSafeId(conversation.id));
  const activeId = typeof value.activeId === 'string' ? value.activeId : undefined;
  return { activeId: conversations.some((c) => c.id === activeId) ? activeId : undefined, conversations };
}

function summaryOf(conversation: Conversation, bytes: number): ConversationSummary {
  const { id, title, createdAt, updatedAt } = conversation;
  return { id, title, createdAt, updatedAt, turns: conversation.turns.length, bytes };
}

function isFile(read: ConversationFile | SetAsideFile | undefined): read is ConversationFile {
  return read !== undefined && 'etag' in read;
}

export interface ConversationStoreOptions {
  /** The folder of conversation files; without it conversations live only as long as the window. */
  readonly files?: ConversationFiles;
  readonly state: KeyValueStorage;
  readonly newId: () => string;
  readonly now?: () => number;
  /** A file that could not be read was renamed and skipped. */
  readonly onSetAside?: (file: SetAsideFile) => void;
  /** The answer running in this window: its turn is never replaced by another window's copy, nor its conversation removed. */
  readonly running?: () => { readonly conversationId: string; readonly turnId: string } | undefined;
}

/**
 * The conversations, read on demand from one file each. A save writes only the conversations that changed, after
 * reading each one's file again: what another window wrote meanwhile is merged in, by turn (conversationMerge.ts).
 * Changes from other windows come in through `refresh` (the caller watches the folder) and are announced to
 * `onDidChange`. Saves and refreshes run one at a time, in order.
 */
export class ConversationStore {
  /** Every conversation on disk (and every one this window made), read or not. */
  private readonly summaries = new Map<string, ConversationSummary>();
  private readonly loaded = new Map<string, Conversation>();
  /** Each file as this window last read or wrote it: the base of the next merge. */
  private readonly synced = new Map<string, ConversationFile>();
  /** Size and time of the files this window knows only by their summary. */
  private readonly seen = new Map<string, { readonly size: number; readonly mtimeMs: number }>();
  private readonly dirty = new Set<string>();
  private readonly removed = new Set<string>();
  private readonly listeners = new Set<(ids: ReadonlySet<string>) => void>();
  private activeId: string | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => number;

  private constructor(private readonly options: ConversationStoreOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Reads the index (repairing it from the files where it is out of date), moves old history over, opens the active one. */
  static async open(options: ConversationStoreOptions): Promise<ConversationStore> {
    const store = new ConversationStore(options);
    await store.start();
    return store;
  }

  private async start(): Promise<void> {
    const files = this.options.files;
    const stateActive = this.options.state.get<unknown>(ACTIVE_KEY);
    let activeId = typeof stateActive === 'string' ? stateActive : undefined;
    if (files) {
      await files.ensureDir();
      activeId = (await this.migrate(files)) ?? activeId;
      await this.readSummaries(files);
    } else {
      // No folder to write to: the old value is still read, so nothing disappears, but nothing new is kept.
      const legacy = parseLegacyState(this.options.state.get<unknown>(LEGACY_STORAGE_KEY));
      for (const conversation of legacy.conversations) {
        this.loaded.set(conversation.id, conversation);
        this.summaries.set(conversation.id, summaryOf(conversation, 0));
      }
      activeId ??= legacy.activeId;
    }
    // The one shown last, else the latest; a file that turns out unreadable gives way to the next.
    const candidates = [activeId, ...this.list().map((summary) => summary.id)].filter((id): id is string => id !== undefined);
    for (const id of candidates) {
      if (await this.load(id)) {
        this.activeId = id;
        break;
      }
    }
  }

  /**
   * Moves conversations from `workspaceState` to files, once. The old value is cleared only after every file and the
   * index are written, so a move cut short is done again next time (a file already there is not written twice).
   */
  private async migrate(files: ConversationFiles): Promise<string | undefined> {
    const legacy = parseLegacyState(this.options.state.get<unknown>(LEGACY_STORAGE_KEY));
    if (legacy.conversations.length === 0) return undefined;
    const changed = new Map<string, IndexEntry>();
    for (const conversation of legacy.conversations) {
      if (conversation.turns.length === 0 || (await files.statOf(conversation.id))) continue;
      const written = await files.write(conversation.id, JSON.stringify(conversation));
      changed.set(conversation.id, { ...summaryOf(conversation, written.size), mtimeMs: written.mtimeMs });
    }
    await files.updateIndex(changed, new Set());
    await this.options.state.update(LEGACY_STORAGE_KEY, undefined);
    if (legacy.activeId) await this.options.state.update(ACTIVE_KEY, legacy.activeId);
    return legacy.activeId;
  }

  /** The index says what each file holds; where a file changed behind its back (or it lost a file), the file is read. */
  private async readSummaries(files: ConversationFiles): Promise<void> {
    const [index, ids] = await Promise.all([files.readIndex(), files.listIds()]);
    const repaired = new Map<string, IndexEntry>();
    const stale = new Set([...index.keys()].filter((id) => !ids.includes(id)));
    await Promise.all(
      ids.map(async (id) => {
        const entry = index.get(id);
        const stat = await files.statOf(id);
        if (!stat) return;
        if (entry && entry.bytes === stat.size && entry.mtimeMs === stat.mtimeMs) {
          const { mtimeMs, ...summary } = entry;
          this.summaries.set(id, summary);
          this.seen.set(id, { size: stat.size, mtimeMs });
          return;
        }
        const conversation = await this.readFile(files, id);
        const file = this.synced.get(id);
        if (!conversation || !file) {
          if (entry) stale.add(id);
          return;
        }
        const summary = summaryOf(conversation, file.size);
        this.summaries.set(id, summary);
        repaired.set(id, { ...summary, mtimeMs: file.mtimeMs });
      }),
    );
    if (repaired.size > 0 || stale.size > 0) await files.updateIndex(repaired, stale);
  }

  /** Reads and checks one file; it becomes the base of later merges. Undefined when missing or set aside. */
  private async readFile(files: ConversationFiles, id: string): Promise<Conversation | undefined> {
    const read = await files.read(id);
    if (!isFile(read)) {
      if (read) this.options.onSetAside?.(read);
      return undefined;
    }
    const conversation = parseConversation(read.conversation);
    if (!conversation || conversation.id !== id) {
      this.options.onSetAside?.({ path: files.fileOf(id), reason: 'not a conversation' });
      return undefined;
    }
    this.synced.set(id, read);
    this.loaded.set(id, conversation);
    return conversation;
  }

  // ---- reading ----------------------------------------------------------------------------------------------------

  /** Every conversation, read or not, most recently updated first. */
  list(): ConversationSummary[] {
    const all = new Map(this.summaries);
    for (const [id, conversation] of this.loaded) {
      all.set(id, summaryOf(conversation, this.synced.get(id)?.size ?? all.get(id)?.bytes ?? 0));
    }
    return [...all.values()].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  /** A conversation this window has read. */
  get(id: string): Conversation | undefined {
    return this.loaded.get(id);
  }

  /** A conversation, read from its file if this window has not yet. Undefined when it is gone or unreadable. */
  async load(id: string): Promise<Conversation | undefined> {
    const found = this.loaded.get(id);
    if (found) return found;
    const files = this.options.files;
    if (!files || !this.summaries.has(id)) return undefined;
    const conversation = await this.readFile(files, id);
    if (!conversation) {
      this.summaries.delete(id);
      return undefined;
    }
    return conversation;
  }

  /** Reads every conversation (for a search through what was said). */
  async loadAll(): Promise<Conversation[]> {
    const all = await Promise.all(this.list().map((summary) => this.load(summary.id)));
    return all.filter((conversation): conversation is Conversation => conversation !== undefined);
  }

  /** The conversation the view shows; an empty one is created when there is none. */
  active(): Conversation {
    const found = this.activeId ? this.loaded.get(this.activeId) : undefined;
    if (found) return found;
    const latest = this.list().find((summary) => this.loaded.has(summary.id));
    if (latest) {
      this.activeId = latest.id;
      return this.loaded.get(latest.id)!;
    }
    return this.startNew();
  }

  /** All conversations' files together, in bytes. */
  totalBytes(): number {
    return this.list().reduce((sum, summary) => sum + summary.bytes, 0);
  }

  /** The oldest conversations to remove to bring the total under `limit` bytes: never `keep` (the one shown, the running one). */
  oldestOver(limit: number, keep: ReadonlySet<string>): ConversationSummary[] {
    let total = this.totalBytes();
    const chosen: ConversationSummary[] = [];
    for (const summary of this.list().reverse()) {
      if (total <= limit) break;
      if (keep.has(summary.id) || summary.turns === 0) continue;
      chosen.push(summary);
      total -= summary.bytes;
    }
    return chosen;
  }

  // ---- changing ---------------------------------------------------------------------------------------------------

  /** New Chat: reuses the active conversation if it is still empty. */
  startNew(): Conversation {
    const current = this.activeId ? this.loaded.get(this.activeId) : undefined;
    if (current && current.turns.length === 0) return current;
    const conversation = createConversation(this.options.newId(), this.now());
    this.loaded.set(conversation.id, conversation);
    this.setActiveId(conversation.id);
    return conversation;
  }

  async setActive(id: string): Promise<Conversation | undefined> {
    const found = await this.load(id);
    if (found) this.setActiveId(id);
    return found;
  }

  private setActiveId(id: string): void {
    this.activeId = id;
    void Promise.resolve(this.options.state.update(ACTIVE_KEY, id)).catch(() => undefined);
  }

  rename(id: string, title: string): boolean {
    const found = this.loaded.get(id);
    if (!found) return false;
    found.title = title.trim();
    found.titleEdited = found.title !== '';
    this.markChanged(id);
    return true;
  }

  delete(id: string): boolean {
    const existed = this.loaded.delete(id) || this.summaries.has(id);
    this.summaries.delete(id);
    this.seen.delete(id);
    this.dirty.delete(id);
    if (this.synced.delete(id) || existed) this.removed.add(id);
    if (this.activeId === id) this.activeId = undefined;
    return existed;
  }

  /** The conversation changed in this window: the next save writes it. */
  markChanged(id: string): void {
    if (this.loaded.has(id)) this.dirty.add(id);
  }

  /** Called with the ids of conversations another window changed, added or removed (after they are merged here). */
  onDidChange(listener: (ids: ReadonlySet<string>) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private announce(ids: ReadonlySet<string>): void {
    if (ids.size === 0) return;
    for (const listener of [...this.listeners]) listener(ids);
  }

  private runningTurnIn(id: string): string | undefined {
    const running = this.options.running?.();
    return running?.conversationId === id ? running.turnId : undefined;
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Writes the conversations changed since the last save (empty ones are not kept), each merged first with what its
   * file says now, and removes deleted ones. A write that fails leaves its conversation to the next save, and throws.
   */
  save(): Promise<void> {
    return this.enqueue(() => this.writeChanges());
  }

  private async writeChanges(): Promise<void> {
    const files = this.options.files;
    if (!files) {
      this.dirty.clear();
      return;
    }
    const changed = new Map<string, IndexEntry>();
    const removed = new Set(this.removed);
    this.removed.clear();
    const merged = new Set<string>();
    let failure: unknown;
    for (const id of removed) {
      try {
        await files.remove(id);
      } catch (error) {
        this.removed.add(id);
        failure ??= error;
      }
    }
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const id of ids) {
      const conversation = this.loaded.get(id);
      if (!conversation || conversation.turns.length === 0) continue;
      try {
        if (await this.mergeFromDisk(files, conversation)) merged.add(id);
        const written = await files.write(id, JSON.stringify(conversation));
        this.synced.set(id, written);
        const summary = summaryOf(conversation, written.size);
        this.summaries.set(id, summary);
        changed.set(id, { ...summary, mtimeMs: written.mtimeMs });
      } catch (error) {
        this.dirty.add(id);
        failure ??= error;
      }
    }
    if (changed.size > 0 || removed.size > 0) {
      await files.updateIndex(changed, removed).catch((error: unknown) => (failure ??= error));
    }
    this.announce(merged);
    if (failure) throw failure;
  }

  /** Reads the conversation's file again and merges in what another window wrote since this one read or wrote it. */
  private async mergeFromDisk(files: ConversationFiles, conversation: Conversation): Promise<boolean> {
    const base = this.synced.get(conversation.id);
    // The file is as this window left it (the common case, a save every 2 s while an answer streams): nothing to read.
    const stat = base ? await files.statOf(conversation.id) : undefined;
    if (base && stat && stat.size === base.size && stat.mtimeMs === base.mtimeMs) return false;
    const read = await files.read(conversation.id);
    if (!isFile(read)) {
      if (read) this.options.onSetAside?.(read);
      return false;
    }
    if (base && base.etag === read.etag) return false;
    const theirs = parseConversation(read.conversation);
    if (!theirs) return false;
    const baseConversation = base ? parseConversation(JSON.parse(base.text).conversation) : undefined;
    return mergeConversation(conversation, theirs, baseConversation, this.runningTurnIn(conversation.id)).incoming;
  }

  /** Whether a save has something to write. */
  get hasChanges(): boolean {
    return this.dirty.size > 0 || this.removed.size > 0;
  }

  /**
   * Takes in what other windows did to the conversations `ids` (all of them when absent): changes merged, new ones
   * listed, removed ones gone unless this window changed them since (then they are written again). Announces them.
   */
  refresh(ids?: Iterable<string>): Promise<void> {
    return this.enqueue(() => this.readChanges(ids));
  }

  private async readChanges(ids?: Iterable<string>): Promise<void> {
    const files = this.options.files;
    if (!files) return;
    const wanted = new Set(ids ?? [...(await files.listIds()), ...this.summaries.keys(), ...this.synced.keys()]);
    const changed = new Set<string>();
    for (const id of wanted) {
      if (this.removed.has(id)) continue;
      const stat = await files.statOf(id);
      const base = this.synced.get(id);
      if (!stat) {
        // Removed elsewhere: it goes here too, unless this window has unsaved work in it.
        if ((base || this.seen.has(id)) && !this.dirty.has(id) && this.options.running?.()?.conversationId !== id) {
          this.loaded.delete(id);
          this.summaries.delete(id);
          this.synced.delete(id);
          this.seen.delete(id);
          if (this.activeId === id) this.activeId = undefined;
          changed.add(id);
        }
        continue;
      }
      const known = base ?? this.seen.get(id);
      if (known && known.size === stat.size && known.mtimeMs === stat.mtimeMs) continue;
      const ours = this.loaded.get(id);
      if (ours) {
        const read = await files.read(id);
        if (!isFile(read)) {
          if (read) {
            // Broken behind this window's back: set aside, and written again from this window's copy.
            this.options.onSetAside?.(read);
            this.synced.delete(id);
            this.dirty.add(id);
          }
          continue;
        }
        if (base?.etag === read.etag) {
          this.synced.set(id, read);
          continue;
        }
        const theirs = parseConversation(read.conversation);
        if (!theirs) continue;
        const baseConversation = base ? parseConversation(JSON.parse(base.text).conversation) : undefined;
        const { incoming, outgoing } = mergeConversation(ours, theirs, baseConversation, this.runningTurnIn(id));
        this.synced.set(id, read);
        // What this window has that the file does not (its own unsaved turns) is written with the next save.
        if (outgoing) this.dirty.add(id);
        if (incoming) changed.add(id);
      } else {
        const read = await files.read(id);
        if (!isFile(read)) {
          if (read) this.options.onSetAside?.(read);
          this.summaries.delete(id);
          continue;
        }
        const theirs = parseConversation(read.conversation);
        if (!theirs) continue;
        this.summaries.set(id, summaryOf(theirs, read.size));
        this.seen.set(id, read);
        changed.add(id);
      }
    }
    this.announce(changed);
  }
}
