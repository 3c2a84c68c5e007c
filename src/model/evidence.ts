/**
 * The evidence of an incident, one model for both APIs: Graph `alerts_v2` `evidence` (31 v1.0 types told
 * apart by `@odata.type`) and the Defender API's alert `entities` and `devices`. Pure; no `vscode` import.
 *
 * Every value here is attacker-influenced text (command lines, subjects, file names, URLs): it is kept as it
 * came and made safe by the surface that shows it. Parsing never throws on an evidence item: an unknown
 * type is kept (shown by its `@odata.type` and its string fields), a malformed item is reported in
 * `problems` and the rest is read.
 */
import {
  DEFENDER_DEVICE,
  DEFENDER_ENTITY_TYPES,
  EVIDENCE_GROUPS,
  GRAPH_EVIDENCE_TYPES,
  type EvidenceKind,
  type HuntKind,
  type TypeSpec,
} from './evidenceTypes';

export interface HuntTarget {
  kind: HuntKind;
  value: string;
  /** The evidence field it came from (`deviceDnsName`, `fileDetails.sha256`...). */
  field: string;
}

/** One entity: after `mergeEvidence`, one row per entity with everything the incident's alerts say of it. */
export interface EvidenceItem {
  /** Identity of the entity; two items with the same key are the same entity named by different alerts. */
  key: string;
  kind: EvidenceKind;
  /** The short Graph type (`ipEvidence`), the whole `@odata.type` of an unknown type, or Defender's entityType. */
  type: string;
  /** True when the type is none this version knows: shown by its type and its string fields. */
  unknownType: boolean;
  source: 'graph' | 'defender';
  /** The most useful one-line value (device name, UPN, IP, file name, command line...). */
  label: string;
  /** Values that identify something and can be hunted for. */
  targets: HuntTarget[];
  /** Every other scalar field, flattened with dotted keys (`fileDetails.sha256`, `loggedOnUsers[0].accountName`). */
  fields: Record<string, string>;
  roles: string[];
  detailedRoles: string[];
  tags: string[];
  /** Distinct verdicts the alerts give (usually one). */
  verdicts: string[];
  remediationStatuses: string[];
  /** The alerts that name it. */
  alertIds: string[];
  /** Earliest `createdDateTime` / `evidenceCreationTime` seen. */
  firstSeen: string | null;
}

