import * as vscode from 'vscode';
import { LOG_CHANNEL_NAME } from '../constants';
import { redactSecrets } from '../api/redact';

/** What a component logs through: every line is tagged with the component and scrubbed of secrets. */
export interface ComponentLogger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string | unknown): void;
}

/** The extension's one LogOutputChannel ("AnyAPI" in the Output panel). */
export class Logger implements vscode.Disposable {
  private readonly channel: vscode.LogOutputChannel;
  private readonly secrets = new Set<string>();

  constructor() {
    this.channel = vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true });
  }

  /** Registers a value (the API key) that must never reach the log. */
  addSecret(secret: string | undefined): void {
    if (secret) {
      this.secrets.add(secret);
    }
  }

  forComponent(component: string): ComponentLogger {
    const line = (message: unknown): string => redactSecrets(`[${component}] ${formatMessage(message)}`, this.secrets);
    return {
      trace: (message) => this.channel.trace(line(message)),
      debug: (message) => this.channel.debug(line(message)),
      info: (message) => this.channel.info(line(message)),
      warn: (message) => this.channel.warn(line(message)),
      error: (message) => this.channel.error(line(message)),
    };
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}

function formatMessage(message: unknown): string {
  if (message instanceof Error) {
    return message.stack ?? `${message.name}: ${message.message}`;
  }
  return typeof message === 'string' ? message : String(message);
}
