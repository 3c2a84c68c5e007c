/** The hunting result table's styles (scoped by the `dih-` prefix; the notebook's theme variables). */
export const HUNT_STYLE = `
.dih-root { font-family: var(--vscode-editor-font-family, monospace); font-size: var(--vscode-editor-font-size, 12px); color: var(--vscode-foreground); }
.dih-bar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 4px 0; }
.dih-count { font-weight: 600; }
.dih-warn { color: var(--vscode-editorWarning-foreground, #cca700); }
.dih-button { background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); border: 1px solid var(--vscode-button-border, transparent); padding: 1px 8px; cursor: pointer; }
.dih-button:hover { background: var(--vscode-button-secondaryHoverBackground); }
.dih-button:focus-visible, .dih-table th:focus-visible, .dih-scroll:focus-visible { outline: 1px solid var(--vscode-focusBorder); }
.dih-scroll { overflow: auto; border: 1px solid var(--vscode-panel-border, #444); }
.dih-table { border-collapse: collapse; table-layout: auto; }
.dih-table th { position: sticky; top: 0; background: var(--vscode-editor-background); text-align: left; cursor: pointer; user-select: none; white-space: nowrap; }
.dih-table th[aria-sort="ascending"]::after { content: " \\25B2"; }
.dih-table th[aria-sort="descending"]::after { content: " \\25BC"; }
.dih-table th, .dih-table td { height: 21px; padding: 0 8px; border-bottom: 1px solid var(--vscode-panel-border, #333); max-width: 48ch; overflow: hidden; text-overflow: ellipsis; white-space: pre; unicode-bidi: isolate; }
.dih-spacer td, tr.dih-spacer { padding: 0; border: 0; }
.dih-empty { opacity: 0.8; padding: 4px 0; }
`;
