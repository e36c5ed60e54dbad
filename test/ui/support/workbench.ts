// Drives code-server's workbench the way a person does: palette, input boxes, notifications, views, webviews.
// One Workbench = one fresh code-server + Chromium + fake AnyAPI server; use it through `useWorkbench()`.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import type { BrowserSession } from '../../../scripts/harness/browser';
import { launchBrowser, screenshot } from '../../../scripts/harness/browser';
import type { CodeServer } from '../../../scripts/harness/codeServer';
import { installVsix, startCodeServer } from '../../../scripts/harness/codeServer';
import { repoRoot, vsixPath } from '../../../scripts/harness/paths';
import { log, step, waitFor } from '../../../scripts/harness/proc';
import type { RunFolder } from '../../../scripts/harness/runFolder';
import { createRunFolder, quietUserSettings, settingsFiles, writeJson } from '../../../scripts/harness/runFolder';
import type { FakeAnyApi } from '../../support/fakeAnyApi';
import { startFakeAnyApi } from '../../support/fakeAnyApi';

export type Theme = 'light' | 'dark';

export interface WorkbenchOptions {
  /** `development`: the built extension folder loaded through the smoke-test driver's payload (toasts hidden);
   *  `vsix`: the packaged anyapi-vscode.vsix installed with --install-extension, no driver (toasts shown). */
  readonly extension: 'development' | 'vsix';
  readonly theme?: Theme;
  /** Files to create in the workspace, relative path → content. */
  readonly files?: Record<string, string>;
  /** More user settings (the user's own settings.json); a function gets the fake server (its port, say). */
  readonly userSettings?: Record<string, unknown> | ((fake: FakeAnyApi) => Record<string, unknown>);
  /** The user's keybindings.json. */
  readonly keybindings?: readonly unknown[];
  /** A `.code-workspace` file among `files` to open instead of the folder (a multi-root workspace). */
  readonly workspaceFile?: string;
}

const EXTENSION_ID = 'anyapi.anyapi-vscode';
const themes: Record<Theme, string> = { light: 'Default Light Modern', dark: 'Default Dark Modern' };
const UI_MS = 30_000;
const STARTUP_MS = 120_000;
const COMMAND_LISTED_MS = 90_000;

export class Workbench {
  private failed = false;
  private theme: Theme;
  /** The address the window was opened at (with the driver's payload). */
  private url = '';
  /** Another window of the first one's code-server: closing it closes only its page. */
  private secondary = false;

  private constructor(
    readonly page: Page,
    readonly fake: FakeAnyApi,
    readonly run: RunFolder,
    private readonly server: CodeServer,
    private readonly browser: BrowserSession,
    readonly options: WorkbenchOptions,
  ) {
    this.theme = options.theme ?? 'light';
  }

  /** Notifications show as toasts, except with the smoke-test driver, which hides them. */
  get toasts(): boolean {
    return this.options.extension === 'vsix';
  }

