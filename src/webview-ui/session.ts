// What the view currently shows: the host's strings and status, the conversation's turns and their live streams.
import type { ConversationView, StatusView, TurnView, WebviewStrings } from '../shared/protocol';
import type { StreamView } from './streamView';

interface Session {
  /** Undefined until the host's `init`: nothing is rendered before it. */
  strings: WebviewStrings | undefined;
  status: StatusView;
  conversation: ConversationView | undefined;
  turns: TurnView[];
}

export const session: Session = { strings: undefined, status: { hasKey: true, model: '' }, conversation: undefined, turns: [] };

/** The stream view of every answer being written, by turn id. */
export const streams = new Map<string, StreamView>();

export function isStreaming(): boolean {
  return session.turns.some((turn) => turn.state === 'streaming');
}
