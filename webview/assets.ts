/** Impacted assets of an incident: every alert's devices and entities, deduplicated and grouped. */
import type { Alert } from '../src/model/types';

export type AssetGroup = 'devices' | 'users' | 'mailboxes' | 'ips' | 'files' | 'urls' | 'other';

export const ASSET_GROUPS: readonly { group: AssetGroup; title: string }[] = [
  { group: 'devices', title: 'Devices' },
  { group: 'users', title: 'Users' },
  { group: 'mailboxes', title: 'Mailboxes' },
  { group: 'ips', title: 'IP addresses' },
  { group: 'files', title: 'Files' },
  { group: 'urls', title: 'URLs' },
  { group: 'other', title: 'Other' },
];

export interface Asset {
  group: AssetGroup;
  /** The entity type as the API gave it, shown for the "other" group. */
  type: string;
  label: string;
  details: [string, string][];
  /** How many alerts mention it. */
  alerts: number;
}

// Entity types differ in case and spelling between the Defender and Graph APIs (MailBox, mailbox, mailboxEvidence...).
function groupOf(type: string): AssetGroup {
  const t = type.toLowerCase().replace(/evidence$/, '');
  if (t === 'user' || t === 'account' || t === 'useraccount') return 'users';
  if (t === 'mailbox' || t === 'mailcluster') return 'mailboxes';
  if (t === 'ip' || t === 'ipaddress' || t === 'ipaddr') return 'ips';
  if (t === 'file' || t === 'filehash') return 'files';
  if (t === 'url') return 'urls';
  if (t === 'machine' || t === 'device' || t === 'host') return 'devices';
  return 'other';
}

export function gatherAssets(alerts: readonly Pick<Alert, 'devices' | 'entities'>[]): Map<AssetGroup, Asset[]> {
  const byKey = new Map<string, Asset>();
  for (const alert of alerts) {
    // One alert may list the same asset twice; count it once per alert.
    const seen = new Set<string>();
    const add = (group: AssetGroup, type: string, label: string, details: [string, string][]) => {
      const key = `${group}\u0000${group === 'other' ? type.toLowerCase() : ''}\u0000${label.toLowerCase()}`;
      const existing = byKey.get(key);
      if (!existing) byKey.set(key, { group, type, label, details, alerts: 1 });
      else if (!seen.has(key)) existing.alerts++;
      seen.add(key);
    };
    for (const d of alert.devices ?? []) {
      const label = d.dnsName || d.id || '(unnamed device)';
      const details: [string, string][] = [];
      if (d.osPlatform) details.push(['OS', d.osBuild != null && d.osBuild !== '' ? `${d.osPlatform} ${d.osBuild}` : d.osPlatform]);
      if (d.healthStatus) details.push(['Health', d.healthStatus]);
      if (d.riskScore) details.push(['Risk', d.riskScore]);
      if (d.id && d.id !== label) details.push(['Device ID', d.id]);
      add('devices', 'Device', label, details);
    }
    for (const e of alert.entities ?? []) {
      const details = Object.entries(e.details ?? {}).filter(([, v]) => typeof v === 'string' && v !== '' && v !== e.label);
      add(groupOf(e.type), e.type, e.label || '(no name)', details);
    }
  }
  const out = new Map<AssetGroup, Asset[]>();
  for (const a of byKey.values()) {
    const list = out.get(a.group) ?? [];
    list.push(a);
    out.set(a.group, list);
  }
  return out;
}
