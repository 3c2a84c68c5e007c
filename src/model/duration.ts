/**
 * The SLA setting's duration text (`2d`, `4h`, `45m`, `1h30m`, `1d 12h`, `1.5h`), read in one pass: no
 * input, however long or odd, makes the parser or the settings editor's schema pattern backtrack (issue 16
 * item 3). Pure; imports nothing.
 */

/** The longest duration text read (`1.5d 12.25h 30.5m` is 17): longer text is refused before it is parsed. */
export const MAX_DURATION_LENGTH = 40;

/**
 * The package.json `pattern` of a duration string, kept linear: every `\s*` sits between a unit letter and
 * a digit (or at an end) and the numbers are bounded, so no input makes the settings editor backtrack.
 * `test/unit/sla-parse.test.ts` checks it against the parser and package.json.
 */
export const DURATION_PATTERN = '^\\s*(?:[Oo][Ff][Ff]|N\\s*[dD](?:\\s*N\\s*[hH])?(?:\\s*N\\s*[mM])?|N\\s*[hH](?:\\s*N\\s*[mM])?|N\\s*[mM])\\s*$'.replace(
  /N/g,
  '\\d{1,9}(?:\\.\\d{1,9})?',
);

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v' || c === '\u00a0' || /\s/.test(c);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/**
 * `2d`, `4h`, `45m`, `1h30m`, `1d 12h`, `1.5h`: units in that order, each at most once. One pass over
 * the text (linear in its length, whatever it holds). Minutes, or undefined when it is not a duration.
 */
export function durationMinutes(s: string): number | undefined {
  const UNITS = ['d', 'h', 'm'] as const;
  const FACTOR = { d: 24 * 60, h: 60, m: 1 };
  let i = 0;
  let nextUnit = 0;
  let total = 0;
  let parts = 0;
  for (;;) {
    while (i < s.length && isSpace(s[i])) i++;
    if (i >= s.length) break;
    const start = i;
    while (isDigit(s[i])) i++;
    if (i === start) return undefined;
    if (s[i] === '.') {
      i++;
      const frac = i;
      while (isDigit(s[i])) i++;
      if (i === frac) return undefined;
    }
    const number = Number(s.slice(start, i));
    while (i < s.length && isSpace(s[i])) i++;
    const unit = UNITS.indexOf((s[i] ?? '').toLowerCase() as (typeof UNITS)[number]);
    if (unit < nextUnit) return undefined;
    total += number * FACTOR[UNITS[unit]];
    nextUnit = unit + 1;
    parts++;
    i++;
  }
  return parts ? total : undefined;
}
