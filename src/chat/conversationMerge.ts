// Two windows on one folder: what another window wrote merged into this window's copy, by conversation and by turn.
import type { Conversation, Turn } from './conversation';
import { canonicalTurn } from './conversationFormat';

function headerOf(conversation: Conversation): string {
  return JSON.stringify([conversation.title, conversation.titleEdited === true, conversation.contextStart ?? 0]);
}

/** Replaces what `mine` says with what `theirs` says, keeping the object (a running answer may hold it). */
function takeTurn(mine: Turn, theirs: Turn): void {
  const target = mine as unknown as Record<string, unknown>;
  for (const key of Object.keys(target)) {
    if (key !== 'id' && key !== 'createdAt') delete target[key];
  }
  Object.assign(target, theirs);
}

/**
 * Merges `theirs` (the file as another window left it) into `ours` (this window's copy), in place. `base` is the file
 * as this window last read or wrote it. A turn or title this window changed since `base` stays as it is here; one
 * only the other window changed is taken from it; turns one side added are kept from both, in the order they were
 * asked. `keep` is a turn never to be replaced (the answer running here). Says whether anything of `theirs` came in
 * (`incoming`) and whether this window has anything the file lacks (`outgoing`: it is to be written).
 */
export function mergeConversation(
  ours: Conversation,
  theirs: Conversation,
  base: Conversation | undefined,
  keep?: string,
): { incoming: boolean; outgoing: boolean } {
  let changed = false;
  let outgoing = false;
  if (base && headerOf(ours) === headerOf(base) && headerOf(theirs) !== headerOf(ours)) {
    ours.title = theirs.title;
    if (theirs.titleEdited) ours.titleEdited = true;
    else delete ours.titleEdited;
    if (theirs.contextStart) ours.contextStart = theirs.contextStart;
    else delete ours.contextStart;
    changed = true;
  } else if (headerOf(theirs) !== headerOf(ours)) {
    outgoing = true;
  }
  const baseTurns = new Map((base?.turns ?? []).map((turn) => [turn.id, canonicalTurn(turn)]));
  const mine = new Map(ours.turns.map((turn) => [turn.id, turn]));
  const theirIds = new Set(theirs.turns.map((turn) => turn.id));
  if (ours.turns.some((turn) => !theirIds.has(turn.id))) outgoing = true;
  for (const turn of theirs.turns) {
    const own = mine.get(turn.id);
    if (!own) {
      ours.turns.push(turn);
      changed = true;
      continue;
    }
    const ownNow = canonicalTurn(own);
    const theirNow = canonicalTurn(turn);
    if (ownNow === theirNow) continue;
    if (turn.id !== keep && ownNow === baseTurns.get(turn.id)) {
      takeTurn(own, turn);
      changed = true;
    } else {
      outgoing = true;
    }
  }
  if (changed) {
    // Stable: turns asked at the same moment keep this window's order.
    ours.turns.sort((a, b) => a.createdAt - b.createdAt);
  }
  ours.updatedAt = Math.max(ours.updatedAt, theirs.updatedAt);
  return { incoming: changed, outgoing };
}
