/**
 * The advanced hunting tables of the mock, generated from its incidents: every alert leaves the process,
 * network, file, sign-in and email events that explain it, on its own devices, for its own users, IPs,
 * URLs, files and messages, in the hour around its first and last activity, plus a little background
 * activity on the same device. A hunt built from an incident's evidence therefore finds that incident's
 * rows. AlertInfo and AlertEvidence list the alerts and their Graph evidence (evidence.ts) one to one.
 *
 * Rows are a pure function of each alert (seeded from its id), cached per alert; the tables are rebuilt
 * from the cached rows when the store changes. Column names and types follow the Defender XDR schema
 * reference for the columns the mock fills (a subset of each table's columns).
 */
import type { MockDb } from '../db';
import { alertEvidence, alertPrng, type Evidence } from '../evidence';
import type { Prng } from '../seed';
import type { DefenderAlert, DefenderDevice, DefenderEntity } from '../wire';
import { DateTime, type Column, type KqlType, type Row } from './values';

const cols = (spec: string): Column[] =>
  spec
    .split(/\s+/)
    .filter(Boolean)
    .map(s => {
      const [name, type] = s.split(':');
      return { name, type: (type ?? 'string') as KqlType };
    });

export const TABLE_SCHEMAS: Record<string, Column[]> = {
  DeviceProcessEvents: cols(`Timestamp:datetime DeviceId DeviceName ActionType FileName FolderPath SHA1 SHA256 FileSize:long ProcessId:long
    ProcessCommandLine ProcessCreationTime:datetime AccountDomain AccountName AccountSid AccountUpn AccountObjectId InitiatingProcessFileName
    InitiatingProcessFolderPath InitiatingProcessCommandLine InitiatingProcessId:long InitiatingProcessAccountName ReportId:long`),
  DeviceNetworkEvents: cols(`Timestamp:datetime DeviceId DeviceName ActionType RemoteIP RemotePort:int RemoteUrl RemoteIPType LocalIP LocalPort:int
    Protocol InitiatingProcessFileName InitiatingProcessCommandLine InitiatingProcessId:long InitiatingProcessAccountName InitiatingProcessAccountUpn ReportId:long`),
  DeviceFileEvents: cols(`Timestamp:datetime DeviceId DeviceName ActionType FileName FolderPath SHA1 SHA256 FileSize:long FileOriginUrl FileOriginIP
    InitiatingProcessFileName InitiatingProcessCommandLine InitiatingProcessAccountName InitiatingProcessAccountUpn RequestAccountName ReportId:long`),
  IdentityLogonEvents: cols(`Timestamp:datetime ActionType Application LogonType Protocol FailureReason AccountName AccountDomain AccountUpn AccountSid
    AccountObjectId AccountDisplayName DeviceName DeviceType OSPlatform IPAddress Port:int DestinationDeviceName Location ISP ReportId:long`),
  EmailEvents: cols(`Timestamp:datetime NetworkMessageId InternetMessageId SenderMailFromAddress SenderFromAddress SenderFromDomain SenderIPv4
    RecipientEmailAddress Subject EmailDirection DeliveryAction DeliveryLocation ThreatTypes DetectionMethods AttachmentCount:int UrlCount:int ReportId:long`),
  AlertInfo: cols('Timestamp:datetime AlertId Title Category Severity ServiceSource DetectionSource AttackTechniques'),
  AlertEvidence: cols(`Timestamp:datetime AlertId Title Categories AttackTechniques ServiceSource DetectionSource EntityType EvidenceRole EvidenceDirection
    FileName FolderPath SHA1 SHA256 FileSize:long ThreatFamily RemoteIP RemoteUrl AccountName AccountDomain AccountSid AccountObjectId AccountUpn DeviceId
    DeviceName LocalIP NetworkMessageId EmailSubject Application ApplicationId:long ProcessCommandLine RegistryKey RegistryValueName RegistryValueData
    AdditionalFields:dynamic`),
};

export type Tables = Record<string, Row[]>;

