/**
 * "Export to Markdown": an incident as a start for investigation notes. Backend text is escaped so a
 * name like `[x](command:...)` stays literal text in the document and its preview. Pure.
 */
import type { Incident } from '../model/types';
import type { TimelineEntry } from '../shared/protocol';
import { portalUrl } from '../model/links';
import { classificationLabel, statusLabel } from '../store/queue';

/** Escapes Markdown and HTML syntax; newlines become spaces so a value stays in its line or cell. */
export function md(s: string | null | undefined): string {
  if (s === null || s === undefined || s === '') return '—';
  return s.replace(/[\r\n]+/g, ' ').replace(/[\\`*_{}[\]()<>#+!|~&"-]/g, c => `\\${c}`);
}

export function incidentToMarkdown(i: Incident, timeline: TimelineEntry[], exportedAt: Date): string {
  const out: string[] = [];
  out.push(`# Incident ${md(i.id)}: ${md(i.name)}`, '');
  out.push(`Exported ${exportedAt.toISOString()} · [Open in Defender portal](${portalUrl(i)})`, '');
  out.push('## Summary', '', '| Field | Value |', '|---|---|');
  const rows: [string, string | null][] = [
    ['Severity', i.severity], ['Status', statusLabel(i.status)], ['Owner', i.assignedTo ?? 'Unassigned'],
    ['Classification', classificationLabel(i.classification)], ['Determination', i.determination],
    ['Tags', i.tags.join(', ') || null], ['Created', i.createdTime], ['Last update', i.lastUpdateTime], ['Alerts', String(i.alerts.length)],
  ];
  for (const [k, v] of rows) out.push(`| ${k} | ${md(v)} |`);
  out.push('', '## Alerts', '');
  if (!i.alerts.length) out.push('No alerts.');
  for (const a of i.alerts) {
    out.push(`### ${md(a.title)}`, '');
    out.push(`- Severity: ${md(a.severity)} · Status: ${md(a.status)} · Category: ${md(a.category)}`);
    out.push(`- Service source: ${md(a.serviceSource)} · Detection source: ${md(a.detectionSource)}`);
    out.push(`- First activity: ${md(a.firstActivity)} · Last activity: ${md(a.lastActivity)}`);
    if (a.mitreTechniques.length) out.push(`- MITRE techniques: ${a.mitreTechniques.map(md).join(', ')}`);
    if (a.description) out.push('', md(a.description));
    out.push('');
  }
  out.push('## Impacted assets', '');
  const seen = new Set<string>();
  for (const a of i.alerts) {
    for (const d of a.devices) {
      const k = `Device ${d.dnsName ?? d.id}`;
      if (!seen.has(k)) { seen.add(k); out.push(`- Device: ${md(d.dnsName ?? d.id)}${d.osPlatform ? ` (${md(d.osPlatform)})` : ''}`); }
    }
    for (const e of a.entities) {
      const k = `${e.type} ${e.label}`;
      if (!seen.has(k)) { seen.add(k); out.push(`- ${md(e.type)}: ${md(e.label)}`); }
    }
  }
  if (!seen.size) out.push('None recorded.');
  out.push('', '## Comments and history', '');
  if (!timeline.length) out.push('Nothing yet.');
  for (const t of [...timeline].reverse()) {
    out.push(`- ${md(t.time)} · ${md(t.author ?? 'you')}${t.state !== 'confirmed' ? ` (${t.state})` : ''}: ${md(t.text)}`);
  }
  out.push('', '## Investigation notes', '', '');
  return out.join('\n');
}
