/** Follows a span of a document (in offsets) through later edits. Pure, so it is unit-tested in plain Node. */

export interface OffsetSpan {
  readonly start: number;
  readonly end: number;
}

export interface TextChange {
  /** Offset of the replaced text in the document before the change. */
  readonly rangeOffset: number;
  readonly rangeLength: number;
  readonly text: string;
}

/**
 * Where the span is after a change; `undefined` when the change touched the span itself, so the code it held is
 * no longer known. An insertion exactly at the span's start or end leaves the span's text unchanged.
 */
export function shiftSpan(span: OffsetSpan, change: TextChange): OffsetSpan | undefined {
  const changeEnd = change.rangeOffset + change.rangeLength;
  const delta = change.text.length - change.rangeLength;
  if (changeEnd <= span.start) {
    if (change.rangeLength === 0 && change.rangeOffset === span.start && span.start === span.end) {
      return span;
    }
    return { start: span.start + delta, end: span.end + delta };
  }
  if (change.rangeOffset >= span.end) {
    return span;
  }
  return undefined;
}

/** Applies changes in the order VS Code reports them within one event (each against the text before it). */
export function shiftSpanThrough(span: OffsetSpan | undefined, changes: readonly TextChange[]): OffsetSpan | undefined {
  // Changes in one event do not overlap; apply the later ones first so earlier offsets stay valid.
  const ordered = [...changes].sort((a, b) => b.rangeOffset - a.rangeOffset);
  let current = span;
  for (const change of ordered) {
    if (!current) {
      return undefined;
    }
    current = shiftSpan(current, change);
  }
  return current;
}
