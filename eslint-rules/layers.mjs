/**
 * The floors of the house, locked by eslint-plugin-import-x (see docs/ARCHITECTURE.md):
 * `import-x/no-restricted-paths` refuses an import that runs up a floor (paths resolved, `import type`
 * included), and `import-x/no-cycle` refuses an import cycle anywhere, tests included.
 * test/unit/eslint-rule.test.ts shows each rule refusing an upward import.
 */
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

/** What each floor may not import, by folder (relative to the repository root). */
const zones = [
  // The model is the ground floor: it imports nothing of the extension but itself.
  {
    target: './src/model',
    from: './src',
    except: ['./model'],
    message: 'src/model imports only src/model: move what it needs down into the model.',
  },
  {
    target: './src/model',
    from: './webview',
    message: 'src/model imports only src/model.',
  },
  // The backend speaks HTTP for the store; it never knows who asked.
  ...['store', 'panel', 'tree', 'commands', 'export', 'extension.ts', 'backendHost.ts', 'builtInMock.ts', 'watcher.ts'].map(up => ({
    target: './src/backend',
    from: `./src/${up}`,
    message: 'src/backend never imports the store, the pane, the tree, the commands or the composition: pass what it needs down.',
  })),
  { target: './src/backend', from: './webview', message: 'src/backend never imports the webview.' },
  // The store is below the pane and its protocol.
  ...['shared/protocol.ts', 'panel', 'tree', 'commands', 'extension.ts', 'backendHost.ts', 'builtInMock.ts', 'watcher.ts'].map(up => ({
    target: './src/store',
    from: `./src/${up}`,
    message: 'src/store never imports the pane protocol, the pane, the tree or the commands: the model holds what both need.',
  })),
  { target: './src/store', from: './webview', message: 'src/store never imports the webview.' },
  // The shared protocol and text sit on the model.
  {
    target: './src/shared',
    from: './src',
    except: ['./shared', './model'],
    message: 'src/shared imports only src/model and itself.',
  },
  // The agent's tool logic sits beside the commands: it never reaches into the pane, the tree or the webview.
  ...['panel', 'tree', 'extension.ts'].map(up => ({
    target: './src/agent',
    from: `./src/${up}`,
    message: 'src/agent never imports the pane, the tree or the composition: it calls the door (triage.run) and reads the store.',
  })),
  { target: './src/agent', from: './webview', message: 'src/agent never imports the webview.' },
  // The webview runs in the browser: its own files, the protocol and text it shares, and the model.
  {
    target: './webview',
    from: './src',
    except: ['./shared', './model'],
    message: 'webview imports only its own files, src/shared and src/model.',
  },
];

/**
 * Rooms tested in plain Node: no `vscode` import (the editor's side of a feature lives in its own file,
 * e.g. src/agent/vscode/, src/hunting/register.ts).
 */
const plainNode = [
  'src/model/**/*.ts',
  'src/backend/**/*.ts',
  'src/store/**/*.ts',
  'src/mock/**/*.ts',
  'src/shared/**/*.ts',
  'src/connect/**/*.ts',
  'src/agent/*.ts',
];

export const layers = [
  {
    files: plainNode,
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'This room is tested in plain Node: keep VS Code calls in the editor-side files (see docs/ARCHITECTURE.md).' }] },
      ],
    },
  },
  {
    files: ['src/**/*.ts', 'webview/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json', '.mjs'] })],
      'import-x/extensions': ['.ts', '.js', '.mjs'],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
];
