/**
 * The one door from text to VS Code's surfaces that render it: notifications (Markdown links, `command:`
 * links), quick picks (`$(codicons)`), input boxes (their prompt renders links too). Each function takes
 * `SafeText`, a branded string only `safe` (backend or any outside text through `safeText`) and `ui`
 * (a template of our own words whose every interpolation is SafeText or a number) can make. So text that
 * skipped the neutraliser does not type-check, whether it is interpolated, passed whole or assigned to a
 * property; and the lint (`no-restricted-syntax` in eslint.config.mjs) forbids calling the VS Code
 * functions anywhere else.
 */
import * as vscode from 'vscode';

import { type SafeText } from './safe';

export { built, joinSafe, safe, ui, type SafeText } from './safe';

export function info(message: SafeText, ...items: string[]): Thenable<string | undefined> {
  return vscode.window.showInformationMessage(message, ...items);
}

export function warn(message: SafeText, ...items: string[]): Thenable<string | undefined> {
  return vscode.window.showWarningMessage(message, ...items);
}

/** A modal warning (a confirmation). */
export function confirm(message: SafeText, ...items: string[]): Thenable<string | undefined> {
  return vscode.window.showWarningMessage(message, { modal: true }, ...items);
}

/** A modal warning with a longer explanation under it (the dialog's `detail`). */
export function confirmDetailed(message: SafeText, detail: SafeText, ...items: string[]): Thenable<string | undefined> {
  return vscode.window.showWarningMessage(message, { modal: true, detail }, ...items);
}

export function error(message: SafeText, ...items: string[]): Thenable<string | undefined> {
  return vscode.window.showErrorMessage(message, ...items);
}

/** A quick pick item whose rendered parts are safe. */
export interface SafeItem extends vscode.QuickPickItem {
  label: SafeText;
  description?: SafeText;
  detail?: SafeText;
}

export interface PickOptions {
  title?: SafeText;
  placeHolder?: SafeText;
  matchOnDescription?: boolean;
  matchOnDetail?: boolean;
  ignoreFocusOut?: boolean;
}

export function pick<T extends SafeItem>(items: readonly T[], o: PickOptions & { canPickMany: true }): Thenable<T[] | undefined>;
export function pick<T extends SafeItem>(items: readonly T[], o?: PickOptions): Thenable<T | undefined>;
export function pick<T extends SafeItem>(items: readonly T[], o: PickOptions & { canPickMany?: boolean } = {}): Thenable<T | T[] | undefined> {
  return vscode.window.showQuickPick(items, o);
}

export interface InputOptions {
  title?: SafeText;
  prompt?: SafeText;
  placeHolder?: SafeText;
  /** The editable value (shown as typed text, never rendered). */
  value?: string;
  password?: boolean;
  ignoreFocusOut?: boolean;
  validateInput?: (value: string) => SafeText | undefined;
}

export function input(o: InputOptions): Thenable<string | undefined> {
  return vscode.window.showInputBox(o);
}

/** An input box whose rendered properties take only SafeText. */
export type SafeInputBox = Omit<vscode.InputBox, 'title' | 'prompt' | 'placeholder' | 'validationMessage'> & {
  title: SafeText | undefined;
  prompt: SafeText | undefined;
  placeholder: SafeText | undefined;
  validationMessage: SafeText | undefined;
};

export function createInput(): SafeInputBox {
  return vscode.window.createInputBox() as unknown as SafeInputBox;
}

/** A quick pick whose items, title and placeholder take only SafeText. */
export type SafeQuickPick<T extends SafeItem> = Omit<vscode.QuickPick<T>, 'title' | 'placeholder'> & {
  title: SafeText | undefined;
  placeholder: SafeText | undefined;
};

export function createPick<T extends SafeItem>(): SafeQuickPick<T> {
  return vscode.window.createQuickPick<T>() as unknown as SafeQuickPick<T>;
}