  static async start(options: WorkbenchOptions): Promise<Workbench> {
    const run = createRunFolder(`ui-${options.extension === 'vsix' ? 'vsix' : 'dev'}`);
    const fake = await startFakeAnyApi();
    const files = settingsFiles(run);
    const theme = options.theme ?? 'light';
    // anyapi.baseUrl has `machine` scope. code-server 4.139 applies it from the user settings
    // (<user-data-dir>/User/settings.json); its remote <user-data-dir>/Machine/settings.json is not read for it.
    writeJson(files.user, {
      ...quietUserSettings,
      'workbench.colorTheme': themes[theme],
      'window.autoDetectColorScheme': false,
      'anyapi.baseUrl': fake.url,
      ...(typeof options.userSettings === 'function' ? options.userSettings(fake) : options.userSettings),
    });
    if (options.keybindings) {
      writeJson(path.join(path.dirname(files.user), 'keybindings.json'), options.keybindings);
    }
    for (const [name, content] of Object.entries(options.files ?? {})) {
      fs.mkdirSync(path.dirname(path.join(run.workspace, name)), { recursive: true });
      fs.writeFileSync(path.join(run.workspace, name), content);
    }
    let server: CodeServer | undefined;
    let browser: BrowserSession | undefined;
    try {
      if (options.extension === 'vsix') {
        assert.ok(fs.existsSync(vsixPath), `${path.basename(vsixPath)} is missing: run npm run package`);
        installVsix(run, vsixPath);
      }
      const workspaceFile = options.workspaceFile ? path.join(run.workspace, options.workspaceFile) : undefined;
      server = await step('start code-server', 90_000, () =>
        startCodeServer(run, { smokeTestDriver: options.extension === 'development', ...(workspaceFile ? { workspaceFile } : {}) }),
      );
      browser = await step('launch Chromium', 60_000, () => launchBrowser(run, { colorScheme: theme }));
      const workbench = new Workbench(browser.page, fake, run, server, browser, options);
      const devServer = server;
      const payload: [string, string][] | undefined =
        options.extension === 'development'
          ? [
              ['extensionDevelopmentPath', devServer.remoteUri(repoRoot)],
              ['skipWelcome', 'true'],
            ]
          : undefined;
      workbench.url = devServer.workbenchUrl(payload);
      await step('open the workbench page', STARTUP_MS, () => browser!.page.goto(workbench.url, { waitUntil: 'domcontentloaded' }));
      await workbench.whenRestored();
      return workbench;
    } catch (error) {
      if (browser) {
        await screenshot(browser.page, 'startup-failure', run.logs).catch(() => undefined);
        await browser.close();
      }
      await server?.stop();
      await fake.close();
      run.keepForDiagnosis();
      throw error;
    }
  }

  /**
   * A second window on the same folder, as when a person opens the folder again: another page of the same code-server
   * and browser, with its own workbench and extension host. Close it with `close()`.
   */
  async openAnotherWindow(): Promise<Workbench> {
    const page = await this.browser.context.newPage();
    const session: BrowserSession = { context: this.browser.context, page, close: () => page.close() };
    const other = new Workbench(page, this.fake, this.run, this.server, session, this.options);
    other.secondary = true;
    other.url = this.url;
    await step('open a second window on the folder', STARTUP_MS, () => page.goto(this.url, { waitUntil: 'domcontentloaded' }));
    await other.whenRestored();
    return other;
  }

  private async whenRestored(): Promise<void> {
    const page = this.page;
    await step('workbench renders (.monaco-workbench)', STARTUP_MS, () => page.waitForSelector('.monaco-workbench', { timeout: STARTUP_MS }));
    if (!this.toasts) {
      await step('smoke-test driver appears (window.driver)', STARTUP_MS, () =>
        page.waitForFunction(() => !!(globalThis as unknown as { driver?: unknown }).driver, undefined, { timeout: STARTUP_MS }),
      );
      await step('workbench restored', STARTUP_MS, () =>
        page.evaluate(() => (globalThis as unknown as { driver: { whenWorkbenchRestored(): Promise<void> } }).driver.whenWorkbenchRestored()),
      );
    }
    await step('status bar shows', STARTUP_MS, () => page.locator('.part.statusbar').waitFor({ state: 'visible', timeout: STARTUP_MS }));
  }

  // ---- the command palette --------------------------------------------------------------------------------

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  get quickInputBox(): Locator {
    return this.page.locator('.quick-input-widget .quick-input-box input');
  }

  /**
   * Opens the command palette (F1) from the keyboard. Focus may be inside a webview: it is handed back to the
   * workbench without a pointer event (a click's late focus change closes a quick input that has just opened).
   */
  async openPalette(): Promise<void> {
    await step('open the command palette', UI_MS, async () => {
      if (await this.quickInput.isVisible()) {
        await this.page.keyboard.press('Escape');
        await this.quickInput.waitFor({ state: 'hidden', timeout: UI_MS });
      }
      await this.page.evaluate(() => {
        const active = document.activeElement;
        if (active instanceof HTMLIFrameElement) {
          active.blur();
        }
      });
      await this.page.keyboard.press('F1');
      await this.quickInputBox.waitFor({ state: 'visible', timeout: UI_MS });
      await waitFor('the command palette has the focus', UI_MS, () =>
        this.quickInputBox.evaluate((box) => box === document.activeElement).catch(() => false),
      );
    });
  }

