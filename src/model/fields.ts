/**
 * The one table of incident fields: for each field a user can see change, its label, its kind, its wire
 * name in each dialect, whether the conflict check compares it, how the history names it, and which
 * capability a backend needs to write it. The conflict check's list, the history's display, the pane's
 * conflict box, "is this a person" and the PATCH bodies (`wirePatch`) all derive from it: a new field is
 * one row here plus its reading in each dialect (src/backend/<dialect>/mapping.ts). Pure; imports nothing
 * outside the model.
 */
import { enumLabel, type EnumKind } from './enums';
import type { EditCapability } from './backends';
import type { AlertPatch, Incident, IncidentPatch } from './types';

export type FieldKind = 'person' | 'enum' | 'text' | 'tags' | 'time';

/** The two wire dialects (the mock speaks both). */
export type Dialect = 'defender' | 'graph';

export interface FieldDef {
  key: keyof Incident;
  /** The pane's word for it: "Owner". */
  label: string;
  kind: FieldKind;
  /** For kind 'enum': whose labels its values take. */
  enumKind?: EnumKind;
  /** The property name in each API's incident. */
  wire: Readonly<Record<Dialect, string>>;
  /** Whether the conflict check compares it (a field the user can change). */
  compared: boolean;
  /** The journal's name for it ("owner"); absent: not journaled. Kept stable: journals persist it. */
  history?: string;
  /** The capability a backend needs to write it; absent: every backend writes it, or it is read-only. */
  writeNeeds?: { capability: EditCapability; what: string };
}

/** In the order the conflict check and the history list changes. */
export const FIELDS: readonly FieldDef[] = Object.freeze([
  { key: 'assignedTo', label: 'Owner', kind: 'person', wire: { defender: 'assignedTo', graph: 'assignedTo' }, compared: true, history: 'owner' },
  { key: 'status', label: 'Status', kind: 'enum', enumKind: 'status', wire: { defender: 'status', graph: 'status' }, compared: true, history: 'status' },
  {
    key: 'classification',
    label: 'Classification',
    kind: 'enum',
    enumKind: 'classification',
    wire: { defender: 'classification', graph: 'classification' },
    compared: true,
    history: 'classification',
  },
  {
    key: 'determination',
    label: 'Determination',
    kind: 'enum',
    enumKind: 'determination',
    wire: { defender: 'determination', graph: 'determination' },
    compared: true,
    history: 'determination',
  },
  { key: 'tags', label: 'Tags', kind: 'tags', wire: { defender: 'tags', graph: 'customTags' }, compared: true, history: 'tags' },
  {
    key: 'name',
    label: 'Name',
    kind: 'text',
    wire: { defender: 'incidentName', graph: 'displayName' },
    compared: true,
    history: 'name',
    writeNeeds: { capability: 'canRename', what: 'rename incidents' },
  },
  {
    key: 'severity',
    label: 'Severity',
    kind: 'enum',
    enumKind: 'severity',
    wire: { defender: 'severity', graph: 'severity' },
    compared: true,
    history: 'severity',
    writeNeeds: { capability: 'canChangeSeverity', what: "change an incident's severity" },
  },
  { key: 'createdTime', label: 'Created', kind: 'time', wire: { defender: 'createdTime', graph: 'createdDateTime' }, compared: false },
  { key: 'lastUpdateTime', label: 'Updated', kind: 'time', wire: { defender: 'lastUpdateTime', graph: 'lastUpdateDateTime' }, compared: false },
] satisfies FieldDef[]);

/** The fields a conflict compares: those a user can change (each is also a patch field). */
export const COMPARED_FIELDS = FIELDS.filter(f => f.compared).map(f => f.key) as (keyof Incident & keyof IncidentPatch)[];

const BY_NAME = new Map<string, FieldDef>();
for (const f of FIELDS) {
  for (const n of [f.key, f.label, f.history, f.wire.defender, f.wire.graph]) if (n) BY_NAME.set(n.toLowerCase(), f);
}

/**
 * The field a name stands for: its key (`assignedTo`), label (`Owner`), journal name (`owner`) or a wire
 * name (`displayName`), in any case. Undefined for a name the table does not know.
 */
export function fieldFor(name: string | undefined): FieldDef | undefined {
  return name ? BY_NAME.get(name.toLowerCase()) : undefined;
}

/** A field's property name in a dialect (the `$filter`'s too); a name the table does not know is its own. */
export function wireName(key: string, d: Dialect): string {
  return FIELDS.find(f => f.key === key)?.wire[d] ?? key;
}

/**
 * The fields a patch sets, in a dialect's wire names: the body of its PATCH. Enum values are spelled by
 * `spell` (the dialect's, e.g. toGraphEnum), lists copied; keys of the patch the table does not hold (a
 * resolving comment) are left to the caller. An alert's patch takes the same names.
 */
export function wirePatch(patch: IncidentPatch | AlertPatch, d: Dialect, spell: (kind: EnumKind, value: string) => string): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of FIELDS) {
    const v: unknown = (patch as Partial<Record<keyof Incident, unknown>>)[f.key];
    if (v === undefined) continue;
    body[f.wire[d]] = f.enumKind && typeof v === 'string' ? spell(f.enumKind, v) : Array.isArray(v) ? [...v] : v;
  }
  return body;
}

/** Whether a field's values are people (the journal's "owner", the conflict check's "assignedTo"). */
export function isPersonField(name: string | undefined): boolean {
  return fieldFor(name)?.kind === 'person';
}

/** A field's value as text a message can carry: lists joined, empty as null; not yet in words. */
export function fieldText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = Array.isArray(v) ? v.join(', ') : String(v);
  return s === '' ? null : s;
}

/**
 * A field's value in words, the one place values become words: enum values in the portal's words, lists
 * joined; null when empty. A field the table does not know shows its value as it came.
 */
export function fieldWords(f: FieldDef | undefined, v: unknown): string | null {
  const s = fieldText(v);
  if (s === null) return null;
  return f?.enumKind ? enumLabel(f.enumKind, s) : s;
}

/** What an empty value of a field reads as: "Unassigned", "Not set", "None", or a dash. */
export function emptyWords(f: FieldDef | undefined): string {
  if (!f) return '—';
  if (f.kind === 'person') return 'Unassigned';
  return f.enumKind ? enumLabel(f.enumKind, null) : '—';
}
