import * as vscode from 'vscode';
import { WALKTHROUGH_ID } from '../constants';

/** Opens the Get Started walkthrough: key, model, a first explanation, the chat. */
export async function openGetStarted(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
}
