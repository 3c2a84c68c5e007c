/**
 * "Export to Markdown": an incident as a start for investigation notes. Backend text is escaped so a
 * name like `[x](command:...)` stays literal text in the document and its preview, and isolated so a
 * right-to-left override cannot reorder the rest of its line. The one link, to the portal, is the
 * checked portal URL with every character that could end or escape its destination percent-encoded.
 * Pure.
 */
import type { Incident } from '../model/types';
import type { TimelineEntry } from '../model/timeline';
import { portalUrl } from '../model/links';
import { alertStatusLabel, classificationLabel, determinationLabel, severityLabel, statusLabel } from '../model/enums';
import { isolate, showInvisibles } from '../shared/text';

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
  out.push('## Impacted assets', '');
  const seen = new Set<string>();
  for (const a of i.alerts) {
    for (const d of a.devices) {
      const k = `Device ${d.dnsName ?? d.id}`;
      if (!seen.has(k)) {
        seen.add(k);
        out.push(`- Device: ${mdIdentity(d.dnsName ?? d.id)}${d.osPlatform ? ` (${md(d.osPlatform)})` : ''}`);
      }
    }
    for (const e of a.entities) {
      const k = `${e.type} ${e.label}`;
      if (!seen.has(k)) {
        seen.add(k);
        out.push(`- ${md(e.type)}: ${mdIdentity(e.label)}`);
      }
    }
  }
  if (!seen.size) out.push('None recorded.');
  out.push('', '## Comments and history', '');
  if (!timeline.length) out.push('Nothing yet.');
  for (const t of [...timeline].reverse()) {
    out.push(`- ${md(t.time)} · ${t.author ? mdIdentity(t.author) : 'you'}${t.state !== 'confirmed' ? ` (${t.state})` : ''}: ${md(t.text)}`);
  }
  out.push('', '## Investigation notes', '', '');
  return out.join('\n');
}
