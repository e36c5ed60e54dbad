// The conversations on disk: one file per conversation and a small index, written atomically. Pure: Node only, no vscode.
import { randomBytes } from 'crypto';
import { promises as fs, watch } from 'fs';
import type { FSWatcher } from 'fs';
import * as path from 'path';

/** What the conversation list needs of a conversation without reading it. */
export interface ConversationSummary {
  readonly id: string;
  readonly title: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly turns: number;
  /** The size of its file. */
  readonly bytes: number;
}

/** A conversation's file as read: its text, the write it came from, and what the file system says of it. */
export interface ConversationFile {
  readonly id: string;
  readonly text: string;
  readonly etag: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** The stored conversation, still to be checked by the reader. */
  readonly conversation: unknown;
}

/** A file that could not be read: renamed to `setAsidePath`, so it is kept and never read again. */
export interface SetAsideFile {
  readonly path: string;
  readonly reason: string;
}

export const FILE_VERSION = 2;
const INDEX_FILE = 'index.json';
const CONVERSATION_SUFFIX = '.json';
const TEMPORARY_SUFFIX = '.tmp';
/** A temporary file this old is a write that never finished (a crash, a killed window). */
const STALE_TEMPORARY_MS = 60_000;
/** A conversation's id becomes its file name: anything else is refused. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,80}$/;

export function isSafeId(id: string): boolean {
  return SAFE_ID.test(id);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isMissing(error: unknown): boolean {
  return isRecord(error) && (error.code === 'ENOENT' || error.code === 'ENOTDIR');
}

export function newEtag(): string {
  return randomBytes(8).toString('hex');
}

function parseSummary(id: string, value: unknown): ConversationSummary | undefined {
  if (!isRecord(value)) return undefined;
  const numbers = ['createdAt', 'updatedAt', 'turns', 'bytes'] as const;
  if (!numbers.every((key) => typeof value[key] === 'number' && Number.isFinite(value[key]))) return undefined;
  return {
    id,
    title: typeof value.title === 'string' ? value.title : '',
    createdAt: value.createdAt as number,
    updatedAt: value.updatedAt as number,
    turns: value.turns as number,
    bytes: value.bytes as number,
  };
}

/** An index entry: the summary, and the time of the file it was made from (with `bytes`, to see it is still true). */
interface IndexEntry extends ConversationSummary {
  readonly mtimeMs: number;
}

/**
 * The folder of a workspace's conversations. Every write goes to a temporary file first and is then renamed over the
 * old one, so a reader (another window, the next start) sees the old file or the new one, never half of one.
 */
export class ConversationFiles {
  private watcher: FSWatcher | undefined;

  constructor(readonly dir: string) {}

  fileOf(id: string): string {
    return path.join(this.dir, `${id}${CONVERSATION_SUFFIX}`);
  }

  async ensureDir(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
  }

  /** The ids of the conversation files, and temporary files left by writes that never finished removed. */
  async listIds(): Promise<string[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
    const ids: string[] = [];
    for (const name of names) {
      if (name.endsWith(TEMPORARY_SUFFIX)) {
        void this.removeIfStale(path.join(this.dir, name));
      } else if (name !== INDEX_FILE && name.endsWith(CONVERSATION_SUFFIX)) {
        const id = name.slice(0, -CONVERSATION_SUFFIX.length);
        if (isSafeId(id)) ids.push(id);
      }
    }
    return ids;
  }

  private async removeIfStale(file: string): Promise<void> {
    try {
      const stat = await fs.stat(file);
      if (Date.now() - stat.mtimeMs > STALE_TEMPORARY_MS) await fs.rm(file, { force: true });
    } catch {
      // Gone already, or another window's write in progress.
    }
  }

