/**
 * local/safe-ui-text: backend and workspace text reaches VS Code's notification, progress and
 * quick-pick surfaces only through `safeText` (src/shared/text.ts), because VS Code turns
 * `[label](command:...)` into a command link in notifications and progress and renders `$(icon)` in
 * progress titles and quick picks.
 *
 * Checked places:
 * - the arguments of `*.showInformationMessage`, `*.showWarningMessage`, `*.showErrorMessage`;
 * - `title` of the options object of `*.withProgress`, and `message` of `*.report({ message })`;
 * - `title`, `prompt` and `placeHolder` of the options of `*.showQuickPick` and `*.showInputBox`;
 * - `label`, `description` and `detail` of quick-pick items: object literals with a `label` inside the
 *   first argument of `*.showQuickPick`, inside the value assigned to `*.items`, or returned by a function
 *   (or given to a variable) whose type annotation names `QuickPickItem`.
 *
 * What is refused there: a template literal with an expression, or a `+` concatenation with a part,
 * that is not one of these:
 * - a literal; a nested template literal, `a ? b : c`, `a || b`, `a ?? b` or `a + b` built only from
 *   allowed parts (the condition of `?:` is not shown, so it is not checked);
 * - a call of an allowed function: `safeText` and the names in the `allow` option (message builders and
 *   formatters of numbers and times), as `f(...)` or `x.f(...)`; any `Math.*(...)`;
 * - a number by construction: `x.length`, `-`, `*`, `/`, `%`, `**` arithmetic, a number literal;
 * - a constant by naming convention: an UPPER_CASE identifier, or a property of an UPPER_CASE or
 *   PascalCase object (`EXT`, `Settings.savedFilters`).
 * A plain identifier or call passed as the whole argument is not checked (it is a builder's result, and
 * the builders are unit-tested with the hostile corpus); neither is data flow through variables.
 */
'use strict';

const MESSAGE_METHODS = new Set(['showInformationMessage', 'showWarningMessage', 'showErrorMessage']);
const OPTION_KEYS = new Map([
  ['withProgress', ['title']],
  ['showQuickPick', ['title', 'prompt', 'placeHolder']],
  ['showInputBox', ['title', 'prompt', 'placeHolder']],
  ['report', ['message']],
]);
const ITEM_KEYS = ['label', 'description', 'detail'];
const NUMERIC_OPERATORS = new Set(['-', '*', '/', '%', '**']);
const CONSTANT = /^[A-Z][A-Z0-9_]*$/;
const PASCAL = /^[A-Z][A-Za-z0-9]*$/;

function calleeName(callee) {
  if (callee.type === 'Identifier') return callee.name;
  if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier') return callee.property.name;
  return undefined;
}

function propertyName(p) {
  if (p.type !== 'Property' || p.computed) return undefined;
  if (p.key.type === 'Identifier') return p.key.name;
  if (p.key.type === 'Literal' && typeof p.key.value === 'string') return p.key.value;
  return undefined;
}

/** Unwraps TypeScript's `x as T`, `x!` and `<T>x`. */
function unwrap(node) {
  while (
    node &&
    (node.type === 'TSAsExpression' || node.type === 'TSNonNullExpression' || node.type === 'TSTypeAssertion' || node.type === 'TSSatisfiesExpression')
  )
    node = node.expression;
  return node;
}

