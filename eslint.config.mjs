import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import noUnsanitized from 'eslint-plugin-no-unsanitized';
import local from './eslint-rules/index.js';
import { layers } from './eslint-rules/layers.mjs';

// Backend text is attacker-controlled. HTML sinks in shipped code (src/, webview/) are Mozilla's
// no-unsanitized rules (innerHTML, outerHTML, insertAdjacentHTML, document.write, createContextualFragment,
// setHTMLUnsafe, import(); srcdoc added); attributes that take code or a URL are refused below.
const shipped = ['src/**/*.ts', 'webview/**/*.ts'];
const noUnsafeAttributes = [
  {
    selector: 'CallExpression[callee.property.name=/^setAttribute(NS)?$/] > Literal.arguments[value=/^(on|(xlink:)?href$|src$|srcdoc$)/i]',
    message: 'setAttribute of an event handler, href, src or srcdoc: build the element without it (webview/dom.ts refuses these names too).',
  },
  {
    selector: 'CallExpression[callee.property.name=/^setAttribute(NS)?$/] > TemplateLiteral.arguments[quasis.0.value.raw=/^(on|(xlink:)?href$|src$|srcdoc$)/i]',
    message: 'setAttribute of an event handler, href, src or srcdoc: build the element without it.',
  },
];

// Text reaches VS Code's rendering surfaces (notifications, quick picks, input boxes) only through
// src/ui/surface.ts, whose functions take the branded SafeText type (issue 16 item 8).
const SURFACE_NAMES = '/^(show(Information|Warning|Error)Message|showInputBox|showQuickPick|createInputBox|createQuickPick)$/';
const SURFACE_MESSAGE =
  'Show notifications, quick picks and input boxes through src/ui/surface.ts (info/warn/error/confirm/pick/input/createInput/createPick), which take SafeText.';
const surfaceOnly = [
  { selector: `MemberExpression[property.name=${SURFACE_NAMES}]`, message: SURFACE_MESSAGE },
  { selector: `ObjectPattern > Property[key.name=${SURFACE_NAMES}]`, message: SURFACE_MESSAGE },
];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'out-*/**', '.vscode-test/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: shipped,
    plugins: { 'no-unsanitized': noUnsanitized, local },
    rules: {
      'no-unsanitized/method': 'error',
      'no-unsanitized/property': ['error', {}, { srcdoc: {} }],
      'no-restricted-syntax': ['error', ...noUnsafeAttributes, ...surfaceOnly],
      // Notifications, progress and quick picks render links and codicons: see eslint-rules/safe-ui-text.js.
      // Notifications, quick picks and input boxes are also typed (src/ui/surface.ts, SafeText); progress
      // titles and messages (withProgress, report) are checked by this rule alone.
      // `allow` names functions whose result is safe to interpolate (src/shared/text.ts, src/commands/format.ts).
      'local/safe-ui-text': ['error', { allow: ['clockTime', 'ref'] }],
    },
  },
  // The floors and no import cycles (eslint-rules/layers.mjs).
  ...layers,
  {
    // No source file over 400 lines, counted as `wc -l` counts them (blank lines and comments included;
    // the line break that ends the file is no line). The mock is left out: seed.ts is data, and server.ts, db.ts,
    // defender.ts, evidence.ts and three of hunting/ are still over 400 lines.
    files: shipped,
    ignores: ['src/mock/**'],
    rules: { 'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }] },
  },
  {
    // The one module allowed to call them.
    files: ['src/ui/surface.ts'],
    rules: { 'no-restricted-syntax': ['error', ...noUnsafeAttributes] },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        performance: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        window: 'readonly',
        document: 'readonly',
      },
    },
    plugins: { 'no-unsanitized': noUnsanitized },
    // Scripts (esbuild, the UI journeys' page code) keep the HTML-sink rules they had.
    rules: { '@typescript-eslint/no-require-imports': 'off', 'no-unsanitized/method': 'error', 'no-unsanitized/property': ['error', {}, { srcdoc: {} }] },
  },
);
