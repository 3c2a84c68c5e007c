/**
 * The queue's filter in words: the view's message and the filter editor's rows, from the presentation
 * table (./filterFields) over the model's meaning (src/model/query.ts). Pure; no `vscode` import.
 */
import { setFields, type IncidentFilter } from '../model/query';
import { FILTER_FIELDS, type FilterField } from './filterFields';

/**
 * One line for the view's message and quick picks: "Active, In progress · High, Medium, Low · assigned to me · "vpn"".
 * A filter can come from a cloned repository's saved filters, so every value goes through `safeText`.
 */
export function describeFilter(f: IncidentFilter): string {
  const parts = setFields(f, FILTER_FIELDS as readonly FilterField[]).map(({ field, value }) => field.describe(value as never));
  return parts.length ? parts.join(' · ') : 'All incidents';
}

/** The filter editor's rows: one per field of the table, with its current value ("any" when unset). */
export function filterEditorRows(f: IncidentFilter): { key: keyof IncidentFilter; label: string; description: string }[] {
  const set = new Map(setFields(f, FILTER_FIELDS as readonly FilterField[]).map(({ field, value }) => [field.key, field.describe(value as never)]));
  return FILTER_FIELDS.map(field => ({ key: field.key, label: field.label, description: set.get(field.key) ?? 'any' }));
}