module.exports = {
  meta: {
    type: 'problem',
    docs: { description: 'Backend text in notifications, progress and quick picks goes through safeText' },
    schema: [{ type: 'object', properties: { allow: { type: 'array', items: { type: 'string' } } }, additionalProperties: false }],
    messages: {
      unsafe:
        '`{{text}}` is interpolated into {{where}} without safeText(): VS Code renders links and codicons there. Wrap it in safeText(...) or build the text in a tested builder.',
    },
  },
  create(context) {
    const allowed = new Set(['safeText', ...((context.options[0] && context.options[0].allow) || [])]);
    const source = context.sourceCode || context.getSourceCode();

    /** The parts of an expression that may not be shown as they are. */
    function unsafeParts(node) {
      node = unwrap(node);
      switch (node.type) {
        case 'Literal':
          return [];
        case 'TemplateLiteral':
          return node.expressions.flatMap(unsafeParts);
        case 'ConditionalExpression':
          return [...unsafeParts(node.consequent), ...unsafeParts(node.alternate)];
        case 'LogicalExpression':
          return [...unsafeParts(node.left), ...unsafeParts(node.right)];
        case 'BinaryExpression':
          if (node.operator === '+') return [...unsafeParts(node.left), ...unsafeParts(node.right)];
          return NUMERIC_OPERATORS.has(node.operator) ? [] : [node];
        case 'UnaryExpression':
          return node.operator === '-' || node.operator === '+' ? [] : [node];
        case 'CallExpression': {
          const name = calleeName(node.callee);
          if (name && allowed.has(name)) return [];
          const callee = node.callee;
          if (callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && callee.object.name === 'Math') return [];
          return [node];
        }
        case 'Identifier':
          return CONSTANT.test(node.name) ? [] : [node];
        case 'MemberExpression': {
          if (!node.computed && node.property.type === 'Identifier' && node.property.name === 'length') return [];
          const obj = unwrap(node.object);
          if (!node.computed && obj.type === 'Identifier' && (CONSTANT.test(obj.name) || PASCAL.test(obj.name))) return [];
          return [node];
        }
        default:
          return [node];
      }
    }

    /** Only interpolation is checked: a template with expressions or a concatenation. */
    function check(node, where) {
      const n = unwrap(node);
      if (!n) return;
      const interpolated = n.type === 'TemplateLiteral' ? n.expressions.length > 0 : n.type === 'BinaryExpression' && n.operator === '+';
      if (!interpolated) {
        if (n.type === 'ConditionalExpression') {
          check(n.consequent, where);
          check(n.alternate, where);
        }
        if (n.type === 'LogicalExpression') {
          check(n.left, where);
          check(n.right, where);
        }
        return;
      }
      for (const part of unsafeParts(n)) context.report({ node: part, messageId: 'unsafe', data: { text: source.getText(part).slice(0, 60), where } });
    }

    function checkObject(obj, keys, where) {
      obj = unwrap(obj);
      if (!obj || obj.type !== 'ObjectExpression') return;
      for (const p of obj.properties) {
        const k = propertyName(p);
        if (k && keys.includes(k)) check(p.value, `${where} ${k}`);
      }
    }

    function mentionsQuickPickItem(typeAnnotation) {
      return !!typeAnnotation && /\bQuickPickItem\b/.test(source.getText(typeAnnotation));
    }

    /** An object literal with a label that ends up as a quick-pick item. */
    function isQuickPickItem(node) {
      if (!node.properties.some(p => propertyName(p) === 'label')) return false;
      let child = node;
      for (const a of [...source.getAncestors(node)].reverse()) {
        if (a.type === 'CallExpression' && calleeName(a.callee) === 'showQuickPick' && a.arguments[0] === child) return true;
        if (
          a.type === 'AssignmentExpression' &&
          a.right === child &&
          a.left.type === 'MemberExpression' &&
          !a.left.computed &&
          a.left.property.name === 'items'
        )
          return true;
        if (a.type === 'VariableDeclarator' && a.init === child && mentionsQuickPickItem(a.id.typeAnnotation)) return true;
        if (
          (a.type === 'FunctionDeclaration' || a.type === 'FunctionExpression' || a.type === 'ArrowFunctionExpression') &&
          mentionsQuickPickItem(a.returnType)
        )
          return true;
        child = a;
      }
      return false;
    }

    return {
      CallExpression(node) {
        const name = calleeName(node.callee);
        if (!name || node.callee.type !== 'MemberExpression') return;
        if (MESSAGE_METHODS.has(name)) {
          for (const arg of node.arguments) check(arg, `window.${name}()`);
          return;
        }
        const keys = OPTION_KEYS.get(name);
        if (!keys) return;
        const options = name === 'showQuickPick' ? node.arguments[1] : node.arguments[0];
        checkObject(options, keys, `${name}()`);
      },
      ObjectExpression(node) {
        if (isQuickPickItem(node)) checkObject(node, ITEM_KEYS, 'a quick-pick item');
      },
    };
  },
};
