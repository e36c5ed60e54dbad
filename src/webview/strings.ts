import * as vscode from 'vscode';
import type { WebviewStrings } from '../shared/protocol';
import { actionLabel } from '../errors/describeError';

/** Every string the chat view shows, localised here so that the l10n bundle covers the webview too. */
export function webviewStrings(): WebviewStrings {
  return {
    inputLabel: vscode.l10n.t('Ask AnyAPI'),
    inputPlaceholder: vscode.l10n.t('Ask a question about your code…'),
    inputHint: vscode.l10n.t('Enter to send, Shift+Enter for a new line'),
    busyHint: vscode.l10n.t('An answer is still being written: stop it or wait, then send.'),
    send: vscode.l10n.t('Send'),
    stop: vscode.l10n.t('Stop'),
    you: vscode.l10n.t('You'),
    assistant: vscode.l10n.t('AnyAPI'),
    regenerate: vscode.l10n.t('Regenerate'),
    previousVersion: vscode.l10n.t('Previous answer'),
    nextVersion: vscode.l10n.t('Next answer'),
    versionPosition: vscode.l10n.t({
      message: '{0} of {1}',
      args: ['{0}', '{1}'],
      comment: ['{0} is the number of the answer shown, {1} how many answers Regenerate kept for the question (e.g. 2 of 3)'],
    }),
    versionLabel: vscode.l10n.t({
      message: 'Answer {0} of {1}',
      args: ['{0}', '{1}'],
      comment: ['{0} is the number of the answer shown, {1} how many answers Regenerate kept for the question'],
    }),
    attemptFailed: vscode.l10n.t('The new answer failed, so the previous answer is shown again.'),
    editQuestion: vscode.l10n.t('Edit and Resend'),
    editingBanner: vscode.l10n.t('Editing the last question: sending replaces it and its answer.'),
    cancelEdit: vscode.l10n.t('Cancel Edit'),
    copy: vscode.l10n.t('Copy'),
    copied: vscode.l10n.t('Copied'),
    insertAtCursor: vscode.l10n.t('Insert at Cursor'),
    replaceSelection: vscode.l10n.t('Replace Selection'),
    codeBlockLabel: vscode.l10n.t('Code block'),
    hiddenCharacters: vscode.l10n.t({
      message: 'This code holds {0} invisible or text-direction characters: what it does may differ from what it shows. Insert and Replace ask first.',
      args: ['{0}'],
      comment: ['{0} is a number of characters'],
    }),
    stopped: vscode.l10n.t('Stopped'),
    interrupted: vscode.l10n.t('Interrupted'),
    interruptedNotice: vscode.l10n.t('The window closed while this answer arrived: what had arrived is kept.'),
    incomplete: vscode.l10n.t('The answer was cut short'),
    thinking: vscode.l10n.t('Waiting for the answer…'),
    answerFinished: vscode.l10n.t('Answer finished'),
    usage: vscode.l10n.t({
      message: '{0} in · {1} out',
      args: ['{0}', '{1}'],
      comment: ['{0} input tokens, {1} output tokens (numbers)'],
    }),
    reasoningUsage: vscode.l10n.t({ message: '{0} reasoning', args: ['{0}'], comment: ['{0} reasoning tokens (a number)'] }),
    omittedTurns: vscode.l10n.t({
      message: 'first {0} turns not sent',
      args: ['{0}'],
      comment: ['{0} is how many of the conversation’s first turns were left out of the request to fit the model'],
    }),
    emptyTitle: vscode.l10n.t('Chat with AnyAPI'),
    emptyNoKey: vscode.l10n.t('Set your AnyAPI key to start. It is kept in VS Code’s secret storage.'),
    emptyReady: vscode.l10n.t({
      message: 'Ask about your code. Answers come from {0}.',
      args: ['{0}'],
      comment: ['{0} is a model id such as gpt-5.1'],
    }),
    setApiKey: actionLabel('setApiKey'),
    selectModel: actionLabel('selectModel'),
    transcriptLabel: vscode.l10n.t('Conversation'),
    quoteLabel: vscode.l10n.t('Quoted code'),
    errorActions: {
      setApiKey: actionLabel('setApiKey'),
      openBaseUrlSetting: actionLabel('openBaseUrlSetting'),
      openProxySetting: actionLabel('openProxySetting'),
      selectModel: actionLabel('selectModel'),
      retry: actionLabel('retry'),
      retryFewerTurns: actionLabel('retryFewerTurns'),
      newChat: actionLabel('newChat'),
      showLog: actionLabel('showLog'),
    },
  };
}
