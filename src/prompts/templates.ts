/**
 * Prompts of the selection commands. Pure: no vscode, so they are unit-tested in plain Node. Each command has a
 * default template and a setting to override it; placeholders are written `{name}`.
 */

export type PromptKind = 'explain' | 'ask' | 'edit' | 'write';

export interface PromptValues {
  /** The code the command is about (the selection, the function around the cursor, or the file). */
  readonly code: string;
  /** VS Code's language id, e.g. `typescript`. */
  readonly language: string;
  /** Workspace-relative file name, e.g. `src/app.ts`. */
  readonly fileName: string;
  /** e.g. `12-30`. */
  readonly lineRange: string;
  /** The user's question (Ask) or instruction (Edit, Write). */
  readonly question?: string;
  /** The language answers are written in, e.g. `English` or `Simplified Chinese (简体中文)`. */
  readonly displayLanguage: string;
  /** For Write at Cursor: the text before and after the cursor. */
  readonly before?: string;
  readonly after?: string;
}

export const DEFAULT_TEMPLATES: Readonly<Record<PromptKind, string>> = {
  explain: [
    'Explain the following {language} code from `{fileName}` (lines {lineRange}).',
    'Say what it does, how, and anything surprising or risky. Answer in {displayLanguage}.',
    '',
    '{code}',
  ].join('\n'),
  ask: [
    '{question}',
    '',
    'The question is about this {language} code from `{fileName}` (lines {lineRange}). Answer in {displayLanguage}.',
    '',
    '{code}',
  ].join('\n'),
  edit: [
    'Rewrite the following {language} code from `{fileName}` (lines {lineRange}) as instructed.',
    'Instruction: {question}',
    '',
    'Reply with the complete replacement code only, in one fenced code block marked {language}, keeping the indentation',
    'of the original. The first {language} block of your answer replaces the code, so put no usage example or other',
    'fenced block before it, and no explanation around it. Comments inside the code are written in {displayLanguage}.',
    '',
    '{code}',
  ].join('\n'),
  write: [
    'Write {language} code to insert at the cursor in `{fileName}` (line {lineRange}).',
    'Instruction: {question}',
    '',
    'Reply with the code to insert only, in one fenced code block marked {language}. The first {language} block of your',
    'answer is inserted, so put no usage example or other fenced block before it, and no explanation around it.',
    'Comments inside the code are written in {displayLanguage}.',
    '',
    'Code before the cursor:',
    '{before}',
    '',
    'Code after the cursor:',
    '{after}',
  ].join('\n'),
};

/** A fence that the code itself cannot close: longer than any backtick run inside it. */
export function fence(code: string, language: string): string {
  const longest = Math.max(2, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${language}\n${code.replace(/\n$/, '')}\n${ticks}`;
}

/**
 * Fills a template. `{code}`, `{before}` and `{after}` are fenced with the language unless the template already
 * wraps them in a fence. Unknown placeholders are left as they are, so a typo shows up in the prompt.
 */
export function buildPrompt(kind: PromptKind, values: PromptValues, override?: string): string {
  const template = override?.trim() ? override : DEFAULT_TEMPLATES[kind];
  return template.replace(/\{(\w+)\}/g, (match, name: string, offset: number, whole: string) => {
    switch (name) {
      case 'code':
      case 'before':
      case 'after': {
        const text = values[name] ?? '';
        const insideFence = /```[^\n]*\n$/.test(whole.slice(0, offset));
        return insideFence ? text : fence(text, values.language);
      }
      case 'language':
        return values.language;
      case 'fileName':
        return values.fileName;
      case 'lineRange':
        return values.lineRange;
      case 'question':
        return values.question ?? '';
      case 'displayLanguage':
        return values.displayLanguage;
      default:
        return match;
    }
  });
}

const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  en: 'English',
  'zh-cn': 'Simplified Chinese (简体中文)',
  'zh-tw': 'Traditional Chinese (繁體中文)',
  ja: 'Japanese (日本語)',
  ko: 'Korean (한국어)',
  de: 'German (Deutsch)',
  fr: 'French (Français)',
  es: 'Spanish (Español)',
  it: 'Italian (Italiano)',
  ru: 'Russian (Русский)',
  'pt-br': 'Brazilian Portuguese (Português)',
  tr: 'Turkish (Türkçe)',
  pl: 'Polish (Polski)',
  cs: 'Czech (Čeština)',
};

/** The name of VS Code's display language (`vscode.env.language`) as the model should read it. */
export function displayLanguageName(locale: string): string {
  const normalized = locale.toLowerCase();
  return LANGUAGE_NAMES[normalized] ?? LANGUAGE_NAMES[normalized.split('-')[0]] ?? locale;
}
