/**
 * Backend text (incident names, alert titles, comments, device and user names, server error messages)
 * and workspace text (saved-filter names) on VS Code's plain-text surfaces. Pure; no `vscode` import and
 * no DOM or Node API, so the pane's webview uses it too.
 *
 * - `safeText` is the one helper for notifications (show*Message), progress titles and messages, quick
 *   picks and input boxes. VS Code parses `[label](command:...)` links (with an optional `"title"`) in
 *   notification and progress messages and in quick-input prompts (`parseLinkedText`, whose pattern is
 *   `\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^\)\s]+)(?: (["'])(.+?)(\3))?\)`; it has no escape
 *   syntax, so a backslash does not help), and renders `$(icon)` codicons in quick-pick labels,
 *   descriptions and titles and in progress titles. safeText replaces the characters those need with
 *   their fullwidth forms (`[` `]` `<` `>` become `［` `］` `＜` `＞`, the `$` of `$(` or a final `$` becomes `＄`, the colon of
 *   `command:` becomes `：`), so the text still reads the same but can form no link, autolink, command
 *   URI or codicon, whatever text surrounds it. It also isolates the text (see `isolate`), puts it on one
 *   line and caps its length.
 * - `plainText` is the same without the link and codicon neutralising, for surfaces that render neither
 *   (tree labels, descriptions and string tooltips), where brackets should stay brackets.
 * - `isolate` closes what the text leaves open: bidi embeddings, overrides and isolates are removed, and
 *   text with right-to-left characters is wrapped in FSI...PDI, so it cannot reorder what follows it.
 * - `showInvisibles` shows invisible and format characters as `⟦U+200B⟧`, for text whose identity
 *   matters (owners, account names, UPNs): `admin@con\u200Btoso.com` cannot pass for `admin@contoso.com`.
 */

/** FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE. */
export const FSI = '\u2068';
export const PDI = '\u2069';

/** Embeddings, overrides and isolates (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI): their effect outlives the text. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
/** Characters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, NKo, ...) and the RLM and ALM marks. */
const RTL = /[\u0590-\u08FF\u061C\u200F\uFB1D-\uFDFF\uFE70-\uFEFE\u{10800}-\u{10FFF}\u{1E800}-\u{1EFFF}]/u;
/**
 * Characters that show nothing or only a blank: controls, format characters (zero-width spaces and
 * joiners, bidi controls, soft hyphen, BOM, tag characters), line and paragraph separators, spaces other
 * than U+0020, Hangul fillers, variation selectors, the combining grapheme joiner and the braille blank.
 */
const INVISIBLE =
  /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u00A0\u115F\u1160\u2000-\u200A\u202F\u205F\u2800\u3000\u3164\uFFA0]|\u034F|\u17B4|\u17B5|[\u180B-\u180D\u180F]|[\uFE00-\uFE0F]|[\u{E0100}-\u{E01EF}]/gu;
/** Controls and line breaks: a value stays on its line (a tooltip line cannot be faked). */
const LINE_BREAKING = /[\p{Cc}\u2028\u2029\u0085]+/gu;

export const DEFAULT_MAX_LENGTH = 240;

export interface TextOptions {
  /** Longest result in UTF-16 code units, ellipsis included, isolation marks not (default 240). */
  max?: number;
  /** Shows invisible characters as `⟦U+XXXX⟧` (owners, account names, UPNs). */
  identity?: boolean;
}

/** Removes bidi embeddings, overrides and isolates, then wraps text with right-to-left characters in FSI...PDI. */
export function isolate(text: string): string {
  const t = text.replace(BIDI_CONTROLS, '');
  return RTL.test(t) ? `${FSI}${t}${PDI}` : t;
}

/** `⟦U+200B⟧` for each invisible or format character (bidi controls included), so look-alikes differ visibly. */
export function showInvisibles(text: string): string {
  return text.replace(INVISIBLE, c => `⟦U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟧`);
}

function str(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return String(value);
}

/** At most `max` code units, the last one an ellipsis when something was cut; never splits a surrogate pair. */
function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = Math.max(0, max - 1);
  const last = s.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  return `${s.slice(0, cut)}…`;
}

function prepare(value: unknown, o: TextOptions): string {
  const max = Math.max(1, o.max ?? DEFAULT_MAX_LENGTH);
  // Cut a huge value first so the rest works on a bounded string.
  let s = truncate(str(value), max * 2);
  s = o.identity ? showInvisibles(s) : s.replace(BIDI_CONTROLS, '');
  return truncate(s.replace(LINE_BREAKING, ' '), max);
}

/** "14:05": an epoch time as local hours and minutes. */
export function clockTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

const PLAIN_ASCII = /^[\x20-\x7E]*$/;

/** One line, capped, isolated: backend text for surfaces that render neither links nor codicons (tree rows and tooltips). */
export function plainText(value: unknown, opts: TextOptions = {}): string {
  // Printable ASCII has nothing to isolate or show: the queue builds thousands of rows.
  if (typeof value === 'string' && value.length <= (opts.max ?? DEFAULT_MAX_LENGTH) && PLAIN_ASCII.test(value)) return value;
  return isolate(prepare(value, opts));
}

const FULLWIDTH: Record<string, string> = { '[': '［', ']': '］', '<': '＜', '>': '＞' };

/**
 * The helper for backend and workspace text in notifications, progress, quick picks and input boxes: one
 * line, capped, isolated, and unable to form a link, an autolink, a `command:` URI or a codicon.
 * Idempotent (without `identity`), so text that went through it can go through it again.
 */
export function safeText(value: unknown, opts: TextOptions = {}): string {
  const s = prepare(value, opts)
    .replace(/[[\]<>]/g, c => FULLWIDTH[c])
    .replace(/\$(?=\(|$)/g, '＄')
    .replace(/(command\s*):/gi, '$1：');
  return isolate(s);
}

const SECRETISH =
  /(bearer\s+)[\w.~+/=-]+|((?:client_secret|access_token|refresh_token|id_token|secret|password|authorization)["']?\s*[:=]\s*["']?(?:bearer\s+)?)[^\s"'&,]+/gi;
/** A JWT on its own (header.payload[.signature], base64url): a token whatever stands before it. */
const JWT = /\beyJ[\w-]{5,}\.[\w-]+\.?[\w-]*/g;

/**
 * Removes what looks like a credential (a bearer token, `client_secret=...`, `"access_token": "..."`) and
 * every exact `known` secret from text a server sent. Run it before any truncation: cutting first could
 * leave half a secret that no longer matches.
 */
export function redactSecrets(text: string, known: readonly string[] = []): string {
  let out = text;
  for (const k of known) if (k && k.length >= 4) out = out.split(k).join('***');
  return out.replace(SECRETISH, (_m, bearer: string | undefined, key: string | undefined) => `${bearer ?? key}[redacted]`).replace(JWT, '[redacted JWT]');
}