const SERVICE_NAMES: Record<string, string> = {
  MicrosoftDefenderForEndpoint: 'Microsoft Defender for Endpoint',
  MicrosoftDefenderForOffice365: 'Microsoft Defender for Office 365',
  MicrosoftDefenderForIdentity: 'Microsoft Defender for Identity',
  MicrosoftCloudAppSecurity: 'Microsoft Defender for Cloud Apps',
  AzureAdIdentityProtection: 'Microsoft Entra ID Protection',
};
const DETECTION_NAMES: Record<string, string> = {
  WindowsDefenderAtp: 'EDR',
  WindowsDefenderAv: 'Antivirus',
  WindowsDefenderSmartScreen: 'SmartScreen',
  CustomerTI: 'Custom TI',
  OfficeATP: 'Microsoft Defender for Office 365',
  AATP: 'Microsoft Defender for Identity',
  MCAS: 'Microsoft Defender for Cloud Apps',
  AzureAdIdentityProtection: 'Microsoft Entra ID Protection',
};
const NOISE: readonly (readonly [string, string, string])[] = [
  ['svchost.exe', 'C:\\Windows\\System32', 'svchost.exe -k netsvcs -p -s Schedule'],
  ['msedge.exe', 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application', 'msedge.exe --type=renderer'],
  ['conhost.exe', 'C:\\Windows\\System32', 'conhost.exe 0xffffffff -ForceV1'],
  ['OneDrive.exe', 'C:\\Program Files\\Microsoft OneDrive', 'OneDrive.exe /background'],
  ['taskhostw.exe', 'C:\\Windows\\System32', 'taskhostw.exe'],
];
const BENIGN_REMOTE = [
  ['20.190.160.20', 'login.microsoftonline.com'],
  ['13.107.42.14', 'contoso.sharepoint.com'],
  ['52.96.165.2', 'outlook.office365.com'],
] as const;
const CITIES = ['Amsterdam, NL', 'Moscow, RU', 'Ashburn, US', 'Frankfurt, DE', 'Singapore, SG', 'Sao Paulo, BR'] as const;

interface Who {
  accountName: string;
  domain: string;
  upn: string | null;
  sid: string | null;
  objectId: string | null;
}

function whoOf(e: DefenderEntity | undefined, d: DefenderDevice | undefined): Who {
  if (e)
    return {
      accountName: e.accountName ?? e.userPrincipalName?.split('@')[0] ?? '',
      domain: e.domainName ?? 'CONTOSO',
      upn: e.userPrincipalName ?? e.mailboxAddress ?? null,
      sid: e.userSid ?? null,
      objectId: e.aadUserId ?? null,
    };
  const u = d?.loggedOnUsers[0];
  return { accountName: u?.accountName ?? 'system', domain: u?.domainName ?? 'NT AUTHORITY', upn: null, sid: null, objectId: null };
}

function at(ms: number): DateTime {
  return new DateTime(Math.floor(ms));
}

/** The rows one alert leaves in every table. */
function alertRows(a: DefenderAlert): Tables {
  const r = alertPrng(a, 'hunt');
  const t: Tables = {
    DeviceProcessEvents: [],
    DeviceNetworkEvents: [],
    DeviceFileEvents: [],
    IdentityLogonEvents: [],
    EmailEvents: [],
    AlertInfo: [],
    AlertEvidence: [],
  };
  const first = Date.parse(a.firstActivity);
  const last = Math.max(first, Date.parse(a.lastActivity));
  const when = (): DateTime => at(first + r.next() * (last - first + 60_000));
  const report = (): number => r.int(1_000, 9_999_999);
  const users = a.entities.filter(e => e.entityType === 'User');
  const procs = a.entities.filter(e => e.entityType === 'Process');
  const files = a.entities.filter(e => e.entityType === 'File');
  const ips = a.entities.filter(e => e.entityType === 'Ip');
  const urls = a.entities.filter(e => e.entityType === 'Url');
  const regs = a.entities.filter(e => e.entityType === 'Registry');

  for (const d of a.devices) {
    const who = whoOf(users[0] ?? procs[0], d);
    const base = { DeviceId: d.mdatpDeviceId, DeviceName: d.deviceDnsName };
    const localIp = `10.${r.int(1, 40)}.${r.int(0, 255)}.${r.int(2, 254)}`;
    const initiator = procs[0] ?? { fileName: 'explorer.exe', filePath: 'C:\\Windows', processCommandLine: 'explorer.exe', processId: r.int(400, 9000) };
    for (const p of procs) {
      const ts = p.processCreationTime ? at(Date.parse(p.processCreationTime)) : when();
      t.DeviceProcessEvents.push({
        Timestamp: ts,
        ...base,
        ActionType: 'ProcessCreated',
        FileName: p.fileName ?? '',
        FolderPath: `${p.filePath ?? ''}\\${p.fileName ?? ''}`,
        SHA1: p.sha1 ?? '',
        SHA256: p.sha256 ?? '',
        FileSize: r.int(20_000, 900_000),
        ProcessId: p.processId ?? r.int(400, 30_000),
        ProcessCommandLine: p.processCommandLine ?? '',
        ProcessCreationTime: ts,
        AccountDomain: p.domainName ?? who.domain,
        AccountName: p.accountName ?? who.accountName,
        AccountSid: p.userSid ?? who.sid,
        AccountUpn: who.upn,
        AccountObjectId: who.objectId,
        InitiatingProcessFileName: p === initiator ? 'explorer.exe' : (initiator.fileName ?? ''),
        InitiatingProcessFolderPath: p === initiator ? 'C:\\Windows' : (initiator.filePath ?? ''),
        InitiatingProcessCommandLine: p === initiator ? 'explorer.exe' : (initiator.processCommandLine ?? ''),
        InitiatingProcessId: p.parentProcessId ?? r.int(400, 30_000),
        InitiatingProcessAccountName: who.accountName,
        ReportId: report(),
      });
    }
    for (let k = r.int(2, 4); k > 0; k--) {
      const [fileName, dir, cmd] = r.pick(NOISE);
      const ts = at(first - r.int(0, 45) * 60_000 + r.int(0, 90) * 60_000);
      t.DeviceProcessEvents.push({
        Timestamp: ts,
        ...base,
        ActionType: 'ProcessCreated',
        FileName: fileName,
        FolderPath: `${dir}\\${fileName}`,
        SHA1: r.hex(40),
        SHA256: r.hex(64),
        FileSize: r.int(20_000, 4_000_000),
        ProcessId: r.int(400, 30_000),
        ProcessCommandLine: cmd,
        ProcessCreationTime: ts,
        AccountDomain: who.domain,
        AccountName: who.accountName,
        AccountSid: who.sid,
        AccountUpn: who.upn,
        AccountObjectId: who.objectId,
        InitiatingProcessFileName: 'services.exe',
        InitiatingProcessFolderPath: 'C:\\Windows\\System32',
        InitiatingProcessCommandLine: 'services.exe',
        InitiatingProcessId: r.int(400, 900),
        InitiatingProcessAccountName: 'system',
        ReportId: report(),
      });
    }
    for (const f of files) {
      for (let k = /Impact|Ransomware/.test(a.category) ? 3 : 1; k > 0; k--) {
        t.DeviceFileEvents.push({
          Timestamp: when(),
          ...base,
          ActionType: k === 1 ? 'FileCreated' : 'FileModified',
          FileName: f.fileName ?? '',
          FolderPath: `${f.filePath ?? ''}\\${f.fileName ?? ''}`,
          SHA1: f.sha1 ?? '',
          SHA256: f.sha256 ?? '',
          FileSize: r.int(2_048, 8_000_000),
          FileOriginUrl: urls[0]?.url ?? null,
          FileOriginIP: ips[0]?.ipAddress ?? null,
          InitiatingProcessFileName: initiator.fileName ?? '',
          InitiatingProcessCommandLine: initiator.processCommandLine ?? '',
          InitiatingProcessAccountName: who.accountName,
          InitiatingProcessAccountUpn: who.upn,
          RequestAccountName: who.accountName,
          ReportId: report(),
        });
      }
    }
    const remote = [
      ...ips.map(e => ({ ip: e.ipAddress ?? '', url: urls[0]?.url ?? '' })),
      ...urls.map(e => ({ ip: ips[0]?.ipAddress ?? `198.51.100.${r.int(2, 254)}`, url: e.url ?? '' })),
    ];
    for (const x of remote) {
      for (let k = a.category === 'CommandAndControl' ? r.int(3, 6) : 1; k > 0; k--) {
        t.DeviceNetworkEvents.push({
          Timestamp: when(),
          ...base,
          ActionType: r.chance(0.85) ? 'ConnectionSuccess' : 'ConnectionFailed',
          RemoteIP: x.ip,
          RemotePort: x.url.startsWith('http:') ? 80 : 443,
          RemoteUrl: x.url,
          RemoteIPType: x.ip.startsWith('10.') ? 'Private' : 'Public',
          LocalIP: localIp,
          LocalPort: r.int(49_152, 65_535),
          Protocol: 'Tcp',
          InitiatingProcessFileName: initiator.fileName ?? '',
          InitiatingProcessCommandLine: initiator.processCommandLine ?? '',
          InitiatingProcessId: initiator.processId ?? 0,
          InitiatingProcessAccountName: who.accountName,
          InitiatingProcessAccountUpn: who.upn,
          ReportId: report(),
        });
      }
    }
    const [benignIp, benignUrl] = r.pick(BENIGN_REMOTE);
    t.DeviceNetworkEvents.push({
      Timestamp: at(first - r.int(1, 30) * 60_000),
      ...base,
      ActionType: 'ConnectionSuccess',
      RemoteIP: benignIp,
      RemotePort: 443,
      RemoteUrl: benignUrl,
      RemoteIPType: 'Public',
      LocalIP: localIp,
      LocalPort: r.int(49_152, 65_535),
      Protocol: 'Tcp',
      InitiatingProcessFileName: 'msedge.exe',
      InitiatingProcessCommandLine: 'msedge.exe',
      InitiatingProcessId: r.int(400, 30_000),
      InitiatingProcessAccountName: who.accountName,
      InitiatingProcessAccountUpn: who.upn,
      ReportId: report(),
    });
    for (const g of regs) {
      // The autostart entry was written by a process: the command line is what a hunt for the value finds.
      t.DeviceProcessEvents.push({
        Timestamp: when(),
        ...base,
        ActionType: 'ProcessCreated',
        FileName: 'reg.exe',
        FolderPath: 'C:\\Windows\\System32\\reg.exe',
        SHA1: r.hex(40),
        SHA256: r.hex(64),
        FileSize: 77_824,
        ProcessId: r.int(400, 30_000),
        ProcessCommandLine: `reg.exe add "${g.registryHive ?? 'HKCU'}\\${g.registryKey ?? ''}" /v ${g.registryValueName ?? ''} /d "${g.registryValue ?? ''}" /f`,
        ProcessCreationTime: when(),
        AccountDomain: who.domain,
        AccountName: who.accountName,
        AccountSid: who.sid,
        AccountUpn: who.upn,
        AccountObjectId: who.objectId,
        InitiatingProcessFileName: initiator.fileName ?? '',
        InitiatingProcessFolderPath: initiator.filePath ?? '',
        InitiatingProcessCommandLine: initiator.processCommandLine ?? '',
        InitiatingProcessId: initiator.processId ?? 0,
        InitiatingProcessAccountName: who.accountName,
        ReportId: report(),
      });
    }
  }

  // Sign-ins: every user of the alert, from the alert's IPs (identity alerts: failures before the success).
  const identity = a.serviceSource !== 'MicrosoftDefenderForEndpoint' && a.serviceSource !== 'MicrosoftDefenderForOffice365';
  for (const u of users) {
    const who = whoOf(u, undefined);
    const from = ips.length > 0 ? ips.map(i => i.ipAddress ?? '') : [`10.${r.int(1, 40)}.${r.int(0, 255)}.${r.int(2, 254)}`];
    const failures = identity && /CredentialAccess/.test(a.category) ? r.int(3, 8) : identity ? r.int(0, 2) : 0;
    for (let k = 0; k <= failures; k++) {
      const ip = from[k % from.length];
      t.IdentityLogonEvents.push({
        Timestamp: when(),
        ActionType: k < failures ? 'LogonFailed' : 'LogonSuccess',
        Application: a.serviceSource === 'MicrosoftDefenderForIdentity' || a.devices.length > 0 ? 'Active Directory' : 'Microsoft 365',
        LogonType: a.devices.length > 0 ? 'Interactive' : 'Login:login',
        Protocol: a.serviceSource === 'MicrosoftDefenderForIdentity' ? r.pick(['Kerberos', 'Ntlm'] as const) : 'OAuth2',
        FailureReason: k < failures ? 'WrongPassword' : null,
        AccountName: who.accountName,
        AccountDomain: who.domain.toLowerCase(),
        AccountUpn: who.upn,
        AccountSid: who.sid,
        AccountObjectId: who.objectId,
        AccountDisplayName: who.accountName,
        DeviceName: a.devices[0]?.deviceDnsName ?? null,
        DeviceType: a.devices.length > 0 ? 'Desktop' : null,
        OSPlatform: a.devices[0]?.osPlatform ?? null,
        IPAddress: ip,
        Port: r.int(49_152, 65_535),
        DestinationDeviceName: a.serviceSource === 'MicrosoftDefenderForIdentity' ? 'srv-dc-01.contoso.com' : null,
        Location: ip.startsWith('10.') ? null : r.pick(CITIES),
        ISP: ip.startsWith('10.') ? null : r.pick(['Hetzner Online GmbH', 'DigitalOcean LLC', 'M247 Ltd'] as const),
        ReportId: report(),
      });
    }
  }

  for (const m of a.entities.filter(e => e.entityType === 'MailMessage')) {
    const sender = m.sender ?? '';
    t.EmailEvents.push({
      Timestamp: at(first - r.int(5, 120) * 60_000),
      NetworkMessageId: m.networkMessageId ?? '',
      InternetMessageId: `<${m.networkMessageId ?? ''}@mail.example>`,
      SenderMailFromAddress: sender,
      SenderFromAddress: sender,
      SenderFromDomain: sender.split('@')[1] ?? '',
      SenderIPv4: m.senderIp ?? null,
      RecipientEmailAddress: m.recipient ?? '',
      Subject: m.subject ?? '',
      EmailDirection: 'Inbound',
      DeliveryAction: m.deliveryAction ?? 'Delivered',
      DeliveryLocation: m.deliveryAction === 'Junked' ? 'Junk folder' : m.deliveryAction === 'Blocked' ? 'Quarantine' : 'Inbox/folder',
      ThreatTypes: 'Phish',
      DetectionMethods: '{"Phish":["URL detonation reputation"]}',
      AttachmentCount: /malware/i.test(a.title) ? 1 : 0,
      UrlCount: urls.length,
      ReportId: report(),
    });
  }

  const created = at(Date.parse(a.creationTime));
  const techniques = JSON.stringify(a.mitreTechniques);
  const common = {
    AlertId: a.alertId,
    Title: a.title,
    ServiceSource: SERVICE_NAMES[a.serviceSource] ?? a.serviceSource,
    DetectionSource: DETECTION_NAMES[a.detectionSource] ?? a.detectionSource,
    AttackTechniques: techniques,
  };
  t.AlertInfo.push({ Timestamp: created, ...common, Category: a.category, Severity: a.severity });
  for (const e of alertEvidence(a)) t.AlertEvidence.push(evidenceRow(e, a, created, common, r));
  return t;
}

const ENTITY_TYPES: Record<string, string> = {
  deviceEvidence: 'Machine',
  userEvidence: 'User',
  ipEvidence: 'Ip',
  urlEvidence: 'Url',
  fileEvidence: 'File',
  processEvidence: 'Process',
  mailboxEvidence: 'Mailbox',
  analyzedMessageEvidence: 'MailMessage',
  mailClusterEvidence: 'MailCluster',
  registryKeyEvidence: 'RegistryKey',
  registryValueEvidence: 'RegistryValue',
  securityGroupEvidence: 'SecurityGroup',
  cloudApplicationEvidence: 'CloudApplication',
  oauthApplicationEvidence: 'OAuthApplication',
};

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}
function obj(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function evidenceRow(e: Evidence, a: DefenderAlert, created: DateTime, common: Row, r: Prng): Row {
  const kind = e['@odata.type'].split('.').pop() ?? '';
  const file = obj(e.fileDetails ?? e.imageFile);
  const user = obj(e.userAccount);
  const role = e.roles.includes('compromised') || e.roles.includes('attacked') ? 'Impacted' : 'Related';
  return {
    Timestamp: created,
    ...common,
    Categories: JSON.stringify([a.category]),
    EntityType: ENTITY_TYPES[kind] ?? kind.replace(/Evidence$/, '').replace(/^./, c => c.toUpperCase()),
    EvidenceRole: role,
    EvidenceDirection: e.roles.includes('source') ? 'Source' : e.roles.includes('destination') ? 'Destination' : null,
    FileName: str(file.fileName),
    FolderPath: str(file.filePath),
    SHA1: str(file.sha1),
    SHA256: str(file.sha256) ?? (kind === 'fileHashEvidence' ? str(e.value) : null),
    FileSize: typeof file.fileSize === 'number' ? file.fileSize : null,
    ThreatFamily: a.threatFamilyName,
    RemoteIP: str(e.ipAddress) ?? str(e.senderIp),
    RemoteUrl: str(e.url) ?? str(e.domainName),
    AccountName: str(user.accountName),
    AccountDomain: str(user.domainName),
    AccountSid: str(user.userSid),
    AccountObjectId: str(user.azureAdUserId),
    AccountUpn: str(user.userPrincipalName) ?? str(e.primaryAddress) ?? str(e.recipientEmailAddress),
    DeviceId: str(e.mdeDeviceId),
    DeviceName: str(e.deviceDnsName),
    LocalIP: Array.isArray(e.ipInterfaces) ? str(e.ipInterfaces[0]) : null,
    NetworkMessageId: str(e.networkMessageId),
    EmailSubject: str(e.subject),
    Application: kind === 'cloudApplicationEvidence' || kind === 'oauthApplicationEvidence' ? str(e.displayName) : null,
    ApplicationId: typeof e.appId === 'number' ? e.appId : null,
    ProcessCommandLine: str(e.processCommandLine),
    RegistryKey: str(e.registryKey),
    RegistryValueName: str(e.registryValueName),
    RegistryValueData: str(e.registryValue),
    AdditionalFields: { Type: kind, Roles: e.roles, DetailedRoles: e.detailedRoles, Verdict: e.verdict, RemediationStatus: e.remediationStatus, Id: r.hex(8) },
  };
}

const rowCache = new WeakMap<DefenderAlert, { key: string; rows: Tables }>();

function cachedAlertRows(a: DefenderAlert): Tables {
  const key = `${a.devices.length}/${a.entities.length}/${a.firstActivity}/${a.lastActivity}`;
  const hit = rowCache.get(a);
  if (hit && hit.key === key) return hit.rows;
  const rows = alertRows(a);
  // KQL strings are never null: an absent value is the empty string.
  for (const [name, list] of Object.entries(rows)) {
    const strings = TABLE_SCHEMAS[name].filter(c => c.type === 'string').map(c => c.name);
    for (const row of list) for (const c of strings) if (row[c] === null || row[c] === undefined) row[c] = '';
  }
  rowCache.set(a, { key, rows });
  return rows;
}

let built: { db: MockDb; version: number; tables: Tables } | undefined;

/** Every hunting table of the store's current incidents, oldest row first. */
export function huntingTables(db: MockDb): Tables {
  if (built && built.db === db && built.version === db.version) return built.tables;
  const tables: Tables = Object.fromEntries(Object.keys(TABLE_SCHEMAS).map(n => [n, [] as Row[]]));
  for (const inc of db.list()) {
    for (const a of inc.alerts) {
      const rows = cachedAlertRows(a);
      for (const name of Object.keys(rows)) for (const row of rows[name]) tables[name].push(row);
    }
  }
  for (const rows of Object.values(tables)) rows.sort((x, y) => (x.Timestamp as DateTime).ms - (y.Timestamp as DateTime).ms);
  built = { db, version: db.version, tables };
  return tables;
}
