/**
 * Small builders and rules the pane's sections share: buttons, fields, selects, facts, people, and the
 * `Section` base whose dirty rule keeps a section off the DOM when the slice it renders did not change.
 */
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import type { PaneState, TimelineEntry } from '../src/shared/protocol';
import { determinationsFor } from '../src/model/rules';
import { capAttr, h, replaceChildren, val, type Child } from './dom';
import { determinationLabel, formatAbsolute, formatNumber, formatRelative, identityText, severityClass, severityLabel } from './format';

export type Button = VscodeButton;

export function button(label: string, onClick: () => void, o: { id?: string; secondary?: boolean; ariaLabel?: string; fk?: string } = {}): Button {
  const b = h('vscode-button', { id: o.id, attrs: { secondary: !!o.secondary, 'aria-label': o.ariaLabel, 'data-fk': o.fk } }, label);
  // vscode-button still dispatches click while disabled (only pointer events are off).
  b.addEventListener('click', () => {
    if (!b.disabled) onClick();
  });
  return b;
}

export function field(label: string, control: HTMLElement, id: string, ...extra: Child[]): HTMLDivElement {
  return h('div', { class: 'field' }, h('label', { attrs: { for: id } }, label), control, ...extra);
}

/** A labelled group of controls inside "Manage". */
export function group(headingId: string, heading: string, ...content: Child[]): HTMLDivElement {
  return h('div', { class: 'group', attrs: { role: 'group', 'aria-labelledby': headingId } }, h('h3', { id: headingId }, heading), ...content);
}

export function option(value: string, label: string, disabled = false): HTMLOptionElement {
  // A select is as wide as its longest label; an unknown value from the service must not make it huge.
  return h('option', { attrs: { value, disabled } }, label.length > 120 ? `${label.slice(0, 120)}…` : label);
}

/** Selects `value`, adding a disabled option for a value the service sent that we do not know. */
export function setSelect(sel: HTMLSelectElement, value: string, label: string): void {
  // An option's value is an attribute, cut at ATTR_MAX: compare and select by what it can hold.
  const held = capAttr(value);
  const extra = [...sel.options].find(o => o.dataset.extra);
  if (extra && extra.value === held) {
    sel.value = held;
    return;
  }
  extra?.remove();
  if (![...sel.options].some(o => o.value === held)) {
    const o = option(value, label, true);
    o.dataset.extra = '1';
    sel.append(o);
  }
  sel.value = held;
}

/** Offers the determinations valid for the chosen classification, keeping `preferred` when it is one. */
export function fillDeterminations(classSel: HTMLSelectElement, detSel: HTMLSelectElement, preferred: string): void {
  // No classification is hundreds of characters long: a huge unknown value from the service is not normalised.
  const values: readonly string[] = classSel.value.length > 200 ? [] : determinationsFor(classSel.value);
  replaceChildren(
    detSel,
    values.map(d => option(d, determinationLabel(d))),
  );
  if (!values.length) {
    // Unknown classification from the service: show its determination, offer nothing to save.
    detSel.append(option(preferred, determinationLabel(preferred), true));
    detSel.value = preferred;
  } else {
    detSel.value = values.includes(preferred) ? preferred : values[0];
  }
}

export function fact(label: string, id: string, ...value: Child[]): HTMLDivElement {
  return h('div', { class: 'fact' }, h('dt', null, label), h('dd', { id }, ...value));
}

/** A date as "Mar 4, 2025, 10:12 AM (3 hours ago)"; text that is not a date is shown as it came, without `datetime`. */
export function time(iso: string | null | undefined): Node {
  if (!iso) return h('span', { class: 'muted' }, '—');
  if (iso.length > 200 || Number.isNaN(Date.parse(iso))) return val(iso);
  const rel = formatRelative(iso);
  return h('time', { attrs: { datetime: iso } }, val(formatAbsolute(iso)), rel ? h('span', { class: 'rel' }, ` (${rel})`) : null);
}

export function severityBadge(sev: string, id?: string): HTMLElement {
  return h('vscode-badge', { id, class: `sev ${severityClass(sev)}` }, val(severityLabel(sev)));
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

/** A person's name or address: invisible characters shown, isolated in its `.v` span. */
export function who(text: string, extraClass = ''): Node {
  return val(identityText(text), extraClass);
}

/** Comments the extension still holds and the user can act on: failed, or left unconfirmed by a crash. */
export function isStuck(e: TimelineEntry): boolean {
  return e.state === 'failed' || e.state === 'unconfirmed';
}

/** Deep equality of JSON-like values (what a `state` message carries). */
export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k) || !same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/**
 * One region of the pane. `update` renders the slice of the state the section shows, and only when it
 * differs from the slice it rendered last; `invalidate` forgets that slice (the next update renders).
 */
export abstract class Section<S> {
  private last: S | undefined;
  private rendered = false;

  protected abstract slice(s: PaneState): S;
  protected abstract render(slice: S, s: PaneState): void;

  /** Returns whether the section touched the DOM. */
  update(s: PaneState): boolean {
    const next = this.slice(s);
    if (this.rendered && same(next, this.last)) return false;
    this.last = next;
    this.rendered = true;
    this.render(next, s);
    return true;
  }

  invalidate(): void {
    this.rendered = false;
    this.last = undefined;
  }
}
