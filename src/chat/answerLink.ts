// Links in answers: opened in the browser only when the user confirms the full address.
import * as vscode from 'vscode';
import type { ComponentLogger } from '../util/logger';

/** Opens a link from an answer only after the user saw the full address and confirmed; other schemes are refused. */
export async function openAnswerLink(href: string, log: ComponentLogger): Promise<boolean> {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:' && url.protocol !== 'mailto:') {
    log.warn(`Refused to open a ${url.protocol} link from an answer.`);
    return false;
  }
  const open = vscode.l10n.t('Open Link');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Open this link from the answer?'),
    { modal: true, detail: url.href },
    open,
  );
  if (choice !== open) return false;
  return vscode.env.openExternal(vscode.Uri.parse(url.href, true));
}