  /** Size and time of a conversation's file, or undefined when there is none. */
  async statOf(id: string): Promise<{ size: number; mtimeMs: number } | undefined> {
    try {
      const stat = await fs.stat(this.fileOf(id));
      return { size: stat.size, mtimeMs: stat.mtimeMs };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  /**
   * Reads a conversation's file. Undefined when there is none; a file that is not a conversation file of this version
   * (broken JSON, a truncated copy, another program's data) is set aside and reported instead.
   */
  async read(id: string): Promise<ConversationFile | SetAsideFile | undefined> {
    const file = this.fileOf(id);
    let text: string;
    let stat: { size: number; mtimeMs: number };
    try {
      // The time first: a write landing in between then reads as changed next time, never as unchanged.
      const before = await fs.stat(file);
      stat = { size: before.size, mtimeMs: before.mtimeMs };
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      if (isMissing(error)) return undefined;
      return this.setAside(file, error instanceof Error ? error.message : String(error));
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return this.setAside(file, error instanceof Error ? error.message : String(error));
    }
    if (!isRecord(value) || value.version !== FILE_VERSION || typeof value.etag !== 'string' || !isRecord(value.conversation)) {
      return this.setAside(file, isRecord(value) && typeof value.version === 'number' && value.version > FILE_VERSION
        ? `written by a newer version (format ${value.version})`
        : 'not a conversation file');
    }
    return { id, text, etag: value.etag, size: Buffer.byteLength(text, 'utf8'), mtimeMs: stat.mtimeMs, conversation: value.conversation };
  }

  private async setAside(file: string, reason: string): Promise<SetAsideFile> {
    const target = `${file}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      await fs.rename(file, target);
    } catch (error) {
      // It cannot be renamed (it is skipped all the same), or another window set it aside first: name that copy.
      if (!isMissing(error)) return { path: file, reason };
      const prefix = `${path.basename(file)}.unreadable-`;
      const copies = (await fs.readdir(this.dir).catch(() => [])).filter((name) => name.startsWith(prefix)).sort();
      return { path: copies.length > 0 ? path.join(this.dir, copies[copies.length - 1]) : target, reason };
    }
    return { path: target, reason };
  }

  /** Writes a conversation (already serialised) with a new etag. Returns what a later read would see. */
  async write(id: string, conversationJson: string): Promise<ConversationFile> {
    const etag = newEtag();
    const text = `{"version":${FILE_VERSION},"etag":"${etag}","conversation":${conversationJson}}`;
    const file = this.fileOf(id);
    await this.writeAtomically(file, text);
    const stat = await fs.stat(file).catch(() => undefined);
    return { id, text, etag, size: Buffer.byteLength(text, 'utf8'), mtimeMs: stat?.mtimeMs ?? 0, conversation: undefined };
  }

  async remove(id: string): Promise<void> {
    await fs.rm(this.fileOf(id), { force: true });
  }

  private async writeAtomically(file: string, text: string): Promise<void> {
    const temporary = `${file}.${newEtag()}${TEMPORARY_SUFFIX}`;
    try {
      await fs.writeFile(temporary, text, 'utf8');
      await fs.rename(temporary, file);
    } catch (error) {
      await fs.rm(temporary, { force: true }).catch(() => undefined);
      if (!isMissing(error)) throw error;
      // The folder went away (the workspace's storage was cleared): make it again, once.
      await this.ensureDir();
      await fs.writeFile(temporary, text, 'utf8');
      await fs.rename(temporary, file);
    }
  }

  /** The index: a summary per conversation, with the size and time of the file it describes. Empty when unreadable. */
  async readIndex(): Promise<Map<string, IndexEntry>> {
    const entries = new Map<string, IndexEntry>();
    let value: unknown;
    try {
      value = JSON.parse(await fs.readFile(path.join(this.dir, INDEX_FILE), 'utf8'));
    } catch {
      // Missing or broken: it is only a summary of the files, made again from them.
      return entries;
    }
    if (!isRecord(value) || value.version !== FILE_VERSION || !isRecord(value.conversations)) return entries;
    for (const [id, raw] of Object.entries(value.conversations)) {
      const summary = isSafeId(id) ? parseSummary(id, raw) : undefined;
      if (!summary || !isRecord(raw) || typeof raw.mtimeMs !== 'number') continue;
      entries.set(id, { ...summary, mtimeMs: raw.mtimeMs });
    }
    return entries;
  }

  /**
   * Updates the index: `changed` entries replace theirs, `removed` ids go; the rest is what is on disk now (another
   * window's entries survive). Two windows writing at once can lose an entry: the next start sees it and repairs it.
   */
  async updateIndex(changed: ReadonlyMap<string, IndexEntry>, removed: ReadonlySet<string>): Promise<void> {
    const entries = await this.readIndex();
    for (const id of removed) entries.delete(id);
    for (const [id, entry] of changed) entries.set(id, entry);
    const conversations: Record<string, Omit<IndexEntry, 'id'>> = {};
    for (const [id, { title, createdAt, updatedAt, turns, bytes, mtimeMs }] of entries) {
      conversations[id] = { title, createdAt, updatedAt, turns, bytes, mtimeMs };
    }
    await this.writeAtomically(path.join(this.dir, INDEX_FILE), JSON.stringify({ version: FILE_VERSION, conversations }));
  }

  /**
   * Calls `onChange` with the id of a conversation file another process (or this one) wrote or removed. Returns false
   * where the file system cannot be watched; the caller then looks again when the user looks.
   */
  watch(onChange: (id: string) => void): boolean {
    if (this.watcher) return true;
    try {
      this.watcher = watch(this.dir, { persistent: false }, (_event, name) => {
        const file = typeof name === 'string' ? name : undefined;
        if (!file?.endsWith(CONVERSATION_SUFFIX) || file === INDEX_FILE) return;
        const id = file.slice(0, -CONVERSATION_SUFFIX.length);
        if (isSafeId(id)) onChange(id);
      });
      this.watcher.on('error', () => this.unwatch());
      return true;
    } catch {
      return false;
    }
  }

  unwatch(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }
}

export type { IndexEntry };
