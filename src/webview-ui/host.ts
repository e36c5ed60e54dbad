// The webview's link to its host: posting messages, and the view state that survives hiding and reloading the view.
import type { WebviewMessage } from '../shared/protocol';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What survives hiding and reloading the view on the webview side; the conversation itself is the host's. */
export interface ViewState {
  draft: string;
  editing: boolean;
  /** The turn an edit rewrites: the host refuses the edit when another turn has become the last one meanwhile. */
  editingTurnId?: string;
  conversationId?: string;
  scrollTop?: number;
}

const vscode = acquireVsCodeApi();
const saved = (vscode.getState() ?? {}) as Partial<ViewState>;

export const viewState: ViewState = { draft: typeof saved.draft === 'string' ? saved.draft : '', editing: saved.editing === true };
if (typeof saved.conversationId === 'string') viewState.conversationId = saved.conversationId;
if (viewState.editing && typeof saved.editingTurnId === 'string') viewState.editingTurnId = saved.editingTurnId;
if (typeof saved.scrollTop === 'number') viewState.scrollTop = saved.scrollTop;

export function post(message: WebviewMessage): void {
  vscode.postMessage(message);
}

export function saveState(): void {
  vscode.setState(viewState);
}
