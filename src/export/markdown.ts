/**
 * "Export to Markdown": an incident as a start for investigation notes. Backend text is escaped so a
 * name like `[x](command:...)` stays literal text in the document and its preview, and isolated so a
 * right-to-left override cannot reorder the rest of its line. The one link, to the portal, is the
 * checked portal URL with every character that could end or escape its destination percent-encoded.
 * Pure.
 */
import type { Alert, Incident } from '../model/types';
import type { TimelineEntry } from '../model/timeline';
import { portalUrl } from '../model/links';
import { alertStatusLabel, classificationLabel, determinationLabel, severityLabel, statusLabel } from '../model/enums';
import { isolate, showInvisibles } from '../shared/text';
import { groupEvidence, incidentEvidence, type EvidenceItem } from '../model/evidence';
import { DEFENDER_EVIDENCE_GAPS, HUNT_KIND_WORDS } from '../model/evidenceTypes';

/**
 * Escapes Markdown and HTML syntax; newlines and other controls become spaces so a value stays in its
 * line or cell; bidi embeddings and overrides are removed and right-to-left text isolated. `identity`
 * shows invisible characters as `⟦U+200B⟧` (owners, authors, devices, entities).
 */
export function md(s: string | null | undefined, opts: { identity?: boolean } = {}): string {
  if (s === null || s === undefined || s === '') return '—';
  const shown = opts.identity ? showInvisibles(s) : s;
  // `.`, `:`, `/` and `@` too: escaped, they split the text where a preview's autolinker (GFM, markdown-it's
  // linkify) would find a bare URL, `www.` host or e-mail address, so backend text never becomes a link.
  return isolate(shown.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').replace(/[\\`*_{}[\]()<>#+!|~&"\-.:/@]/g, c => `\\${c}`));
}

const mdIdentity = (s: string | null | undefined) => md(s, { identity: true });

/**
 * A URL as a Markdown link destination: everything but unreserved and ordinary URL punctuation is
 * percent-encoded, so `(`, `)`, `<`, `>`, `[`, `]`, spaces, quotes, backslashes and controls cannot end
 * the destination or start other syntax.
 */
export function mdUrl(url: string): string {
  return url.replace(/[^A-Za-z0-9\-._~:/?#@!$&*+,;=%]/gu, c =>
    encodeURIComponent(c).replace(/[!'()*]/g, x => `%${x.charCodeAt(0).toString(16).toUpperCase()}`),
  );
}

export function incidentToMarkdown(i: Incident, timeline: TimelineEntry[], exportedAt: Date): string {
  const out: string[] = [];
  out.push(`# Incident ${md(i.id)}: ${md(i.name)}`, '');
  out.push(`Exported ${exportedAt.toISOString()} · [Open in Defender portal](${mdUrl(portalUrl(i))})`, '');
  out.push('## Summary', '', '| Field | Value |', '|---|---|');
  const rows: [string, string][] = [
    ['Severity', md(severityLabel(i.severity))],
    ['Status', md(statusLabel(i.status))],
    ['Owner', i.assignedTo ? mdIdentity(i.assignedTo) : 'Unassigned'],
    ['Classification', md(classificationLabel(i.classification))],
    ['Determination', md(determinationLabel(i.determination))],
    ['Tags', i.tags.length ? i.tags.map(t => md(t)).join(', ') : '—'],
    ['Created', md(i.createdTime)],
    ['Last update', md(i.lastUpdateTime)],
    ['Alerts', String(i.alerts.length)],
  ];
  for (const [k, v] of rows) out.push(`| ${k} | ${v} |`);
  out.push('', '## Alerts', '');
  if (!i.alerts.length) out.push('No alerts.');
  for (const a of i.alerts) {
    out.push(`### ${md(a.title)}`, '');
    out.push(`- Severity: ${md(severityLabel(a.severity))} · Status: ${md(alertStatusLabel(a.status))} · Category: ${md(a.category)}`);
    out.push(`- Service source: ${md(a.serviceSource)} · Detection source: ${md(a.detectionSource)}`);
    out.push(`- First activity: ${md(a.firstActivity)} · Last activity: ${md(a.lastActivity)}`);
    if (a.mitreTechniques.length) out.push(`- MITRE techniques: ${a.mitreTechniques.map(x => md(x)).join(', ')}`);
    if (a.description) out.push('', md(a.description));
    out.push('');
  }
  out.push(...evidenceMarkdown(i.alerts));
  out.push('', '## Comments and history', '');
  if (!timeline.length) out.push('Nothing yet.');
  for (const t of [...timeline].reverse()) {
    out.push(`- ${md(t.time)} · ${t.author ? mdIdentity(t.author) : 'you'}${t.state !== 'confirmed' ? ` (${t.state})` : ''}: ${md(t.text)}`);
  }
  out.push('', '## Investigation notes', '', '');
  return out.join('\n');
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The Evidence section, as the pane shows it (webview/sections/evidence.ts): the alerts' evidence merged
 * to one row per entity and grouped by kind, with the same counts; each row with its roles, verdict,
 * remediation status, the other values it can be hunted by and the alerts that name it. Every value is
 * backend text, escaped (and invisible characters shown) like the rest of the export.
 */
function evidenceMarkdown(alerts: readonly Alert[]): string[] {
  const { items, problems } = incidentEvidence(alerts);
  const groups = groupEvidence(items);
  const titles = new Map(alerts.map(a => [a.id, a.title]));
  const out = ['## Evidence', ''];
  if (items.some(it => it.source === 'defender')) {
    out.push(`The Defender API does not carry ${DEFENDER_EVIDENCE_GAPS.join('; ')}. The Graph backend shows them.`, '');
  }
  if (problems.length) {
    out.push(`${count(problems.length, 'evidence item')} could not be read and ${problems.length === 1 ? 'is' : 'are'} not shown:`, '');
    for (const p of problems.slice(0, 20)) out.push(`- ${md(p)}`);
    if (problems.length > 20) out.push(`- and ${problems.length - 20} more`);
    out.push('');
  }
  if (!items.length) {
    out.push(alerts.length ? 'No evidence reported for these alerts.' : 'No alerts, so no evidence.');
    return out;
  }
  out.push(`${count(items.length, 'entity', 'entities')} in ${count(groups.length, 'group')}: ${groups.map(g => `${g.label} ${g.items.length}`).join(', ')}`);
  for (const g of groups) {
    out.push('', `### ${g.label} (${g.items.length})`, '');
    for (const it of g.items) out.push(...evidenceRow(it, titles));
  }
  return out;
}

/** One entity: its label (its type too where the group does not say it), then its facts, one sub-item each. */
function evidenceRow(it: EvidenceItem, titles: ReadonlyMap<string, string>): string[] {
  const typed = it.kind === 'other' || it.kind === 'cloud' || it.unknownType;
  const list = (values: readonly string[], sep: string, none: string) => (values.length ? values.map(v => md(v)).join(sep) : none);
  const roles = list(it.roles, ', ', it.source === 'defender' ? 'not given by this API' : 'none');
  const names = it.alertIds.map(id => titles.get(id) || id);
  return [
    `- ${typed ? `${md(it.type)} · ` : ''}${mdIdentity(it.label)}`,
    `  - Roles: ${roles} · Verdict: ${list(it.verdicts, ' / ', '—')} · Remediation: ${list(it.remediationStatuses, ' / ', '—')}`,
    ...it.targets.filter(t => t.value !== it.label).map(t => `  - ${HUNT_KIND_WORDS[t.kind]}: ${mdIdentity(t.value)}`),
    `  - ${names.length === 1 ? 'Named by alert' : `Named by ${names.length} alerts`}: ${names.map(n => md(n)).join('; ')}`,
  ];
}
