/** VS Code's theme colours as a webview gets them (Dark Modern, Light Modern, Dark High Contrast), for the pane suites. */
import type { PaneHarness } from './harness';

interface ThemeWindow {
  document: { body: { className: string }; documentElement: { style: { setProperty(k: string, v: string): void } } };
}
declare const window: ThemeWindow;

const COMMON: Record<string, string> = {
  '--vscode-font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-font-weight': 'normal',
  '--vscode-editor-font-family': 'Consolas, "Droid Sans Mono", "Courier New", monospace',
};

// Values of VS Code's "Dark Modern" and "Light Modern" themes, set the way VS Code sets them on a webview.
export const THEMES: Record<'dark' | 'light' | 'high-contrast', { bodyClass: string; vars: Record<string, string> }> = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      '--vscode-foreground': '#cccccc',
      '--vscode-editor-background': '#1f1f1f',
      '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-focusBorder': '#0078d4',
      '--vscode-errorForeground': '#f85149',
      '--vscode-editorWarning-foreground': '#cca700',
      '--vscode-editorInfo-foreground': '#3794ff',
      '--vscode-textLink-foreground': '#4daafc',
      '--vscode-panel-border': '#2b2b2b',
      '--vscode-widget-border': '#313131',
      '--vscode-input-background': '#313131',
      '--vscode-input-foreground': '#cccccc',
      '--vscode-input-border': '#3c3c3c',
      '--vscode-input-placeholderForeground': '#989898',
      '--vscode-dropdown-background': '#313131',
      '--vscode-dropdown-foreground': '#cccccc',
      '--vscode-dropdown-border': '#3c3c3c',
      '--vscode-button-background': '#0078d4',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-hoverBackground': '#026ec1',
      '--vscode-button-border': '#ffffff12',
      '--vscode-button-secondaryBackground': '#313131',
      '--vscode-button-secondaryForeground': '#cccccc',
      '--vscode-button-secondaryHoverBackground': '#3c3c3c',
      '--vscode-badge-background': '#616161',
      '--vscode-badge-foreground': '#f8f8f8',
      '--vscode-textBlockQuote-background': '#2b2b2b',
      '--vscode-list-hoverBackground': '#2a2d2e',
      '--vscode-inputValidation-errorBackground': '#5a1d1d',
      '--vscode-inputValidation-errorBorder': '#be1100',
      '--vscode-inputValidation-warningBackground': '#352a05',
      '--vscode-inputValidation-warningBorder': '#b89500',
      '--vscode-toolbar-hoverBackground': '#5a5d5e50',
      '--vscode-tree-indentGuidesStroke': '#585858',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      '--vscode-foreground': '#3b3b3b',
      '--vscode-editor-background': '#ffffff',
      '--vscode-descriptionForeground': '#3b3b3b',
      '--vscode-focusBorder': '#005fb8',
      '--vscode-errorForeground': '#f85149',
      '--vscode-editorWarning-foreground': '#bf8803',
      '--vscode-editorInfo-foreground': '#1a85ff',
      '--vscode-textLink-foreground': '#005fb8',
      '--vscode-panel-border': '#e5e5e5',
      '--vscode-widget-border': '#e5e5e5',
      '--vscode-input-background': '#ffffff',
      '--vscode-input-foreground': '#3b3b3b',
      '--vscode-input-border': '#cecece',
      '--vscode-input-placeholderForeground': '#767676',
      '--vscode-dropdown-background': '#ffffff',
      '--vscode-dropdown-foreground': '#3b3b3b',
      '--vscode-dropdown-border': '#cecece',
      '--vscode-button-background': '#005fb8',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-hoverBackground': '#0258a8',
      '--vscode-button-border': '#0000001a',
      '--vscode-button-secondaryBackground': '#e5e5e5',
      '--vscode-button-secondaryForeground': '#3b3b3b',
      '--vscode-button-secondaryHoverBackground': '#cccccc',
      '--vscode-badge-background': '#cccccc',
      '--vscode-badge-foreground': '#3b3b3b',
      '--vscode-textBlockQuote-background': '#f8f8f8',
      '--vscode-list-hoverBackground': '#f2f2f2',
      '--vscode-inputValidation-errorBackground': '#f2dede',
      '--vscode-inputValidation-errorBorder': '#be1100',
      '--vscode-inputValidation-warningBackground': '#f6f5d2',
      '--vscode-inputValidation-warningBorder': '#bf8803',
      '--vscode-toolbar-hoverBackground': '#b8b8b850',
      '--vscode-tree-indentGuidesStroke': '#a9a9a9',
    },
  },
  // VS Code's "Dark High Contrast": black, white text, cyan borders, orange focus.
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    vars: {
      '--vscode-foreground': '#ffffff',
      '--vscode-editor-background': '#000000',
      '--vscode-descriptionForeground': '#ffffff',
      '--vscode-focusBorder': '#f38518',
      '--vscode-contrastBorder': '#6fc3df',
      '--vscode-contrastActiveBorder': '#f38518',
      '--vscode-errorForeground': '#f48771',
      '--vscode-editorWarning-foreground': '#ffd370',
      '--vscode-editorInfo-foreground': '#3794ff',
      '--vscode-textLink-foreground': '#21a6ff',
      '--vscode-panel-border': '#6fc3df',
      '--vscode-widget-border': '#6fc3df',
      '--vscode-input-background': '#000000',
      '--vscode-input-foreground': '#ffffff',
      '--vscode-input-border': '#6fc3df',
      '--vscode-input-placeholderForeground': '#ffffffb3',
      '--vscode-dropdown-background': '#000000',
      '--vscode-dropdown-foreground': '#ffffff',
      '--vscode-dropdown-border': '#6fc3df',
      '--vscode-button-background': '#000000',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-border': '#6fc3df',
      '--vscode-button-secondaryBackground': '#000000',
      '--vscode-button-secondaryForeground': '#ffffff',
      '--vscode-badge-background': '#000000',
      '--vscode-badge-foreground': '#ffffff',
      '--vscode-textBlockQuote-background': '#000000',
      '--vscode-list-hoverBackground': '#000000',
      '--vscode-inputValidation-errorBackground': '#5a1d1d',
      '--vscode-inputValidation-errorBorder': '#f48771',
      '--vscode-inputValidation-warningBackground': '#000000',
      '--vscode-inputValidation-warningBorder': '#ffd370',
      '--vscode-toolbar-hoverBackground': '#000000',
      '--vscode-tree-indentGuidesStroke': '#a9a9a9',
    },
  },
};

export async function applyTheme(pane: PaneHarness, theme: keyof typeof THEMES): Promise<void> {
  const t = THEMES[theme];
  // Through the CSSOM, which the CSP allows, like VS Code's own webview host does.
  await pane.page.evaluate(
    ([cls, vars]) => {
      window.document.body.className = cls;
      for (const [k, v] of Object.entries(vars)) window.document.documentElement.style.setProperty(k, v);
    },
    [t.bodyClass, { ...COMMON, ...t.vars }] as const,
  );
}
