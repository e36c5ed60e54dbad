/**
 * Fits code from an answer to where it lands: its indentation re-based onto the document's, its lines ended with
 * the document's line ending, and (for Write) on lines of its own. Pure: no vscode, unit-tested in plain Node.
 */
import { dropBlankEdges } from './answerCode';

/** The document's indentation unit, as the editor shows it; relative indentation is converted to it. */
export interface IndentStyle {
  readonly insertSpaces: boolean;
  readonly tabSize: number;
}

export interface Landing {
  /** The indentation every line of the code is re-based onto. */
  readonly indent: string;
  /** What the document already holds before the code's first line, on that line: whitespace, or code it continues. */
  readonly linePrefix: string;
  readonly eol: string;
  readonly style?: IndentStyle;
  /**
   * Edit: the code sent to the model began after `linePrefix`, its first line indented by only this much. An answer
   * whose first line is indented the same, above lines indented at least `indent`, kept that frame.
   */
  readonly sentFirstIndent?: string;
}

export function leadingWhitespace(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? '';
}

function isBlank(text: string): boolean {
  return text.trim() === '';
}

/** The longest whitespace every non-blank line starts with. */
function commonIndentation(lines: readonly string[]): string {
  let common: string | undefined;
  for (const line of lines.filter((candidate) => !isBlank(candidate))) {
    const indent = leadingWhitespace(line);
    if (common === undefined) {
      common = indent;
      continue;
    }
    let length = 0;
    while (length < common.length && length < indent.length && common[length] === indent[length]) {
      length++;
    }
    common = common.slice(0, length);
  }
  return common ?? '';
}

function columns(whitespace: string, tabSize: number): number {
  let width = 0;
  for (const char of whitespace) {
    width = char === '\t' ? width + tabSize - (width % tabSize) : width + 1;
  }
  return width;
}

/** Writes a line's leading whitespace in the document's unit (tabs, or spaces). */
function restyle(line: string, style: IndentStyle | undefined): string {
  const indent = leadingWhitespace(line);
  const foreign = style?.insertSpaces ? '\t' : ' ';
  if (!style || !indent.includes(foreign) || style.tabSize < 1) {
    return line;
  }
  const width = columns(indent, style.tabSize);
  const unit = style.insertSpaces
    ? ' '.repeat(width)
    : '\t'.repeat(Math.floor(width / style.tabSize)) + ' '.repeat(width % style.tabSize);
  return unit + line.slice(indent.length);
}

/** True when the answer's first line is in the frame of the code that was sent, whose first line lost its indentation. */
function keptSentFrame(lines: readonly string[], landing: Landing): boolean {
  return (
    landing.sentFirstIndent !== undefined &&
    leadingWhitespace(lines[0]) === landing.sentFirstIndent &&
    lines.slice(1).every((line) => isBlank(line) || leadingWhitespace(line).length >= landing.indent.length)
  );
}

/**
 * The code's lines, dedented by what they have in common and indented by `landing.indent` instead, joined with the
 * document's line ending. The first line gets only what `linePrefix` does not already give it. Blank lines are empty.
 */
export function rebaseIndentation(code: string, landing: Landing): string {
  const trimmed = dropBlankEdges(code);
  if (!trimmed) {
    return '';
  }
  const lines = trimmed.split(/\r?\n/);
  if (keptSentFrame(lines, landing)) {
    lines[0] = landing.indent + lines[0].trimStart();
  }
  const common = commonIndentation(lines);
  const relative = lines.map((line) => (isBlank(line) ? '' : restyle(line.slice(common.length), landing.style)));
  const placed = relative.map((line) => (line ? landing.indent + line : ''));
  if (landing.linePrefix) {
    const continuesCode = !isBlank(landing.linePrefix);
    placed[0] = !continuesCode && placed[0].startsWith(landing.linePrefix) ? placed[0].slice(landing.linePrefix.length) : relative[0];
  }
  return placed.join(landing.eol);
}

/** Edit's selection, as the document holds it now. */
export interface SelectedCode {
  /** The selected text. */
  readonly text: string;
  /** The text before the selection on its first line. */
  readonly linePrefix: string;
  readonly eol: string;
  readonly style?: IndentStyle;
}

/**
 * The replacement for Edit's selection: indented like the selection's first line, and starting and ending with the
 * line breaks (and the indentation after the last one) the selection started and ended with.
 */
export function fitReplacement(code: string, selection: SelectedCode): string {
  const lead = /^(?:[ \t]*\r?\n)*/.exec(selection.text)?.[0] ?? '';
  const rest = selection.text.slice(lead.length);
  const trail = /(?:\r?\n[ \t]*)*$/.exec(rest)?.[0] ?? '';
  const linePrefix = lead ? '' : selection.linePrefix;
  const firstLine = rest.split(/\r?\n/, 1)[0];
  const indent = leadingWhitespace(isBlank(linePrefix) ? linePrefix + firstLine : linePrefix);
  const body = rebaseIndentation(code, {
    indent,
    linePrefix,
    eol: selection.eol,
    style: selection.style,
    ...(linePrefix ? { sentFirstIndent: leadingWhitespace(firstLine) } : {}),
  });
  return body ? lead + body + trail : '';
}

/** Write's cursor, as the document holds it now. */
export interface CursorLine {
  /** The text of the cursor's line before and after the cursor. */
  readonly before: string;
  readonly after: string;
  /** The nearest non-blank lines below and above, which tell a blank line's indentation. */
  readonly nextLine?: string;
  readonly previousLine?: string;
  /** The cursor's line is the document's last, after a line break: code on it keeps the file ending with one. */
  readonly lastLine?: boolean;
  readonly eol: string;
  readonly style?: IndentStyle;
}

/**
 * Where Write's code lands: on the cursor's line's indentation; on a blank line, where the cursor is, else like the
 * code that follows (a sibling of it, which is the safe guess in indentation-sensitive languages), else what precedes.
 */
export function landingIndent(line: CursorLine): string {
  if (!isBlank(line.before + line.after)) {
    return leadingWhitespace(line.before + line.after);
  }
  return line.before || leadingWhitespace(line.nextLine ?? line.previousLine ?? '');
}

/**
 * Write's text to insert at the cursor, replacing the whitespace right after it: the code on lines of its own (a line
 * break before it when text precedes the cursor, after it when text follows or when it lands on the blank last line
 * of a file that ends with a line break), indented where it lands.
 */
export function placeAtCursor(code: string, line: CursorLine): string {
  const textBefore = !isBlank(line.before);
  const textAfter = !isBlank(line.after);
  const indent = landingIndent(line);
  const body = rebaseIndentation(code, { indent, linePrefix: textBefore ? '' : line.before, eol: line.eol, style: line.style });
  if (!body) {
    return '';
  }
  const head = textBefore ? line.eol : '';
  const endsFile = line.lastLine === true && !textBefore && !textAfter;
  const tail = textAfter ? line.eol + indent : endsFile ? line.eol : '';
  return head + body + tail;
}
