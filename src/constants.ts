/** Identifiers users bind keys and write settings with: change them only with a migration. */
export const enum Command {
  ExplainSelection = 'anyapi.explainSelection',
  AskAboutSelection = 'anyapi.askAboutSelection',
  EditSelection = 'anyapi.editSelection',
  WriteAtCursor = 'anyapi.writeAtCursor',
  OpenChat = 'anyapi.openChat',
  NewChat = 'anyapi.newChat',
  SetApiKey = 'anyapi.setApiKey',
  ClearApiKey = 'anyapi.clearApiKey',
  SelectModel = 'anyapi.selectModel',
  TestConnection = 'anyapi.testConnection',
  ShowLog = 'anyapi.showLog',
  AcceptEdit = 'anyapi.acceptEdit',
  RejectEdit = 'anyapi.rejectEdit',
  GetStarted = 'anyapi.getStarted',
  ExplainProblem = 'anyapi.explainProblem',
  FixProblem = 'anyapi.fixProblem',
  ExplainTerminalSelection = 'anyapi.explainTerminalSelection',
  AddContext = 'anyapi.addContext',
}

export const EXTENSION_ID = 'anyapi.anyapi-vscode';
/** The Get Started walkthrough (`contributes.walkthroughs`), as `workbench.action.openWalkthrough` names it. */
export const WALKTHROUGH_ID = `${EXTENSION_ID}#anyapi.getStarted`;
export const CONFIG_SECTION = 'anyapi';
/** The chat view (`contributes.views`). */
export const CHAT_VIEW_ID = 'anyapi.chatView';

/** Setting names under the `anyapi` section. */
export const enum Setting {
  Model = 'model',
  BaseUrl = 'baseUrl',
  Instructions = 'instructions',
  MaxOutputTokens = 'maxOutputTokens',
  Temperature = 'temperature',
  ReasoningEffort = 'reasoningEffort',
  Stream = 'stream',
  Endpoint = 'endpoint',
  RequestTimeoutSeconds = 'requestTimeoutSeconds',
  IdleTimeoutSeconds = 'idleTimeoutSeconds',
  ContextWindowTokens = 'contextWindowTokens',
  HistorySizeLimitMB = 'historySizeLimitMB',
  /** Never read for requests: only found to be moved into SecretStorage. */
  LegacyApiKey = 'apiKey',
}

/** The one name the key is stored under in SecretStorage. */
export const SECRET_API_KEY = 'anyapi.apiKey';

export const DEFAULT_BASE_URL = 'https://www.anyapi.vip';
export const DEFAULT_MODEL = 'gpt-5.1';
export const LOG_CHANNEL_NAME = 'AnyAPI';