  /** Runs a command by its palette title, e.g. "AnyAPI: Test Connection", as a person picks it from the keyboard. */
  async runCommand(title: string): Promise<void> {
    const row = this.quickPickRow(title, { exact: true });
    // An extension's commands are listed once the workbench has read its manifest, which takes a while on a busy
    // machine; the palette collects commands when it opens, so reopen it until the command is there.
    await waitFor(`"${title}" is listed in the command palette`, COMMAND_LISTED_MS, async () => {
      await this.openPalette();
      await this.quickInputBox.fill(`>${title}`, { timeout: 5_000 });
      return row.waitFor({ state: 'visible', timeout: 3_000 }).then(() => true);
    });
    await this.pickQuickPickRow(title, { exact: true });
    // The palette closes, or the widget turns into the input box or list the command opens.
    await waitFor(`"${title}" runs (the palette closes)`, UI_MS, async () => {
      return !(await this.quickInput.isVisible()) || (await this.quickInputBox.inputValue().catch(() => '')) !== `>${title}`;
    });
  }

  /** A row of the open quick pick (palette, Quick Open, a command's list) that shows this text. */
  quickPickRow(text: string | RegExp, options: { exact?: boolean } = {}): Locator {
    return this.page.locator('.quick-input-widget .monaco-list-row', { has: this.page.getByText(text, { exact: options.exact ?? false }) }).first();
  }

  /**
   * Picks a row of the open quick pick from the keyboard: arrows until the row is focused, then Enter. Pointer clicks
   * on list rows depend on the browser's event timing; the keyboard does not.
   */
  async pickQuickPickRow(text: string | RegExp, options: { exact?: boolean; timeoutMs?: number } = {}): Promise<void> {
    const row = this.quickPickRow(text, options);
    await step(`pick "${String(text)}" from the list`, options.timeoutMs ?? UI_MS, async () => {
      await row.waitFor({ state: 'visible', timeout: UI_MS });
      let closed = false;
      await waitFor(`"${String(text)}" is the focused row`, UI_MS, async () => {
        if (await row.evaluate((element) => element.classList.contains('focused')).catch(() => false)) {
          return true;
        }
        // The list went away meanwhile (it accepted the row already): no key may go to what it opened.
        if (!(await this.quickInput.isVisible())) {
          closed = true;
          return true;
        }
        await this.quickInputBox.press('ArrowDown', { timeout: 2_000 }).catch(() => undefined);
        return false;
      }, 50);
      if (!closed) await this.quickInputBox.press('Enter');
    });
  }

  /**
   * Clicks a button of a quick pick row (shown on hover; lists have no keyboard path to them) until what it opens is
   * there: a row re-rendered under the pointer can swallow a click, so judge by the effect, not by the click.
   */
  async clickQuickPickRowButton(rowText: string, button: string, opened: () => Promise<boolean>): Promise<void> {
    const row = this.quickPickRow(rowText);
    const action = row.locator(`.action-label[aria-label="${button}"], .action-label[title="${button}"]`).first();
    await waitFor(`"${button}" on the row "${rowText}" opens what it should`, UI_MS, async () => {
      if (await opened()) {
        return true;
      }
      if (await row.isVisible()) {
        await row.hover({ timeout: 2_000 }).catch(() => undefined);
        await action.click({ timeout: 2_000 }).catch(() => undefined);
      }
      return opened();
    }, 250);
  }

  /** Waits for the input box a command opened, types into it and presses Enter. */
  async answerInputBox(text: string, options: { password?: boolean; screenshot?: string } = {}): Promise<void> {
    await step('type into the input box', UI_MS, async () => {
      const input = this.quickInputBox;
      await input.waitFor({ state: 'visible', timeout: UI_MS });
      if (options.password) {
        await waitFor('the input box hides what is typed (type=password)', UI_MS, async () => (await input.getAttribute('type')) === 'password');
      }
      await input.fill(text);
      if (options.screenshot) {
        await this.screenshot(options.screenshot);
      }
      await input.press('Enter');
      await this.quickInput.waitFor({ state: 'hidden', timeout: UI_MS });
    });
  }

