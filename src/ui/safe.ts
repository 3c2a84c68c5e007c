/**
 * The branded text type of the UI surface (./surface.ts), without a `vscode` import so the text builders
 * (src/commands/format.ts) and their tests use it in plain Node.
 */
import { safeText, type TextOptions } from '../shared/text';

declare const SAFE: unique symbol;
/** Text neutralised for VS Code's surfaces (see the module comment). */
export type SafeText = string & { readonly [SAFE]: true };

/** Outside text (backend values, settings, errors) made safe for a surface: links, codicons and bidi neutralised. */
export function safe(raw: unknown, o?: TextOptions): SafeText {
  return safeText(raw, o) as SafeText;
}

/** Our own words, with only SafeText (or numbers) interpolated: `ui\`Incident ${safe(id)} resolved\``. */
export function ui(strings: TemplateStringsArray, ...values: readonly (SafeText | number)[]): SafeText {
  let out = strings[0];
  values.forEach((v, i) => {
    out += String(v) + strings[i + 1];
  });
  return out as SafeText;
}

/**
 * The result of a tested text builder (src/commands/format.ts), whose every backend part went through
 * `safeText`, checked by test/unit/notifications.test.ts against VS Code's link pattern. Only the builders
 * call it.
 */
export function built(text: string): SafeText {
  return text as SafeText;
}

/** Safe pieces joined by one of our separators (a dialog's detail, one line per piece). */
export function joinSafe(parts: readonly SafeText[], separator: '\n' | ' ' | '; ' = '\n'): SafeText {
  return parts.join(separator) as SafeText;
}
