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

// Attributes that can load, navigate, ping or run something, and elements that navigate, load or submit:
// never built here (the rules live in src/shared/domRules.ts, pinned by a plain Node test).
import { DANGEROUS_ATTR, DANGEROUS_TAG } from '../src/shared/domRules';

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  if (DANGEROUS_TAG.test(tag)) throw new Error(`refusing element ${tag}`);
  const el = document.createElement(tag);
  if (props) {
    if (props.id) el.id = props.id;
    if (props.class) el.className = props.class;
    if (props.attrs) {
      for (const [name, value] of Object.entries(props.attrs)) {
        if (DANGEROUS_ATTR.test(name)) throw new Error(`refusing attribute ${name}`);
        if (value === false || value === undefined) continue;
        el.setAttribute(name, value === true ? '' : capAttr(value));
      }
    }
    if (props.on) {
      for (const [type, fn] of Object.entries(props.on)) el.addEventListener(type, fn as EventListener);
    }
  }
  append(el, children);
  return el;
}

/**
 * Longest attribute value (aria labels, option values, focus keys): attributes are copied, serialized
 * and matched whole, so a megabyte of backend text in one (a tag's "Remove tag …" label, an unknown
 * status as an option value) made every render of such an incident cost hundreds of milliseconds. The
 * text the user reads stays whole (see `val`); only what goes into attributes is cut.
 */
export const ATTR_MAX = 1000;

export function capAttr(value: string): string {
  return value.length > ATTR_MAX ? value.slice(0, ATTR_MAX) : value;
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

/**
 * Longest backend text shown before "show all": above every limit the service itself enforces on what
 * analysts type (comments are capped at 30,000), so only absurd values are cut. Laying out megabytes of
 * text in narrow cells freezes the pane for minutes; the full text stays one click away.
 */
export const DISPLAY_LIMIT = 32_000;

/**
 * A value that came from the backend, as text in a span with class "v": isolated so bidi controls inside it
 * cannot reorder the text around it. Past DISPLAY_LIMIT it is cut, followed by a button that shows the rest.
 */
export function val(text: string, extraClass = '', baseClass = 'v'): Node {
  const span = h('span', { class: extraClass ? `${baseClass} ${extraClass}` : baseClass });
  if (text.length <= DISPLAY_LIMIT) {
    span.textContent = text;
    return span;
  }
  span.textContent = text.slice(0, DISPLAY_LIMIT);
  span.dataset.elided = String(text.length);
  const count = text.length.toLocaleString('en-US');
  const more = h('button', { class: 'show-all', attrs: { type: 'button', 'aria-label': `Show all ${count} characters` } }, `… show all ${count} characters`);
  more.addEventListener('click', () => {
    span.textContent = text;
    delete span.dataset.elided;
    // One box (media/pane.css): the focus ring of an inline span is drawn around every line it wraps to,
    // which for a megabyte took Chromium 4 to 5 s of paint per expansion.
    span.classList.add('expanded');
    // Keep keyboard users where they were instead of dropping focus to the page.
    span.tabIndex = -1;
    more.remove();
    span.focus();
  });
  const frag = document.createDocumentFragment();
  frag.append(span, more);
  return frag;
}

/** A backend-supplied field name or detail key ("k"), cut like `val`. */
export function key(text: string): Node {
  return val(text, '', 'k');
}

/** vscode-button does not expose aria-disabled itself; screen readers need it. */
export function setDisabled(el: HTMLElement & { disabled: boolean }, disabled: boolean): void {
  el.disabled = disabled;
  if (disabled) el.setAttribute('aria-disabled', 'true');
  else el.removeAttribute('aria-disabled');
}