  /**
   * Opens a workspace file through Quick Open (Ctrl+P's list, from the keyboard) until its editor is the active one.
   * A quick input that closes under the test (a late focus change) is opened again: the effect decides, not the keys.
   */
  async openFile(fileName: string): Promise<void> {
    const activeTab = this.page.locator('.part.editor .tab.active', { hasText: fileName }).first();
    await waitFor(`${fileName} is the active editor`, 60_000, async () => {
      if (await activeTab.isVisible()) {
        return true;
      }
      await this.openPalette();
      await this.quickInputBox.fill(fileName, { timeout: 5_000 });
      const row = this.quickPickRow(fileName);
      if (!(await row.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false))) {
        return false;
      }
      await this.pickQuickPickRow(fileName).catch((error: Error) => log(`Quick Open: ${error.message.split('\n')[0]}`));
      return activeTab.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
    }, 250);
  }

  // ---- menus ------------------------------------------------------------------------------------------------

  /** Every open context menu (VS Code renders them inside a shadow root, which locators pierce). */
  get menus(): Locator {
    return this.page.locator('.monaco-menu');
  }

  /** The label of the focused entry of the innermost open menu. */
  private async focusedMenuEntry(): Promise<string | undefined> {
    const focused = this.menus.last().locator('.action-item.focused .action-label').first();
    return (await focused.count()) > 0 ? (await focused.innerText()).trim() : undefined;
  }

  /** Labels of the innermost open menu's entries. */
  async menuEntries(): Promise<string[]> {
    return (await this.menus.last().locator('.action-item .action-label').allInnerTexts()).map((label) => label.trim()).filter(Boolean);
  }

  /**
   * Opens a submenu of the editor's context menu from the keyboard (Shift+F10, arrows, ArrowRight). A menu that closes
   * under the test (the editor's light bulb or a late focus change takes the focus) is opened again: the open submenu
   * decides, not the keys.
   */
  async openEditorContextSubmenu(label: string): Promise<void> {
    await waitFor(`the editor context menu's "${label}" submenu is open`, 90_000, async () => {
      for (let attempt = 0; attempt < 3 && (await this.menus.count()) > 0; attempt++) {
        await this.page.keyboard.press('Escape');
      }
      await this.page.keyboard.press('Shift+F10');
      if (!(await this.menus.first().waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false))) {
        return false;
      }
      try {
        await this.focusMenuEntry(label, 5_000);
        await this.page.keyboard.press('ArrowRight');
        await waitFor(`the "${label}" submenu opens`, 5_000, async () => (await this.menus.count()) > 1);
        return true;
      } catch (error) {
        log(`context menu: ${(error as Error).message.split('\n')[0]}; opening it again`);
        return false;
      }
    }, 250);
  }

  /** Arrows down the innermost open menu until this entry is focused. */
  private async focusMenuEntry(label: string, timeoutMs = UI_MS): Promise<void> {
    await waitFor(`the menu shows "${label}"`, timeoutMs, async () => (await this.menuEntries()).includes(label));
    await waitFor(`"${label}" is the focused menu entry`, timeoutMs, async () => {
      if ((await this.focusedMenuEntry()) === label) {
        return true;
      }
      await this.page.keyboard.press('ArrowDown');
      return false;
    }, 50);
  }

  /** Opens a submenu of the open menu from the keyboard (arrows, then ArrowRight). */
  async openSubmenu(label: string): Promise<void> {
    await step(`open the "${label}" submenu`, UI_MS, async () => {
      await this.focusMenuEntry(label);
      const depth = await this.menus.count();
      await this.page.keyboard.press('ArrowRight');
      await waitFor(`the "${label}" submenu opens`, UI_MS, async () => (await this.menus.count()) > depth);
    });
  }

  /**
   * Chooses an entry of the innermost open menu from the keyboard (arrows, then Enter) and waits until every menu
   * is closed, so that nothing is left open for the next step.
   */
  async chooseFromMenu(labels: string[]): Promise<void> {
    const last = labels.at(-1) ?? '';
    for (const label of labels.slice(0, -1)) {
      await this.openSubmenu(label);
    }
    await step(`choose "${last}" from the menu`, UI_MS, async () => {
      await this.focusMenuEntry(last);
      await this.page.keyboard.press('Enter');
      await this.menus.first().waitFor({ state: 'hidden', timeout: UI_MS });
    });
  }

  // ---- notifications --------------------------------------------------------------------------------------

  /** Waits for a notification whose text matches and returns its text (toast, or the notification center). */
  async notification(text: RegExp, timeoutMs = UI_MS): Promise<Locator> {
    return step(`a notification matching ${text} appears`, timeoutMs + 5_000, async () => {
      if (this.toasts) {
        const toast = this.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
        await toast.waitFor({ state: 'visible', timeout: timeoutMs });
        await this.expandNotification(toast);
        return toast;
      }
      // The center closes when the focus moves (a panel or editor a command opened late): open it again until the
      // notification is listed in it.
      const item = this.page.locator('.notifications-center .notification-list-item', { hasText: text }).first();
      await waitFor(`the notification center lists ${text}`, timeoutMs, async () => {
        await this.showNotificationCenter();
        return item.waitFor({ state: 'visible', timeout: 2_000 }).then(() => true, () => false);
      });
      await this.expandNotification(item);
      return item;
    });
  }

  /** Long or older notifications are shown collapsed to one line: expand one, as a person would to read it. */
  private async expandNotification(notification: Locator): Promise<void> {
    const expand = notification.locator('.codicon-notifications-expand');
    if ((await expand.count()) > 0) {
      await notification.hover();
      await expand.first().click();
      await notification.locator('.codicon-notifications-collapse').first().waitFor({ state: 'attached', timeout: UI_MS });
    }
  }

  /** Waits until no notification (toast or notification-center item) shows this text, e.g. a finished progress. */
  async notificationGone(text: string | RegExp, timeoutMs = UI_MS): Promise<void> {
    const shown = this.page.locator('.notification-toast, .notification-list-item', { hasText: text }).filter({ visible: true });
    await waitFor(`the notification ${String(text)} goes away`, timeoutMs, async () => (await shown.count()) === 0);
  }

  async showNotificationCenter(): Promise<void> {
    const center = this.page.locator('.notifications-center.visible');
    // A click that lands while the workbench re-lays out (an extension activating, a panel opening) can be lost,
    // or toggle a center that was just opening: click again until it is open.
    await waitFor('the notification center opens', UI_MS, async () => {
      if (await center.isVisible()) {
        return true;
      }
      await this.page.locator('.part.statusbar [id="status.notifications"]').click();
      return center
        .waitFor({ state: 'visible', timeout: 3_000 })
        .then(() => true)
        .catch(() => false);
    });
  }

  /** Clears every notification, so the next read sees only new ones. */
  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
    const shown = this.page.locator('.notifications-toasts .notification-toast, .notifications-center .notification-list-item').filter({ visible: true });
    await waitFor('every notification is cleared', UI_MS, async () => (await shown.count()) === 0);
  }

  // ---- views and webviews (the chat view builds on these) --------------------------------------------------

  /** Clicks the activity-bar icon of a views container (the AnyAPI view by default) until its side bar shows. */
  async openView(title = 'AnyAPI'): Promise<void> {
    const icon = this.page.locator(`.part.activitybar a.action-label[aria-label^="${title}"]`).first();
    await step(`the "${title}" icon appears in the activity bar`, 60_000, () => icon.waitFor({ state: 'visible', timeout: 60_000 }));
    const sidebar = this.page.locator('.part.sidebar');
    // The restored layout may show the container as active while the side bar is hidden (after a reload, say):
    // judge by what is on screen, and click again if a click toggled the side bar away.
    await waitFor(`the "${title}" view is shown in the side bar`, 60_000, async () => {
      const active = (await icon.getAttribute('aria-expanded')) === 'true' || (await icon.locator('xpath=..').getAttribute('class'))?.includes('checked');
      if (active && (await sidebar.isVisible())) {
        return true;
      }
      await icon.click();
      await sidebar.waitFor({ state: 'visible', timeout: 3_000 }).catch(() => undefined);
      return false;
    });
  }

  /** The document inside this extension's webview (outer iframe → #active-frame). Wait for an element in it. */
  webview(): FrameLocator {
    return this.page.frameLocator(`iframe.webview.ready[src*="extensionId=${EXTENSION_ID}"]`).frameLocator('iframe#active-frame');
  }

  // ---- appearance and evidence ----------------------------------------------------------------------------

  get currentTheme(): Theme {
    return this.theme;
  }

  /** Switches the color theme as a person does (Preferences: Color Theme) and waits for the workbench to repaint. */
  async setTheme(theme: Theme): Promise<void> {
    const label = themes[theme].replace(/^Default /, '');
    const applied = this.page.locator(theme === 'dark' ? '.monaco-workbench.vs-dark' : '.monaco-workbench.vs');
    // Judged by the repainted workbench: a theme list that closed early (a late focus change) is opened again.
    await waitFor(`the workbench switches to the ${theme} theme`, COMMAND_LISTED_MS, async () => {
      if ((await applied.count()) > 0) {
        return true;
      }
      await this.runCommand('Preferences: Color Theme');
      await this.quickInputBox.fill(label, { timeout: 5_000 });
      await this.pickQuickPickRow(label, { exact: true, timeoutMs: 10_000 }).catch((error: Error) => log(`theme list: ${error.message.split('\n')[0]}`));
      return applied.first().waitFor({ state: 'attached', timeout: 5_000 }).then(() => true, () => false);
    }, 250);
    await this.quickInput.waitFor({ state: 'hidden', timeout: UI_MS });
    this.theme = theme;
  }

  /**
   * Closes what a test may have left open (a quick input, a context menu, the notification center), so the next test
   * starts from a quiet workbench.
   */
  async closeTransientUi(): Promise<void> {
    for (let attempt = 0; attempt < 3 && ((await this.quickInput.isVisible()) || (await this.menus.count()) > 0); attempt++) {
      await this.page.keyboard.press('Escape');
    }
    if (await this.page.locator('.notifications-center.visible').isVisible()) {
      await this.runCommand('Notifications: Hide Notifications');
      await this.page.locator('.notifications-center.visible').waitFor({ state: 'hidden', timeout: UI_MS });
    }
  }

  /** A screenshot for people (README, review) in test-results/screenshots/<name>-<theme>.png. */
  async screenshot(name: string): Promise<string> {
    // Park the pointer on the empty editor area so no hover tooltip covers the picture.
    const viewport = this.page.viewportSize();
    await this.page.mouse.move((viewport?.width ?? 1440) / 2, (viewport?.height ?? 900) / 3);
    return screenshot(this.page, `${name}-${this.theme}`);
  }

  /** Keeps a screenshot and the logs of a failed test under test-results/<run>/. */
  async keepFailure(title: string): Promise<void> {
    this.failed = true;
    const dir = this.run.keepForDiagnosis();
    await screenshot(this.page, `failure-${title}`, dir).catch((error: Error) => log(`failure screenshot: ${error.message}`));
  }

  async close(): Promise<void> {
    if (this.secondary) {
      await this.browser.close();
      return;
    }
    await this.browser.close();
    await this.server.stop();
    await this.fake.close();
    if (this.failed) {
      this.run.keepForDiagnosis();
    } else if (!process.env.ANYAPI_HARNESS_KEEP) {
      this.run.remove();
    }
  }
}

/** Mocha hooks for a suite that shares one workbench; returns a getter for it. */
export function useWorkbench(options: WorkbenchOptions): () => Workbench {
  let workbench: Workbench | undefined;
  before(async function () {
    this.timeout(STARTUP_MS + 120_000);
    workbench = await Workbench.start(options);
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && workbench) {
      await workbench.keepFailure(this.currentTest.fullTitle());
    }
    this.timeout(UI_MS * 4);
    await workbench?.closeTransientUi().catch((error: Error) => log(`could not close what the test left open: ${error.message.split('\n')[0]}`));
  });
  after(async function () {
    this.timeout(60_000);
    await workbench?.close();
  });
  return () => {
    assert.ok(workbench, 'the workbench did not start');
    return workbench;
  };
}
