/**
 * The one way the pane creates DOM. Text only ever becomes a Text node and attribute values go through
 * setAttribute on names written in this code, so backend strings can never become markup, a URL, or a
 * handler. There is deliberately no way to pass HTML.
 */

export type Child = Node | string | null | undefined | false;

export interface Props {
  id?: string;
  class?: string;
  /** Attribute names are literals in our code; values may be untrusted text. */
  attrs?: Record<string, string | boolean | undefined>;
  on?: { [K in keyof HTMLElementEventMap]?: (ev: HTMLElementEventMap[K]) => void };
}

// Even with a literal name, an attribute that can load or run something must never receive a value here.
const DANGEROUS_ATTR = /^(on|href$|src$|srcdoc$|action$|formaction$|xlink:href$|style$)/i;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props) {
    if (props.id) el.id = props.id;
    if (props.class) el.className = props.class;
    if (props.attrs) {
      for (const [name, value] of Object.entries(props.attrs)) {
        if (DANGEROUS_ATTR.test(name)) throw new Error(`refusing attribute ${name}`);
        if (value === false || value === undefined) continue;
        el.setAttribute(name, value === true ? '' : value);
      }
    }
    if (props.on) {
      for (const [type, fn] of Object.entries(props.on)) el.addEventListener(type, fn as EventListener);
    }
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

/** Replaces all children; used for regions whose content is derived entirely from the state. */
export function replaceChildren(parent: Element, children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** A value that came from the backend: isolated so bidi controls inside it cannot reorder the text around it. */
export function val(text: string, extraClass = ''): HTMLSpanElement {
  return h('span', { class: extraClass ? `v ${extraClass}` : 'v' }, text);
}

/** vscode-button does not expose aria-disabled itself; screen readers need it. */
export function setDisabled(el: HTMLElement & { disabled: boolean }, disabled: boolean): void {
  el.disabled = disabled;
  if (disabled) el.setAttribute('aria-disabled', 'true');
  else el.removeAttribute('aria-disabled');
}
