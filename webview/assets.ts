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
/** Longest text folded to lower case for comparison. */
const FOLD_MAX = 4096;

function groupOf(type: string): AssetGroup {
  if (type.length > 100) return 'other';
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
  // Per group (and type, for "other"), then per label, case-insensitively; a huge label (hostile, never a real
  // name) is compared as it is rather than lower-cased or copied into a longer key on every render.
  const byKey = new Map<string, Map<string, Asset>>();
  const fold = (s: string) => (s.length > FOLD_MAX ? s : s.toLowerCase());
  const order: Asset[] = [];
  for (const alert of alerts) {
    // One alert may list the same asset twice; count it once per alert.
    const seen = new Set<Asset>();
    const add = (group: AssetGroup, type: string, label: string, details: [string, string][]) => {
      const outer = `${group}\u0000${group === 'other' ? fold(type) : ''}`;
      let inner = byKey.get(outer);
      if (!inner) byKey.set(outer, inner = new Map());
      const key = fold(label);
      let asset = inner.get(key);
      if (!asset) { inner.set(key, asset = { group, type, label, details, alerts: 1 }); order.push(asset); }
      else if (!seen.has(asset)) asset.alerts++;
      seen.add(asset);
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
  for (const a of order) {
    const list = out.get(a.group) ?? [];
    list.push(a);
    out.set(a.group, list);
  }
  return out;
}
