// Preloaded (`node -r`) by `npm run bench` for the tree part: the few `vscode` members the tree provider
// touches, so the real IncidentsTreeProvider runs in plain Node. Events are real (listeners are called);
// commands and views do nothing.
'use strict';
const Module = require('module');
class EventEmitter {
  constructor() {
    this.listeners = new Set();
    this.event = l => {
      this.listeners.add(l);
      return { dispose: () => this.listeners.delete(l) };
    };
  }
  fire(e) {
    for (const l of [...this.listeners]) l(e);
  }
  dispose() {
    this.listeners.clear();
  }
}
class TreeItem {
  constructor(label, collapsibleState) {
    this.label = label;
    this.collapsibleState = collapsibleState;
  }
}
class ThemeIcon {
  constructor(id, color) {
    this.id = id;
    this.color = color;
  }
}
class ThemeColor {
  constructor(id) {
    this.id = id;
  }
}
/** What the tree builds for a row's resource (its SLA decoration's key): scheme and path only. */
class Uri {
  constructor(scheme, path) {
    this.scheme = scheme;
    this.path = path;
  }
  static from({ scheme, path = '' }) {
    return new Uri(scheme, path);
  }
  toString() {
    return `${this.scheme}:${this.path}`;
  }
}
const vscode = {
  EventEmitter,
  Uri,
  TreeItem,
  ThemeIcon,
  ThemeColor,
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  commands: { executeCommand: async () => undefined },
  window: {},
  workspace: { getConfiguration: () => ({ get: (_k, d) => d }) },
};
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };
