/**
 * How each filter field reads in the UI: its label in the filter editor, its words in the view's message
 * (every backend or workspace value through `safeText`) and how the filter editor's quick pick asks for it.
 * What a field means (parse, match, server query, `$filter`) is the model's (src/model/query.ts); this
 * table adds the words, one entry per field in the same order. Pure: no `vscode` import.
 */
import { enumLabel, labelTable, normalizeEnum, type EnumKind } from '../model/enums';
import { QUERY_FIELDS, ownerOf, pickableValues, type IncidentFilter, type QueryField } from '../model/query';
import { isDate, type TimeRange } from '../model/timeRange';
import { safeText } from '../shared/text';
import { SLA_STATE_LABELS, type SlaStateName } from '../model/sla';
import { own } from '../model/own';

/** Where the editor's options come from besides the model: what the store has seen. */
export interface PickSource {
  owners(): string[];
  tags(): string[];
}

/** One option of a quick pick: `value` is raw, `label` is already safe to show. */
export interface PickOption {
  value: string;
  label: string;
}

/** An input box: `invalid` returns the message for text that cannot be used. */
export interface Prompt {
  title: string;
  placeHolder?: string;
  optional?: boolean;
  invalid?(text: string): string | undefined;
}

/**
 * How the filter editor asks for a field. `value` returning undefined clears the field, except for
 * `other` (the option that asks for a value instead), where it changes nothing.
 */
export type FieldPick<V> =
  | { kind: 'many'; title: string; options(src: PickSource): PickOption[]; selected(v: V | undefined): string[]; value(picked: string[]): V | undefined }
  | {
      kind: 'one';
      title: string;
      options(src: PickSource): PickOption[];
      value(picked: string): V | undefined;
      other?: { option: PickOption; prompts: Prompt[]; value(answers: string[]): V | undefined };
    }
  | { kind: 'text'; title: string; current(v: V | undefined): string; value(text: string): V | undefined };

/** A field's words. */
export interface FieldWords<K extends keyof IncidentFilter = keyof IncidentFilter> {
  /** The filter editor's row. */
  label: string;
  /** Its part of the view's message; every backend or workspace value goes through `safeText`. */
  describe(v: NonNullable<IncidentFilter[K]>): string;
  pick: FieldPick<NonNullable<IncidentFilter[K]>>;
}

/** A field's meaning (the model's) with its words. */
export type FilterField<K extends keyof IncidentFilter = keyof IncidentFilter> = QueryField<K> & FieldWords<K>;

const SHORT = { max: 80 };
const t = (x: string): string => safeText(x, SHORT);

/** The values a user may pick for an enum, in the portal's order, with the portal's words. */
function enumOptions(kind: EnumKind): PickOption[] {
  const labels = labelTable(kind);
  return pickableValues(kind).map(value => ({ value, label: labels[value] }));
}

function enumList<K extends 'statuses' | 'severities' | 'classifications'>(kind: EnumKind, label: string): FieldWords<K> {
  return {
    label,
    describe: v => v.map(x => t(enumLabel(kind, x))).join(', '),
    pick: {
      kind: 'many',
      title: label,
      options: () => enumOptions(kind),
      selected: v => (v ?? []).map(x => normalizeEnum(kind, x)),
      value: picked => (picked.length ? (picked as NonNullable<IncidentFilter[K]>) : undefined),
    },
  };
}

const RANGE_LABEL: Record<Exclude<TimeRange, object>, string> = { '1d': '1 day', '3d': '3 days', '7d': '7 days', '30d': '30 days', '6m': '6 months' };

function timeWindow<K extends 'updated' | 'time'>(label: string, word: string): FieldWords<K> {
  return {
    label,
    describe: r =>
      typeof r === 'string'
        ? `${word} in the last ${own(RANGE_LABEL as Readonly<Record<string, string>>, r) ?? t(r)}`
        : `${word} from ${t(r.from.slice(0, 10))}${r.to ? ` to ${t(r.to.slice(0, 10))}` : ''}`,
    pick: {
      kind: 'one',
      title: label,
      options: () => [{ value: '', label: 'Any time' }, ...Object.entries(RANGE_LABEL).map(([value, l]) => ({ value, label: l }))],
      value: v => (v ? (v as TimeRange) : undefined),
      other: {
        option: { value: 'custom', label: 'Custom…' },
        prompts: [
          { title: 'From (YYYY-MM-DD)', invalid: x => (isDate(x) ? undefined : 'Enter a date like 2026-11-01.') },
          { title: 'To (YYYY-MM-DD, optional)', optional: true, invalid: x => (!x || isDate(x) ? undefined : 'Enter a date like 2026-11-29, or nothing.') },
        ],
        value: ([from, to]) => (from ? { from: new Date(from).toISOString(), ...(to ? { to: new Date(to).toISOString() } : {}) } : undefined),
      },
    },
  };
}

const owner: FieldWords<'owner'> = {
  label: 'Owner',
  describe: o =>
    o.kind === 'me'
      ? 'assigned to me'
      : o.kind === 'unassigned'
        ? 'unassigned'
        : o.kind === 'person'
          ? `owner ${safeText(o.upn, { max: 120, identity: true })}`
          : 'anyone',
  pick: {
    kind: 'one',
    title: 'Owner',
    options: src => [
      { value: 'anyone', label: 'Anyone' },
      { value: 'me', label: 'Me' },
      { value: 'unassigned', label: 'Unassigned' },
      ...src.owners().map(upn => ({ value: upn, label: safeText(upn, { max: 120, identity: true }) })),
    ],
    value: ownerOf,
    other: {
      option: { value: '?', label: 'Someone else…' },
      prompts: [{ title: 'Owner', placeHolder: 'alice@contoso.com' }],
      value: ([upn]) => (upn?.trim() ? { kind: 'person', upn: upn.trim() } : undefined),
    },
  },
};

const tags: FieldWords<'tags'> = {
  label: 'Tag',
  describe: v => `tags ${v.map(t).join(', ')}`,
  pick: {
    kind: 'many',
    title: 'Tag (all picked must be present)',
    options: src => [...new Set(src.tags())].sort().map(x => ({ value: x, label: safeText(x, { max: 120 }) })),
    selected: v => v ?? [],
    value: picked => (picked.length ? picked : undefined),
  },
};

const text: FieldWords<'text'> = {
  label: 'Text search',
  describe: v => `"${t(v.trim())}"`,
  pick: { kind: 'text', title: 'Search name, ID, tags, devices and users', current: v => v ?? '', value: x => x.trim() || undefined },
};

/** In a sentence ("SLA overdue, due soon"): the model's label with a lower-case first letter. */
const slaWords = (x: string): string => {
  const l = SLA_STATE_LABELS[x as SlaStateName];
  return l ? l.charAt(0).toLowerCase() + l.slice(1) : t(x);
};

const sla: FieldWords<'sla'> = {
  label: 'SLA',
  describe: v => `SLA ${v.map(slaWords).join(', ')}`,
  pick: {
    kind: 'many',
    title: 'SLA state',
    options: () => Object.entries(SLA_STATE_LABELS).map(([value, label]) => ({ value, label })),
    selected: v => v ?? [],
    value: picked => (picked.length ? (picked as SlaStateName[]) : undefined),
  },
};

const WORDS: { [K in keyof IncidentFilter]-?: FieldWords<K> } = {
  statuses: enumList('status', 'Status'),
  severities: enumList('severity', 'Severity'),
  classifications: enumList('classification', 'Classification'),
  owner,
  tags,
  updated: timeWindow('Updated within', 'updated'),
  time: timeWindow('Created within', 'created'),
  text,
  sla,
};

export type AnyFilterField = { [K in keyof IncidentFilter]-?: FilterField<K> }[keyof IncidentFilter];

/** The model's fields with their words, in the model's order. */
export const FILTER_FIELDS: readonly AnyFilterField[] = Object.freeze(
  (QUERY_FIELDS as readonly QueryField[]).map(f => ({ ...f, ...(WORDS[f.key] as FieldWords) })) as AnyFilterField[],
);