export interface EvidenceParse {
  items: EvidenceItem[];
  /** One line per malformed item or list: "alert da1: evidence[3] is a string, expected an object". */
  problems: string[];
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
/** An own data property even for keys such as `__proto__` (a plain assignment would set the prototype). */
const put = (o: Record<string, string>, k: string, v: string): void => {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
};
const GRAPH_PREFIX = /^#?microsoft\.graph\.security\./;
const MAX_FIELDS = 200;
const MAX_DEPTH = 4;

/** Fields with their own place in the item (not repeated in `fields`). */
const OWN_FIELDS = new Set([
  '@odata.type',
  'roles',
  'detailedRoles',
  'tags',
  'verdict',
  'remediationStatus',
  'createdDateTime',
  'entityType',
  'evidenceCreationTime',
]);

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function scalar(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') return String(v);
  return null;
}

/** Scalars at any depth (to MAX_DEPTH), dotted keys; arrays of scalars joined with ", ", arrays of objects indexed. */
export function flattenFields(o: Json, skip: ReadonlySet<string> = OWN_FIELDS): Record<string, string> {
  const out: Record<string, string> = {};
  let count = 0;
  const walk = (node: Json, prefix: string, depth: number): void => {
    for (const [k, v] of Object.entries(node)) {
      if (count >= MAX_FIELDS) return;
      if (!prefix && skip.has(k)) continue;
      if (k.startsWith('@odata')) continue;
      const key = prefix ? `${prefix}.${k}` : k;
      const s = scalar(v);
      if (s !== null) {
        if (s.trim() !== '') {
          put(out, key, s);
          count++;
        }
      } else if (isObj(v)) {
        if (depth < MAX_DEPTH) walk(v, key, depth + 1);
      } else if (Array.isArray(v)) {
        const texts = v.map(scalar).filter((t): t is string => t !== null && t.trim() !== '');
        if (texts.length) {
          put(out, key, texts.join(', '));
          count++;
        }
        v.forEach((e, i) => {
          if (isObj(e) && depth < MAX_DEPTH) walk(e, `${key}[${i}]`, depth + 1);
        });
      }
    }
  };
  walk(o, '', 0);
  return out;
}

function strings(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return [...new Set(v.map(scalar).filter((s): s is string => s !== null && s.trim() !== ''))];
}

/** Graph spells verdicts and statuses camelCase, Defender PascalCase: one spelling so merged rows agree. */
function enumText(v: unknown): string | null {
  const s = scalar(v);
  if (s === null || s.trim() === '') return null;
  return /^[A-Za-z]+$/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}

function firstOf(fields: Record<string, string>, names: readonly string[]): string | undefined {
  for (const n of names) {
    const v = fields[n];
    if (v !== undefined) return v;
  }
  return undefined;
}

function build(spec: TypeSpec | undefined, type: string, source: EvidenceItem['source'], o: Json, alertId: string): EvidenceItem {
  const fields = flattenFields(o);
  const kind = spec?.kind ?? 'other';
  const label = (spec && firstOf(fields, spec.label)) ?? Object.values(fields)[0] ?? type;
  const idFields = spec?.key.filter(k => fields[k] !== undefined) ?? [];
  // The first identifying field names the entity; without one, all its fields do (never merges unlike items).
  const identity = idFields.length
    ? `${idFields[0]}=${fields[idFields[0]].toLowerCase()}`
    : JSON.stringify(
        Object.keys(fields)
          .sort()
          .map(k => [k, fields[k]]),
      );
  const targets: HuntTarget[] = [];
  for (const [field, hk] of spec?.hunt ?? []) {
    const value = fields[field]?.trim();
    if (value && !targets.some(t => t.kind === hk && t.value === value)) targets.push({ kind: hk, value, field });
  }
  const verdict = enumText(o.verdict);
  const remediation = enumText(o.remediationStatus);
  const created = scalar(o.createdDateTime) ?? scalar(o.evidenceCreationTime);
  return {
    key: `${kind}|${spec ? kind : type}|${identity}`,
    kind,
    type,
    unknownType: spec === undefined,
    source,
    label,
    targets,
    fields,
    roles: strings(o.roles),
    detailedRoles: strings(o.detailedRoles),
    tags: strings(o.tags),
    verdicts: verdict ? [verdict] : [],
    remediationStatuses: remediation ? [remediation] : [],
    alertIds: alertId ? [alertId] : [],
    firstSeen: created && !Number.isNaN(Date.parse(created)) ? created : null,
  };
}

/** The short Graph type of an item ("ipEvidence"), or null when `@odata.type` is not a Graph security type. */
export function graphEvidenceType(odataType: string): string | null {
  return GRAPH_PREFIX.test(odataType) ? odataType.replace(GRAPH_PREFIX, '') : null;
}

/**
 * A Graph alert's `evidence` (the raw array as it came). `where` names the alert in problems.
 * Items of a type this version does not know keep their whole `@odata.type` as `type`.
 */
export function parseGraphEvidence(raw: unknown, alertId: string, where = `alert ${alertId}`): EvidenceParse {
  const out: EvidenceParse = { items: [], problems: [] };
  if (raw === undefined || raw === null) return out;
  if (!Array.isArray(raw)) {
    out.problems.push(`${where}: evidence is ${describe(raw)}, expected an array`);
    return out;
  }
  raw.forEach((e, i) => {
    if (!isObj(e)) {
      out.problems.push(`${where}: evidence[${i}] is ${describe(e)}, expected an object`);
      return;
    }
    const odata = typeof e['@odata.type'] === 'string' && e['@odata.type'].trim() ? e['@odata.type'] : '';
    const short = graphEvidenceType(odata);
    const spec = short !== null && Object.hasOwn(GRAPH_EVIDENCE_TYPES, short) ? GRAPH_EVIDENCE_TYPES[short] : undefined;
    const type = spec ? short! : odata || '(no @odata.type)';
    out.items.push(build(spec, type, 'graph', e, alertId));
  });
  return out;
}

/** A Defender alert's `entities` and `devices` (raw arrays). No roles: see DEFENDER_EVIDENCE_GAPS. */
export function parseDefenderEntities(entities: unknown, devices: unknown, alertId: string, where = `alert ${alertId}`): EvidenceParse {
  const out: EvidenceParse = { items: [], problems: [] };
  const each = (raw: unknown, name: string, read: (o: Json) => EvidenceItem): void => {
    if (raw === undefined || raw === null) return;
    if (!Array.isArray(raw)) {
      out.problems.push(`${where}: ${name} is ${describe(raw)}, expected an array`);
      return;
    }
    raw.forEach((e, i) => {
      if (isObj(e)) out.items.push(read(e));
      else out.problems.push(`${where}: ${name}[${i}] is ${describe(e)}, expected an object`);
    });
  };
  each(devices, 'devices', o => build(DEFENDER_DEVICE, 'Device', 'defender', o, alertId));
  each(entities, 'entities', o => {
    const type = scalar(o.entityType)?.trim() || '(no entityType)';
    const lower = type.toLowerCase();
    const spec = Object.hasOwn(DEFENDER_ENTITY_TYPES, lower) ? DEFENDER_ENTITY_TYPES[lower] : undefined;
    return build(spec, type, 'defender', o, alertId);
  });
  return out;
}

const union = (a: string[], b: readonly string[]): string[] => {
  for (const x of b) if (!a.includes(x)) a.push(x);
  return a;
};

/** One row per entity: items with the same key become one, with the roles, verdicts, statuses and alerts of all. */
export function mergeEvidence(items: readonly EvidenceItem[]): EvidenceItem[] {
  const byKey = new Map<string, EvidenceItem>();
  for (const it of items) {
    const seen = byKey.get(it.key);
    if (!seen) {
      byKey.set(it.key, {
        ...it,
        targets: [...it.targets],
        fields: { ...it.fields },
        roles: [...it.roles],
        detailedRoles: [...it.detailedRoles],
        tags: [...it.tags],
        verdicts: [...it.verdicts],
        remediationStatuses: [...it.remediationStatuses],
        alertIds: [...it.alertIds],
      });
      continue;
    }
    union(seen.roles, it.roles);
    union(seen.detailedRoles, it.detailedRoles);
    union(seen.tags, it.tags);
    union(seen.verdicts, it.verdicts);
    union(seen.remediationStatuses, it.remediationStatuses);
    union(seen.alertIds, it.alertIds);
    for (const t of it.targets) if (!seen.targets.some(s => s.kind === t.kind && s.value === t.value)) seen.targets.push(t);
    for (const [k, v] of Object.entries(it.fields)) if (!Object.hasOwn(seen.fields, k)) put(seen.fields, k, v);
    if (it.firstSeen && (!seen.firstSeen || Date.parse(it.firstSeen) < Date.parse(seen.firstSeen))) seen.firstSeen = it.firstSeen;
  }
  return [...byKey.values()];
}

export interface EvidenceGroup {
  kind: EvidenceKind;
  label: string;
  items: EvidenceItem[];
}

/** Non-empty groups in EVIDENCE_GROUPS order; their counts add up to `items.length`. */
export function groupEvidence(items: readonly EvidenceItem[]): EvidenceGroup[] {
  return EVIDENCE_GROUPS.map(g => ({ ...g, items: items.filter(i => i.kind === g.kind) })).filter(g => g.items.length > 0);
}

/** The incident's evidence as the pane shows it: every alert's items merged, plus the problems met reading them. */
export function incidentEvidence(alerts: readonly { evidence?: EvidenceItem[]; evidenceProblems?: string[] }[]): EvidenceParse {
  return {
    items: mergeEvidence(alerts.flatMap(a => a.evidence ?? [])),
    problems: alerts.flatMap(a => a.evidenceProblems ?? []),
  };
}
