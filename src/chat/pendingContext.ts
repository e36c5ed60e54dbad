// The context chips waiting in the chat's input: added by Add Context or `#`, removed by their buttons, taken by the next question.
import * as vscode from 'vscode';
import { hideKey } from '../api/redact';
import type { AddContextArgs } from '../attachments/picker';
import { pickContext } from '../attachments/picker';
import type { TerminalCommands } from '../attachments/terminal';
import type { ContextChipView, ContextItem } from '../shared/protocol';
import type { KeyStore } from '../config/keyStore';
import type { ChatSession } from './chatSession';

export function chipOf({ id, kind, label, chars, cutFrom }: ContextItem): ContextChipView {
  return { id, kind, label, chars, ...(cutFrom === undefined ? {} : { cutFrom }) };
}

/** The chips waiting in the input. The terminal recorder is the extension's, disposed with it. */
export class PendingContext {
  private items: ContextItem[] = [];
  constructor(
    private readonly session: ChatSession,
    private readonly keyStore: KeyStore,
    /** Recording starts with the extension, so the last command is known when the user asks for it. */
    private readonly terminals: TerminalCommands,
  ) {}

  chips(): ContextChipView[] {
    return this.items.map(chipOf);
  }

  /**
   * Asks what to attach (unless `args` says), adds it to the chips and says what was refused. The same file or
   * selection attached again replaces the earlier chip: the request carries each once.
   */
  async add(args?: AddContextArgs, viaHash = false): Promise<readonly ContextItem[]> {
    const picked = await pickContext(this.terminals, args);
    if (!picked) return [];
    if (picked.refused.length > 0) void vscode.window.showWarningMessage(picked.refused.join(' '));
    if (picked.items.length === 0) return [];
    const items = await this.withoutKey(picked.items);
    const labels = new Set(items.map((item) => `${item.kind}\n${item.label}`));
    this.items = [...this.items.filter((item) => !labels.has(`${item.kind}\n${item.label}`)), ...items];
    this.post(viaHash);
    return items;
  }

  /**
   * The user's key, where an item holds it (a settings file, a terminal that printed it), masked: it would otherwise
   * be sent, shown in the transcript and exported.
   */
  private async withoutKey(items: readonly ContextItem[]): Promise<ContextItem[]> {
    const key = await this.keyStore.get().catch(() => undefined);
    return items.map((item) => {
      const text = hideKey(item.text, key);
      const label = hideKey(item.label, key);
      return text === item.text && label === item.label ? item : { ...item, label, text, chars: text.length };
    });
  }

  remove(id: string): void {
    const before = this.items.length;
    this.items = this.items.filter((item) => item.id !== id);
    if (this.items.length !== before) this.post();
  }

  /** The chips for the question being sent; the input is left without any. */
  take(): ContextItem[] {
    const taken = this.items;
    if (taken.length === 0) return taken;
    this.items = [];
    this.post();
    return taken;
  }

  private post(consumeHash = false): void {
    this.session.post({ type: 'contextChips', chips: this.chips(), ...(consumeHash ? { consumeHash: true } : {}) });
  }
}
