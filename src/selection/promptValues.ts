import * as vscode from 'vscode';
import { trustedValue } from '../config/config';
import { CONFIG_SECTION } from '../constants';
import type { PromptKind, PromptValues } from '../prompts/templates';
import { buildPrompt, displayLanguageName } from '../prompts/templates';
import type { CodeTarget } from './codeTarget';

/** The prompt for a command, from its default template or the user's `anyapi.prompts.<kind>` override. */
export function promptFor(kind: PromptKind, target: CodeTarget, extra: Partial<PromptValues> = {}): string {
  const override = trustedValue<string>(vscode.workspace.getConfiguration(CONFIG_SECTION, target.document.uri), `prompts.${kind}`) ?? '';
  const values: PromptValues = {
    code: target.code,
    language: target.languageId,
    fileName: target.fileLabel,
    lineRange: target.startLine === target.endLine ? String(target.startLine) : `${target.startLine}-${target.endLine}`,
    displayLanguage: displayLanguageName(vscode.env.language),
    ...extra,
  };
  return buildPrompt(kind, values, override);
}
