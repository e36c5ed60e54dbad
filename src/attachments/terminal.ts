/** The terminal as context: its selected text, and the last command it ran with its output (shell integration). */
import * as vscode from 'vscode';

/**
 * The active terminal's selected text. The API has no stable way to read it, so the terminal's own Copy puts it on the
 * clipboard, which then gets back what it held. A marker written first tells "nothing was selected" apart from a
 * clipboard that already held text.
 */
export async function terminalSelection(): Promise<string | undefined> {
  const clipboard = vscode.env.clipboard;
  const before = await clipboard.readText();
  const marker = `anyapi-no-terminal-selection-${Date.now()}-${Math.random()}`;
  await clipboard.writeText(marker);
  try {
    await vscode.commands.executeCommand('workbench.action.terminal.copySelection');
    const copied = await clipboard.readText();
    return copied === marker || !copied.trim() ? undefined : copied;
  } finally {
    await clipboard.writeText(before);
  }
}

/** Terminal output keeps at most this much of its end while a command runs. */
const MAX_OUTPUT_CHARS = 200_000;

/** Colours, cursor moves and the shell integration's own sequences: not text a reader (or model) wants. */
// eslint-disable-next-line no-control-regex
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]|\r(?!\n)/g;

export function plainTerminalText(text: string): string {
  return text.replace(ESCAPES, '');
}

export interface TerminalCommand {
  readonly terminalName: string;
  readonly commandLine: string;
  /** What it printed, in the chunks it came in; the oldest go once the rest hold MAX_OUTPUT_CHARS. */
  readonly chunks: string[];
  chars: number;
  exitCode?: number;
}

/** Keeps a chunk of output without copying what came before (a build prints thousands of chunks). */
function addOutput(command: TerminalCommand, data: string): void {
  command.chunks.push(data);
  command.chars += data.length;
  while (command.chunks.length > 1 && command.chars - (command.chunks[0]?.length ?? 0) >= MAX_OUTPUT_CHARS) {
    command.chars -= command.chunks.shift()?.length ?? 0;
  }
}

/** The shell-integration events of VS Code 1.93 and later, looked up at run time (the oldest supported has none). */
interface ShellExecutionEvents {
  onDidStartTerminalShellExecution?: vscode.Event<{ terminal: vscode.Terminal; execution: { commandLine: { value: string }; read(): AsyncIterable<string> } }>;
  onDidEndTerminalShellExecution?: vscode.Event<{ terminal: vscode.Terminal; execution: unknown; exitCode: number | undefined }>;
}

/**
 * Remembers the last command each terminal ran and its output, where the terminal has shell integration (VS Code 1.93
 * and later, with a shell it supports). Elsewhere nothing is recorded, and the picker says so.
 */
export class TerminalCommands implements vscode.Disposable {
  private readonly last = new Map<vscode.Terminal, TerminalCommand>();
  private readonly disposables: vscode.Disposable[] = [];
  readonly supported: boolean;

  constructor() {
    const events = vscode.window as unknown as ShellExecutionEvents;
    this.supported = typeof events.onDidStartTerminalShellExecution === 'function';
    if (!events.onDidStartTerminalShellExecution || !events.onDidEndTerminalShellExecution) return;
    const executions = new Map<unknown, TerminalCommand>();
    this.disposables.push(
      events.onDidStartTerminalShellExecution(({ terminal, execution }) => {
        const command: TerminalCommand = { terminalName: terminal.name, commandLine: execution.commandLine.value, chunks: [], chars: 0 };
        executions.set(execution, command);
        this.last.set(terminal, command);
        void (async () => {
          for await (const data of execution.read()) addOutput(command, data);
        })().catch(() => undefined);
      }),
      events.onDidEndTerminalShellExecution(({ execution, exitCode }) => {
        const command = executions.get(execution);
        executions.delete(execution);
        if (command && exitCode !== undefined) command.exitCode = exitCode;
      }),
      vscode.window.onDidCloseTerminal((terminal) => this.last.delete(terminal)),
    );
  }

  /** The last command of the active terminal, else of the terminal that ran one last. */
  lastCommand(): TerminalCommand | undefined {
    const active = vscode.window.activeTerminal;
    return (active && this.last.get(active)) ?? [...this.last.values()].at(-1);
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.last.clear();
  }
}

/** The command as text to attach: the prompt line, the output without escape sequences, and how it exited. */
export function commandAsText(command: TerminalCommand): string {
  const exit = command.exitCode === undefined ? '' : `\n[exit code ${command.exitCode}]`;
  return `$ ${command.commandLine}\n${plainTerminalText(command.chunks.join('').slice(-MAX_OUTPUT_CHARS)).trimEnd()}${exit}`;
}
