/**
 * Deterministic sample data in the Defender XDR wire shape: the same `seed` and `now` always give the
 * same incidents, so a bug seen in mock mode can be reproduced. Incidents are built from scenarios
 * whose names, alerts, categories, sources and entities agree with each other, the way the portal's
 * correlation names them ("Ransomware activity on one endpoint" has ransomware alerts on one device).
 */
import { DETERMINATIONS_BY_CLASSIFICATION, type KnownClassification, type KnownDetermination } from '../model/types';
import { applyHostile } from './hostile';
import { DEFAULT_SLA_POLICY, DUE_SOON_FRACTION, type SeveritySla } from '../model/sla';
import { readSpelling, wireTime, type DefenderAlert, type DefenderComment, type DefenderDevice, type DefenderEntity, type DefenderIncident } from './wire';

export interface SeedOptions {
  /** Number of incidents; default 75. */
  count?: number;
  /** PRNG seed; default 1. */
  seed?: number;
  /** The clock the data is relative to; default the current time. */
  now?: Date;
  /** Tenant id used in portal links. */
  tenantId?: string;
  /** Put attacker-shaped text into some evidence values (hostile.ts). Default false. */
  hostile?: boolean;
}

export const DEFAULT_SEED = 1;
export const DEFAULT_INCIDENT_COUNT = 75;
export const MOCK_TENANT_ID = '6f1c2b4e-8d3a-4c6b-9e7f-2a1d5c8b0e34';
export const MOCK_ANALYSTS = [
  'alice@contoso.com',
  'bob@contoso.com',
  'carol@contoso.com',
  'dave@contoso.com',
  'erin@contoso.com',
  'analyst@contoso.com',
] as const;

const DAY = 86_400_000;
const SCRATCH = Buffer.alloc(64);
const HOUR = 3_600_000;

/** mulberry32: tiny, fast, good enough for sample data, and identical on every platform. */
export class Prng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)];
  }
  weighted<T>(pairs: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of pairs) total += w;
    let r = this.next() * total;
    for (const [v, w] of pairs) {
      r -= w;
      if (r < 0) return v;
    }
    return pairs[pairs.length - 1][0];
  }
  /** Hex text built in a buffer: string concatenation would leave ropes that cost 10x the memory. */
  hex(len: number): string {
    const n = (len + 1) >> 1;
    for (let i = 0; i < n; i++) SCRATCH[i] = (this.next() * 256) | 0;
    const s = SCRATCH.toString('hex', 0, n);
    return len % 2 === 0 ? s : s.slice(0, len);
  }
  guid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[this.int(0, 3)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
  digits(len: number): string {
    SCRATCH[0] = 0x31 + this.int(0, 8);
    for (let i = 1; i < len; i++) SCRATCH[i] = 0x30 + this.int(0, 9);
    return SCRATCH.toString('latin1', 0, len);
  }
}

// ---- vocabulary --------------------------------------------------------------------------------

type Service =
  'MicrosoftDefenderForEndpoint' | 'MicrosoftDefenderForOffice365' | 'MicrosoftDefenderForIdentity' | 'MicrosoftCloudAppSecurity' | 'AzureAdIdentityProtection';
type Sev = 'High' | 'Medium' | 'Low' | 'Informational';
type EntityKind = 'User' | 'Ip' | 'Url' | 'File' | 'Process' | 'MailBox' | 'MailMessage' | 'MailCluster' | 'Registry' | 'SecurityGroup';

const ALERT_ID_PREFIX: Record<Service, string> = {
  MicrosoftDefenderForEndpoint: 'da',
  MicrosoftDefenderForOffice365: 'fa',
  MicrosoftDefenderForIdentity: 'aa',
  MicrosoftCloudAppSecurity: 'ca',
  AzureAdIdentityProtection: 'ad',
};

interface AlertTemplate {
  title: string;
  description: string;
  category: string;
  service: Service;
  detectionSources: readonly string[];
  mitre: readonly string[];
  /** Devices attached to the alert (endpoint alerts). */
  devices: boolean;
  entities: readonly EntityKind[];
  threatFamilies?: readonly string[];
}

const A = {
  powershell: {
    title: 'Suspicious PowerShell command line',
    description:
      'A suspicious PowerShell activity was observed on the machine. This behavior may indicate that PowerShell was used during installation, exploration, or in some cases in lateral movement activities.',
    category: 'Execution',
    service: 'MicrosoftDefenderForEndpoint',
    detectionSources: ['WindowsDefenderAtp'],
    mitre: ['T1059.001', 'T1027'],
    devices: true,
    entities: ['Process', 'File', 'User'],
  },
  encodedPs: {
    title: 'Suspicious encoded content',
    description: 'Attackers may encode content to hide its intent. An encoded PowerShell command was launched.',
    category: 'DefenseEvasion',
    service: 'MicrosoftDefenderForEndpoint',
    detectionSources: ['WindowsDefenderAtp'],
    mitre: ['T1027', 'T1140'],
    devices: true,
    entities: ['Process', 'User'],
  },
  ransomwareFs: {
    title: 'Ransomware behavior detected in the file system',
    description: 'A process was observed encrypting or renaming many files in a short time, a behavior typical of ransomware.',
    category: 'Impact',
    service: 'MicrosoftDefenderForEndpoint',
    detectionSources: ['WindowsDefenderAtp'],
    mitre: ['T1486'],
    devices: true,
    entities: ['Process', 'File', 'User'],
    threatFamilies: ['LockBit', 'BlackCat', 'Akira', 'Royal'],
  },
  shadowCopy: {
    title: 'File backups were deleted',
    description: 'A process deleted volume shadow copies, which ransomware does to prevent recovery.',
    category: 'Impact',
    service: 'MicrosoftDefenderForEndpoint',
    detectionSources: ['WindowsDefenderAtp'],
    mitre: ['T1490'],
    devices: true,
    entities: ['Process', 'User'],
  },
  ransomNote: {
    title: "'{family}' ransomware was detected",
    description: 'Microsoft Defender Antivirus detected a ransom note and the ransomware payload that dropped it.',
    category: 'Ransomware',
    service: 'MicrosoftDefenderForEndpoint',
    detectionSources: ['WindowsDefenderAv'],
    mitre: ['T1486'],
    devices: true,
    entities: ['File'],
    threatFamilies: ['LockBit', 'BlackCat', 'Akira'],
  },
  lsass: {
    title: 'Suspicious access to LSASS service',
    description: 'A process accessed the memory of the Local Security Authority Subsystem Service, possibly to dump credentials.',
    category: 'CredentialAccess',
    service: 'MicrosoftDefenderForEndpoint',
    detectionSources: ['WindowsDefenderAtp'],
    mitre: ['T1003.001'],
    devices: true,
    entities: ['Process', 'User'],
  },
  mimikatz: {
    title: "'Mimikatz' credential theft tool",
    description: 'The Mimikatz credential theft tool was detected on the device.',
    category: 'CredentialAccess',
    service: 'MicrosoftDefenderForEndpoint',
    detectionSources: ['WindowsDefenderAv', 'WindowsDefenderAtp'],
    mitre: ['T1003.001', 'T1558'],
    devices: true,
    entities: ['File', 'Process', 'User'],
    threatFamilies: ['Mimikatz'],
  },
  lateralSmb: {
    title: 'Possible lateral movement using remote services',
    description: 'A remote session was established to another device using administrative shares and a service was created.',
    category: 'LateralMovement',
    service: 'MicrosoftDefenderForEndpoint',
    detectionSources: ['WindowsDefenderAtp'],
    mitre: ['T1021.002', 'T1569.002'],
    devices: true,
    entities: ['Process', 'User', 'Ip'],
  },
  psexec: {
    title: 'PsExec launched a command on a remote device',
    description: 'PsExec was used to run a command on a remote device.',
    category: 'LateralMovement',
    service: 'MicrosoftDefenderForEndpoint',
    detectionSources: ['WindowsDefenderAtp'],
    mitre: ['T1021.002', 'T1570'],
    devices: true,
    entities: ['Process', 'File', 'User'],
  },
  runKey: {
    title: 'Anomaly detected in ASEP registry',
    description: 'A process registered an executable in an autostart extensibility point to persist across reboots.',
    category: 'Persistence',
    service: 'MicrosoftDefenderForEndpoint',
    detectionSources: ['WindowsDefenderAtp'],
    mitre: ['T1547.001'],
    devices: true,
    entities: ['Registry', 'Process'],
  },
  schtask: {
    title: 'Suspicious Scheduled Task Process Launched',
    description: 'A scheduled task launched a suspicious process.',
    category: 'Persistence',
    service: 'MicrosoftDefenderForEndpoint',
    detectionSources: ['WindowsDefenderAtp'],
    mitre: ['T1053.005'],
    devices: true,
    entities: ['Process', 'User'],
  },
  c2ip: {
    title: 'Communication with a known malicious IP address',
    description: 'The device communicated with an IP address associated with command-and-control infrastructure.',
    category: 'CommandAndControl',
    service: 'MicrosoftDefenderForEndpoint',
    detectionSources: ['WindowsDefenderAtp', 'CustomerTI'],
    mitre: ['T1071.001', 'T1105'],
    devices: true,
    entities: ['Ip', 'Process'],
  },
  c2beacon: {
    title: 'Cobalt Strike command and control detected',
    description: 'A process exhibited network beaconing consistent with Cobalt Strike.',
    category: 'CommandAndControl',
    service: 'MicrosoftDefenderForEndpoint',
    detectionSources: ['WindowsDefenderAtp'],
    mitre: ['T1071.001', 'T1573'],
    devices: true,
    entities: ['Ip', 'Url', 'Process'],
    threatFamilies: ['CobaltStrike'],
  },
  rclone: {
    title: 'Possible data exfiltration using rclone',
    description: 'The rclone tool was used to copy files to a cloud storage service.',
    category: 'Exfiltration',
    service: 'MicrosoftDefenderForEndpoint',
    detectionSources: ['WindowsDefenderAtp'],
    mitre: ['T1567.002', 'T1048'],
    devices: true,
    entities: ['Process', 'File', 'Url'],
  },
  malwareAv: {
    title: "'{family}' malware was detected",
    description: 'Microsoft Defender Antivirus detected a malicious file.',
    category: 'Malware',
    service: 'MicrosoftDefenderForEndpoint',
    detectionSources: ['WindowsDefenderAv'],
    mitre: ['T1204.002'],
    devices: true,
    entities: ['File', 'User'],
    threatFamilies: ['Emotet', 'Qakbot', 'AgentTesla', 'IcedID', 'Lumma', 'RedLine'],
  },
  unwanted: {
    title: "'{family}' unwanted software was detected",
    description: 'Potentially unwanted software was detected on the device.',
    category: 'SuspiciousActivity',
    service: 'MicrosoftDefenderForEndpoint',
    detectionSources: ['WindowsDefenderAv'],
    mitre: [],
    devices: true,
    entities: ['File'],
    threatFamilies: ['Kuping', 'BrowserModifier', 'CoinMiner', 'Presenoker'],
  },
  smartscreen: {
    title: 'A malicious URL was blocked by SmartScreen',
    description: 'Microsoft Defender SmartScreen blocked access to a URL known to host malicious content.',
    category: 'InitialAccess',
    service: 'MicrosoftDefenderForEndpoint',
    detectionSources: ['WindowsDefenderSmartScreen'],
    mitre: ['T1189'],
    devices: true,
    entities: ['Url', 'User'],
  },
  emailUrl: {
    title: 'Email messages containing malicious URL removed after delivery',
    description: 'Emails with malicious URL that were delivered and later removed by zero-hour auto purge.',
    category: 'InitialAccess',
    service: 'MicrosoftDefenderForOffice365',
    detectionSources: ['OfficeATP'],
    mitre: ['T1566.002'],
    devices: false,
    entities: ['MailBox', 'MailMessage', 'Url', 'MailCluster'],
  },
  emailMalware: {
    title: 'Email messages containing malware removed after delivery',
    description: 'Emails with a malicious attachment were delivered and later removed by zero-hour auto purge.',
    category: 'InitialAccess',
    service: 'MicrosoftDefenderForOffice365',
    detectionSources: ['OfficeATP'],
    mitre: ['T1566.001'],
    devices: false,
    entities: ['MailBox', 'MailMessage', 'File'],
  },
  userReported: {
    title: 'Email reported by user as malware or phish',
    description: 'A user reported an email as malware or phish.',
    category: 'InitialAccess',
    service: 'MicrosoftDefenderForOffice365',
    detectionSources: ['OfficeATP'],
    mitre: ['T1566'],
    devices: false,
    entities: ['MailBox', 'MailMessage'],
  },
  urlClick: {
    title: 'A potentially malicious URL click was detected',
    description: 'A user clicked a URL that was later found to be malicious.',
    category: 'InitialAccess',
    service: 'MicrosoftDefenderForOffice365',
    detectionSources: ['OfficeATP'],
    mitre: ['T1566.002', 'T1204.001'],
    devices: false,
    entities: ['MailBox', 'Url', 'User'],
  },
  inboxRule: {
    title: 'Suspicious inbox manipulation rule',
    description: 'A user created an inbox rule that moves or deletes messages, a technique used in business email compromise.',
    category: 'DefenseEvasion',
    service: 'MicrosoftCloudAppSecurity',
    detectionSources: ['MCAS'],
    mitre: ['T1564.008', 'T1114.003'],
    devices: false,
    entities: ['User', 'MailBox', 'Ip'],
  },
  becFraud: {
    title: 'BEC financial fraud',
    description: 'A compromised mailbox was used to send a fraudulent payment request to an external partner.',
    category: 'Impact',
    service: 'MicrosoftDefenderForOffice365',
    detectionSources: ['OfficeATP'],
    mitre: ['T1534', 'T1657'],
    devices: false,
    entities: ['MailBox', 'MailMessage', 'User'],
  },
  impossibleTravel: {
    title: 'Impossible travel activity',
    description: 'The same user signed in from two distant locations within a time shorter than the travel time between them.',
    category: 'InitialAccess',
    service: 'MicrosoftCloudAppSecurity',
    detectionSources: ['MCAS'],
    mitre: ['T1078'],
    devices: false,
    entities: ['User', 'Ip', 'Ip'],
  },
  massDownload: {
    title: 'Mass download by a single user',
    description: 'A user downloaded an unusually large number of files from SharePoint and OneDrive.',
    category: 'Exfiltration',
    service: 'MicrosoftCloudAppSecurity',
    detectionSources: ['MCAS'],
    mitre: ['T1530'],
    devices: false,
    entities: ['User', 'Ip'],
  },
  infrequentCountry: {
    title: 'Activity from infrequent country',
    description: 'Activity from a country that was not recently or never visited by any user in the organization.',
    category: 'InitialAccess',
    service: 'MicrosoftCloudAppSecurity',
    detectionSources: ['MCAS'],
    mitre: ['T1078'],
    devices: false,
    entities: ['User', 'Ip'],
  },
  cloudRansomware: {
    title: 'Ransomware activity',
    description: 'A user uploaded many files with a ransomware extension or deleted many files in a short time.',
    category: 'Impact',
    service: 'MicrosoftCloudAppSecurity',
    detectionSources: ['MCAS'],
    mitre: ['T1486'],
    devices: false,
    entities: ['User', 'Ip'],
  },
  dcsync: {
    title: 'Suspected DCSync attack (replication of directory services)',
    description: 'A non-domain-controller account requested directory replication, which can be used to extract password hashes.',
    category: 'CredentialAccess',
    service: 'MicrosoftDefenderForIdentity',
    detectionSources: ['AATP'],
    mitre: ['T1003.006'],
    devices: true,
    entities: ['User', 'Ip'],
  },
  bruteForce: {
    title: 'Suspected brute-force attack (Kerberos, NTLM)',
    description: 'Many authentication failures using Kerberos or NTLM were followed by a successful sign-in.',
    category: 'CredentialAccess',
    service: 'MicrosoftDefenderForIdentity',
    detectionSources: ['AATP'],
    mitre: ['T1110.001', 'T1110.003'],
    devices: true,
    entities: ['User', 'Ip'],
  },
  passTheTicket: {
    title: 'Suspected identity theft (pass-the-ticket)',
    description: 'A Kerberos ticket of one user was used from a device it was not issued to.',
    category: 'LateralMovement',
    service: 'MicrosoftDefenderForIdentity',
    detectionSources: ['AATP'],
    mitre: ['T1550.003'],
    devices: true,
    entities: ['User', 'Ip'],
  },
  recon: {
    title: 'Account enumeration reconnaissance',
    description: 'An actor enumerated domain accounts, an early step in many attacks.',
    category: 'Discovery',
    service: 'MicrosoftDefenderForIdentity',
    detectionSources: ['AATP'],
    mitre: ['T1087.002'],
    devices: true,
    entities: ['User', 'SecurityGroup'],
  },
  anonIp: {
    title: 'Anonymous IP address',
    description: 'A sign-in from an anonymous IP address (for example Tor or an anonymizing VPN).',
    category: 'InitialAccess',
    service: 'AzureAdIdentityProtection',
    detectionSources: ['AzureAdIdentityProtection'],
    mitre: ['T1078.004', 'T1090.003'],
    devices: false,
    entities: ['User', 'Ip'],
  },
  unfamiliar: {
    title: 'Unfamiliar sign-in properties',
    description: 'A sign-in with properties not recently seen for the user.',
    category: 'InitialAccess',
    service: 'AzureAdIdentityProtection',
    detectionSources: ['AzureAdIdentityProtection'],
    mitre: ['T1078.004'],
    devices: false,
    entities: ['User', 'Ip'],
  },
  passwordSpray: {
    title: 'Password spray',
    description: 'Many accounts were tried with a few common passwords from the same source.',
    category: 'CredentialAccess',
    service: 'AzureAdIdentityProtection',
    detectionSources: ['AzureAdIdentityProtection'],
    mitre: ['T1110.003'],
    devices: false,
    entities: ['User', 'User', 'Ip'],
  },
  anomalousToken: {
    title: 'Anomalous Token',
    description: 'A token with unusual characteristics was used, possibly replayed from another device.',
    category: 'CredentialAccess',
    service: 'AzureAdIdentityProtection',
    detectionSources: ['AzureAdIdentityProtection'],
    mitre: ['T1528', 'T1550.001'],
    devices: false,
    entities: ['User', 'Ip'],
  },
  leakedCreds: {
    title: 'Leaked credentials',
    description: "The user's valid credentials were found in a public leak.",
    category: 'CredentialAccess',
    service: 'AzureAdIdentityProtection',
    detectionSources: ['AzureAdIdentityProtection'],
    mitre: ['T1589.001'],
    devices: false,
    entities: ['User'],
  },
} as const satisfies Record<string, AlertTemplate>;

type AlertKey = keyof typeof A;

const CATEGORY_WORDS: Record<string, string> = {
  InitialAccess: 'Initial access',
  Execution: 'Execution',
  Persistence: 'Persistence',
  CredentialAccess: 'Credential access',
  LateralMovement: 'Lateral movement',
  Exfiltration: 'Exfiltration',
  Impact: 'Impact',
  CommandAndControl: 'Command and control',
  DefenseEvasion: 'Defense evasion',
  Discovery: 'Discovery',
};

interface Scenario {
  weight: number;
  severity: readonly (readonly [Sev, number])[];
  /** Alerts: each entry is a pool; one alert is drawn from each pool, `extra` more from the union. */
  alerts: readonly (readonly AlertKey[])[];
  extra?: number;
  /** Name given the drawn alerts; device and user counts let it say "one endpoint" or "multiple". */
  name: (s: ScenarioFacts) => string;
  endpoints?: 'one' | 'several';
  users?: 'one' | 'several';
  truePositive: readonly KnownDetermination[];
  /** Probability that a resolved one is a true positive. */
  tpRate: number;
  tags: readonly string[];
}

interface ScenarioFacts {
  categories: string[];
  multiEndpoint: boolean;
  multiUser: boolean;
  multiSource: boolean;
  family: string | null;
}

const onEndpoints = (f: ScenarioFacts): string => (f.multiEndpoint ? 'on multiple endpoints' : 'on one endpoint');
const involvingUsers = (f: ScenarioFacts): string => (f.multiUser ? 'involving multiple users' : 'involving one user');

const SCENARIOS: readonly Scenario[] = [
  {
    weight: 8,
    severity: [
      ['High', 8],
      ['Medium', 2],
    ],
    endpoints: 'several',
    users: 'several',
    alerts: [
      ['emailUrl', 'emailMalware', 'smartscreen', 'urlClick'],
      ['powershell', 'encodedPs', 'schtask', 'runKey'],
      ['lateralSmb', 'psexec', 'passTheTicket'],
      ['lsass', 'mimikatz', 'dcsync'],
    ],
    extra: 2,
    name: f => `Multi-stage incident involving ${catWords(f.categories)} ${onEndpoints(f)}${f.multiSource ? ' reported by multiple sources' : ''}`,
    truePositive: ['MultiStagedAttack', 'MaliciousUserActivity', 'CompromisedAccount'],
    tpRate: 0.9,
    tags: ['Hands-on-keyboard', 'IR-Engaged', 'Escalated'],
  },
  {
    weight: 4,
    severity: [['High', 1]],
    endpoints: 'one',
    alerts: [
      ['ransomwareFs', 'ransomNote'],
      ['shadowCopy', 'lsass', 'c2beacon'],
    ],
    extra: 1,
    name: f => `Ransomware activity ${onEndpoints(f)}`,
    truePositive: ['Malware', 'MultiStagedAttack'],
    tpRate: 0.85,
    tags: ['Ransomware', 'IR-Engaged', 'Sev1'],
  },
  {
    weight: 10,
    severity: [
      ['Medium', 6],
      ['Low', 3],
      ['High', 1],
    ],
    endpoints: 'one',
    alerts: [['powershell'], ['encodedPs', 'schtask']],
    name: f => `Suspicious PowerShell command line ${onEndpoints(f)}`,
    truePositive: ['MaliciousUserActivity', 'Malware', 'Other'],
    tpRate: 0.35,
    tags: ['PenTest', 'Admin-Script'],
  },
  {
    weight: 11,
    severity: [
      ['Medium', 4],
      ['Informational', 3],
      ['Low', 3],
    ],
    users: 'one',
    alerts: [['emailUrl'], ['urlClick', 'userReported']],
    name: f => `Email messages containing malicious URL removed after delivery ${involvingUsers(f)}`,
    truePositive: ['Phishing'],
    tpRate: 0.75,
    tags: ['Phishing', 'Phishing-Campaign'],
  },
  {
    weight: 9,
    severity: [
      ['Medium', 5],
      ['Low', 4],
    ],
    users: 'one',
    alerts: [['impossibleTravel'], ['infrequentCountry', 'unfamiliar']],
    name: f => `Impossible travel activity ${involvingUsers(f)}`,
    truePositive: ['CompromisedAccount', 'MaliciousUserActivity'],
    tpRate: 0.3,
    tags: ['Travel', 'VPN'],
  },
  {
    weight: 3,
    severity: [['High', 1]],
    users: 'one',
    alerts: [['becFraud'], ['inboxRule'], ['anomalousToken', 'unfamiliar']],
    name: () => 'BEC financial fraud',
    truePositive: ['CompromisedAccount', 'MaliciousUserActivity', 'Phishing'],
    tpRate: 0.8,
    tags: ['BEC', 'Finance', 'Escalated'],
  },
  {
    weight: 7,
    severity: [
      ['High', 5],
      ['Medium', 5],
    ],
    users: 'one',
    alerts: [
      ['lsass', 'mimikatz', 'dcsync', 'bruteForce'],
      ['anomalousToken', 'leakedCreds', 'passTheTicket'],
    ],
    name: f => `Credential access incident ${involvingUsers(f)}`,
    truePositive: ['CompromisedAccount', 'MaliciousUserActivity'],
    tpRate: 0.6,
    tags: ['Identity', 'VIP'],
  },
  {
    weight: 9,
    severity: [
      ['Low', 4],
      ['Medium', 4],
      ['Informational', 2],
    ],
    endpoints: 'one',
    alerts: [['malwareAv']],
    name: f => `'${f.family ?? 'Emotet'}' malware was detected ${onEndpoints(f)}`,
    truePositive: ['Malware'],
    tpRate: 0.7,
    tags: ['Commodity-Malware'],
  },
  {
    weight: 6,
    severity: [
      ['Low', 6],
      ['Informational', 4],
    ],
    endpoints: 'one',
    alerts: [['unwanted']],
    name: f => `'${f.family ?? 'Kuping'}' unwanted software was detected ${onEndpoints(f)}`,
    truePositive: ['UnwantedSoftware'],
    tpRate: 0.8,
    tags: ['PUA'],
  },
  {
    weight: 9,
    severity: [
      ['Low', 4],
      ['Medium', 3],
      ['Informational', 3],
    ],
    users: 'one',
    alerts: [['anonIp', 'unfamiliar', 'leakedCreds']],
    name: f => `Suspicious sign-in activity ${involvingUsers(f)}`,
    truePositive: ['CompromisedAccount'],
    tpRate: 0.25,
    tags: ['Identity', 'VPN'],
  },
  {
    weight: 4,
    severity: [
      ['Medium', 7],
      ['High', 3],
    ],
    users: 'several',
    alerts: [['passwordSpray'], ['bruteForce', 'unfamiliar']],
    name: () => 'Password spray involving multiple users',
    truePositive: ['MaliciousUserActivity', 'CompromisedAccount'],
    tpRate: 0.6,
    tags: ['Identity'],
  },
  {
    weight: 5,
    severity: [
      ['Low', 5],
      ['Medium', 3],
      ['Informational', 2],
    ],
    users: 'one',
    alerts: [['massDownload']],
    name: f => `Mass download by a single user ${involvingUsers(f)}`,
    truePositive: ['MaliciousUserActivity', 'Other'],
    tpRate: 0.3,
    tags: ['Insider-Risk', 'DLP'],
  },
  {
    weight: 5,
    severity: [
      ['Medium', 5],
      ['High', 5],
    ],
    endpoints: 'one',
    alerts: [
      ['c2ip', 'c2beacon'],
      ['powershell', 'schtask', 'runKey'],
    ],
    extra: 1,
    name: f => `Command and control incident ${onEndpoints(f)}`,
    truePositive: ['Malware', 'MultiStagedAttack'],
    tpRate: 0.7,
    tags: ['C2', 'Escalated'],
  },
  {
    weight: 4,
    severity: [
      ['Medium', 6],
      ['High', 4],
    ],
    endpoints: 'several',
    alerts: [
      ['powershell', 'encodedPs'],
      ['psexec', 'lateralSmb'],
    ],
    name: f => `Execution incident ${onEndpoints(f)}`,
    truePositive: ['MaliciousUserActivity', 'MultiStagedAttack'],
    tpRate: 0.5,
    tags: ['PenTest'],
  },
  {
    weight: 3,
    severity: [
      ['High', 6],
      ['Medium', 4],
    ],
    endpoints: 'one',
    users: 'one',
    alerts: [['rclone', 'massDownload'], ['c2ip']],
    name: f => `Exfiltration incident ${f.multiEndpoint ? onEndpoints(f) : involvingUsers(f)}`,
    truePositive: ['MaliciousUserActivity', 'MultiStagedAttack'],
    tpRate: 0.6,
    tags: ['Insider-Risk', 'Data-Loss'],
  },
  {
    weight: 3,
    severity: [['Medium', 1]],
    users: 'one',
    alerts: [['cloudRansomware']],
    name: f => `Ransomware activity ${involvingUsers(f)}`,
    truePositive: ['Malware', 'CompromisedAccount'],
    tpRate: 0.4,
    tags: ['Ransomware'],
  },
];

function catWords(cats: readonly string[]): string {
  const words = cats.map(c => CATEGORY_WORDS[c] ?? c);
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} & ${words[words.length - 1]}` : (words[0] ?? 'Execution');
}

const FIRST = [
  'james',
  'maria',
  'li',
  'fatima',
  'oliver',
  'sofia',
  'ahmed',
  'emma',
  'lucas',
  'yuki',
  'noah',
  'amara',
  'ivan',
  'chloe',
  'diego',
  'priya',
  'tom',
  'nina',
  'omar',
  'hannah',
  'kenji',
  'lena',
  'marco',
  'zoe',
];
const LAST = [
  'smith',
  'garcia',
  'chen',
  'khan',
  'brown',
  'rossi',
  'hassan',
  'muller',
  'silva',
  'tanaka',
  'wilson',
  'okafor',
  'petrov',
  'dubois',
  'lopez',
  'patel',
  'nguyen',
  'schmidt',
  'ali',
  'cohen',
  'sato',
  'novak',
  'costa',
  'evans',
];
const DEPTS = [
  ['fin', 'Finance'],
  ['hr', 'HR'],
  ['eng', 'Engineering'],
  ['sales', 'Sales'],
  ['mkt', 'Marketing'],
  ['legal', 'Legal'],
  ['it', 'IT'],
  ['exec', 'Executive'],
] as const;
const SERVER_ROLES = ['dc', 'sql', 'web', 'file', 'app', 'exch', 'jump', 'ca'] as const;
const MALICIOUS_DOMAINS = [
  'contoso-payroll.top',
  'secure-docshare.xyz',
  'login-micros0ft-online.com',
  'sharepoint-files-access.net',
  'invoice-portal-update.info',
  'dropbox-transfer-secure.click',
  'm365-auth-verify.live',
  'fabrikam-invoices.shop',
];
const URL_PATHS = [
  '/login.php',
  '/owa/auth/logon.aspx',
  '/invoice/INV-2291.html',
  '/s/Xy7Qp2',
  '/wp-content/uploads/doc.zip',
  '/verify?session=8f2a',
  '/common/oauth2/authorize',
];
const EXTERNAL_NETS = ['185.220.101.', '45.137.21.', '103.75.190.', '193.42.33.', '91.219.237.', '176.113.115.', '5.188.206.', '198.51.100.', '203.0.113.'];
const MAIL_SUBJECTS = [
  'Action required: password expires today',
  'Invoice INV-2291 overdue',
  'Shared document: Q3 budget review',
  'Your mailbox is almost full',
  'Updated wire instructions',
  'DocuSign: please review and sign',
  'Payroll adjustment notice',
];
const COMMENT_TEXTS = [
  'Isolated the device pending investigation.',
  'Confirmed with the user: travel to Lisbon was expected.',
  'Escalated to the IR team.',
  'Reset the user password and revoked sessions.',
  'Blocked the sender domain in the tenant allow/block list.',
  'Collected investigation package from the device.',
  'Part of the scheduled red team exercise, see ticket SEC-4821.',
  'Hash submitted to Microsoft for analysis.',
  'Looks like the same campaign as last week.',
  'User clicked but credentials were not entered (confirmed by sign-in logs).',
  'Waiting on the device owner to call back.',
  'Ran a full antivirus scan: clean.',
];

interface UserRec {
  accountName: string;
  upn: string;
  domainName: string;
  userSid: string;
  aadUserId: string;
  displayName: string;
}

interface Pools {
  users: UserRec[];
  devices: DefenderDevice[];
  externalIps: string[];
  urls: string[];
}

function makePools(r: Prng, count: number, tenantFirstSeenBase: number): Pools {
  const userCount = Math.max(12, Math.min(2_000, Math.ceil(count / 3)));
  const users: UserRec[] = [];
  const seenUpn = new Set<string>();
  while (users.length < userCount) {
    const f = r.pick(FIRST);
    const l = r.pick(LAST);
    let upn = `${f}.${l}@contoso.com`;
    if (seenUpn.has(upn)) upn = `${f}.${l}${r.int(2, 99)}@contoso.com`;
    if (seenUpn.has(upn)) continue;
    seenUpn.add(upn);
    users.push({
      accountName: `${f[0]}${l}`,
      upn,
      domainName: 'CONTOSO',
      displayName: `${cap(f)} ${cap(l)}`,
      userSid: `S-1-5-21-1004336348-1177238915-682003330-${r.int(1100, 99999)}`,
      aadUserId: r.guid(),
    });
  }
  const deviceCount = Math.max(10, Math.min(3_000, Math.ceil(count / 2)));
  const devices: DefenderDevice[] = [];
  const seenHost = new Set<string>();
  while (devices.length < deviceCount) {
    const server = r.chance(0.2);
    let host: string, osPlatform: string, osBuild: number, version: string, rbacGroupName: string;
    if (server) {
      host = `srv-${r.pick(SERVER_ROLES)}-${String(r.int(1, 12)).padStart(2, '0')}.contoso.com`;
      [osPlatform, osBuild, version] = r.pick([
        ['WindowsServer2022', 20348, '21H2'],
        ['WindowsServer2019', 17763, '1809'],
        ['Linux', 0, '22.04'],
      ] as const);
      rbacGroupName = 'Servers';
    } else {
      const [code, dept] = r.pick(DEPTS);
      host = `${r.chance(0.6) ? 'ws' : 'lt'}-${code}-${String(r.int(1, 999)).padStart(4, '0')}.contoso.com`;
      [osPlatform, osBuild, version] = r.weighted([
        [['Windows11', 22631, '23H2'], 5],
        [['Windows10', 19045, '22H2'], 4],
        [['macOS', 0, '14.4'], 1],
      ] as const);
      rbacGroupName = `${dept} Workstations`;
    }
    if (seenHost.has(host)) continue;
    seenHost.add(host);
    const owner = users[devices.length % users.length];
    devices.push({
      mdatpDeviceId: r.hex(40),
      aadDeviceId: osPlatform.startsWith('Windows') ? r.guid() : null,
      deviceDnsName: host,
      osPlatform,
      version,
      osProcessor: osPlatform === 'macOS' ? 'arm64' : 'x64',
      osBuild: osBuild || null,
      healthStatus: r.weighted([
        ['Active', 85],
        ['Inactive', 6],
        ['ImpairedCommunication', 5],
        ['NoSensorData', 4],
      ] as const),
      riskScore: r.weighted([
        ['None', 3],
        ['Informational', 1],
        ['Low', 3],
        ['Medium', 3],
        ['High', 2],
      ] as const),
      rbacGroupName,
      rbacGroupId: 100 + DEPTS.findIndex(d => rbacGroupName.startsWith(d[1])),
      firstSeen: wireTime(tenantFirstSeenBase + r.int(0, 500) * DAY + r.int(0, DAY)),
      tags: r.chance(0.15) ? [r.pick(['VIP', 'Critical', 'PAW', 'Kiosk'])] : [],
      defenderAvStatus: r.weighted([
        ['Updated', 9],
        ['NotUpdated', 1],
      ] as const),
      onboardingStatus: 'Onboarded',
      vmMetadata: null,
      loggedOnUsers: server ? [] : [{ accountName: owner.accountName, domainName: owner.domainName }],
    });
  }
  const externalIps: string[] = [];
  for (let i = 0; i < 60; i++) externalIps.push(`${r.pick(EXTERNAL_NETS)}${r.int(2, 254)}`);
  const urls: string[] = [];
  for (let i = 0; i < 40; i++) urls.push(`https://${r.pick(MALICIOUS_DOMAINS)}${r.pick(URL_PATHS)}`);
  return { users, devices, externalIps, urls };
}

function cap(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}

const FILES: readonly (readonly [string, string])[] = [
  ['invoice_2291.docm', 'C:\\Users\\{user}\\Downloads'],
  ['update.ps1', 'C:\\ProgramData'],
  ['svchost32.exe', 'C:\\Users\\{user}\\AppData\\Local\\Temp'],
  ['mimikatz.exe', 'C:\\Windows\\Temp'],
  ['rclone.exe', 'C:\\PerfLogs'],
  ['payload.dll', 'C:\\Users\\Public'],
  ['Q3_budget.xlsx.lnk', 'C:\\Users\\{user}\\Downloads'],
  ['beacon.exe', 'C:\\Windows\\Temp'],
  ['setup_free.exe', 'C:\\Users\\{user}\\Downloads'],
  ['README_RESTORE.txt', 'C:\\Users\\{user}\\Documents'],
];
const PROCESSES: readonly (readonly [string, string, string])[] = [
  [
    'powershell.exe',
    'C:\\Windows\\System32\\WindowsPowerShell\\v1.0',
    'powershell.exe -NoP -W Hidden -Enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA',
  ],
  ['powershell.exe', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0', 'powershell.exe -ExecutionPolicy Bypass -File C:\\ProgramData\\update.ps1'],
  ['rundll32.exe', 'C:\\Windows\\System32', 'rundll32.exe C:\\Users\\Public\\payload.dll,DllRegisterServer'],
  ['cmd.exe', 'C:\\Windows\\System32', 'cmd.exe /c whoami /all & net group "Domain Admins" /domain'],
  ['wmic.exe', 'C:\\Windows\\System32\\wbem', 'wmic.exe shadowcopy delete /nointeractive'],
  ['vssadmin.exe', 'C:\\Windows\\System32', 'vssadmin.exe delete shadows /all /quiet'],
  ['PsExec64.exe', 'C:\\Windows\\Temp', 'PsExec64.exe \\\\srv-file-01 -s cmd.exe'],
  ['rclone.exe', 'C:\\PerfLogs', 'rclone.exe copy \\\\srv-file-01\\finance mega:backup --transfers 16'],
  ['schtasks.exe', 'C:\\Windows\\System32', 'schtasks.exe /create /sc minute /mo 30 /tn "OneDrive Updater" /tr C:\\ProgramData\\update.ps1'],
];

// Hoisted so the hot loops allocate nothing but the data itself (10,000 incidents in well under a second).
const VERDICTS = [
  ['Suspicious', 5],
  ['Malicious', 3],
  ['NoThreatsFound', 1],
] as const;
const REMEDIATION = [
  ['None', 6],
  ['Remediated', 2],
  ['Prevented', 1],
  ['Blocked', 1],
] as const;
const DELIVERY = [
  ['Delivered', 6],
  ['Junked', 2],
  ['Blocked', 1],
] as const;
const INVESTIGATION_STATES = ['Running', 'SuccessfullyRemediated', 'Benign', 'PendingApproval', 'TerminatedBySystem'] as const;
const ACTORS = ['Storm-0539', 'Octo Tempest', null] as const;
const RUN_VALUE_NAMES = ['OneDriveUpdate', 'SecurityHealth2', 'AdobeSync'] as const;
const PRIVILEGED_GROUPS = ['Domain Admins', 'Enterprise Admins', 'Account Operators'] as const;

class Builder {
  /** One threat family per alert kind within an incident, so its alerts and its name agree. */
  private readonly families = new Map<AlertKey, string>();
  constructor(
    private readonly r: Prng,
    private readonly pools: Pools,
  ) {}

  startIncident(): void {
    this.families.clear();
  }

  entity(kind: EntityKind, user: UserRec, device: DefenderDevice | null, at: number, atText: string): DefenderEntity {
    const r = this.r;
    let e: DefenderEntity;
    switch (kind) {
      case 'User':
        e = {
          entityType: 'User',
          accountName: user.accountName,
          userPrincipalName: user.upn,
          domainName: user.domainName,
          userSid: user.userSid,
          aadUserId: user.aadUserId,
        };
        break;
      case 'Ip':
        e = { entityType: 'Ip', ipAddress: r.chance(0.8) ? r.pick(this.pools.externalIps) : `10.${r.int(1, 40)}.${r.int(0, 255)}.${r.int(2, 254)}` };
        break;
      case 'Url':
        e = { entityType: 'Url', url: r.pick(this.pools.urls) };
        break;
      case 'File': {
        const [fileName, dir] = r.pick(FILES);
        e = { entityType: 'File', fileName, filePath: dir.replace('{user}', user.accountName), sha1: r.hex(40), sha256: r.hex(64) };
        if (device) e.deviceId = device.mdatpDeviceId;
        break;
      }
      case 'Process': {
        const [fileName, filePath, processCommandLine] = r.pick(PROCESSES);
        e = {
          entityType: 'Process',
          fileName,
          filePath,
          processCommandLine,
          processId: r.int(400, 30000),
          parentProcessId: r.int(400, 30000),
          processCreationTime: wireTime(at - r.int(1, 600) * 1000),
          parentProcessCreationTime: wireTime(at - r.int(600, 7200) * 1000),
          sha1: r.hex(40),
          sha256: r.hex(64),
          accountName: user.accountName,
          domainName: user.domainName,
          userSid: user.userSid,
        };
        if (device) e.deviceId = device.mdatpDeviceId;
        break;
      }
      case 'MailBox':
        e = { entityType: 'MailBox', mailboxDisplayName: user.displayName, mailboxAddress: user.upn };
        break;
      case 'MailMessage':
        e = {
          entityType: 'MailMessage',
          networkMessageId: r.guid(),
          recipient: user.upn,
          sender: `billing@${r.pick(MALICIOUS_DOMAINS)}`,
          senderIp: r.pick(this.pools.externalIps),
          subject: r.pick(MAIL_SUBJECTS),
          deliveryAction: r.weighted(DELIVERY),
        };
        break;
      case 'MailCluster':
        e = { entityType: 'MailCluster', clusterBy: 'Subject;SenderIp;ContentHash', clusterByValue: r.hex(48) };
        break;
      case 'Registry':
        e = {
          entityType: 'Registry',
          registryHive: 'HKEY_CURRENT_USER',
          registryKey: 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run',
          registryValueName: r.pick(RUN_VALUE_NAMES),
          registryValueType: 'String',
          registryValue: 'powershell.exe -W Hidden -File C:\\ProgramData\\update.ps1',
        };
        break;
      case 'SecurityGroup':
        e = { entityType: 'SecurityGroup', securityGroupId: r.guid(), securityGroupName: r.pick(PRIVILEGED_GROUPS) };
        break;
    }
    e.remediationStatus = r.weighted(REMEDIATION);
    e.verdict = r.weighted(VERDICTS);
    e.evidenceCreationTime = atText;
    return e;
  }

  /** `users`/`devices` are the ones this alert is about; the first user is the primary one. */
  alert(key: AlertKey, incidentId: number, at: number, severity: Sev, users: readonly UserRec[], devices: DefenderDevice[]): DefenderAlert {
    const r = this.r;
    const t: AlertTemplate = A[key];
    const prefix = ALERT_ID_PREFIX[t.service];
    const provider = prefix === 'ca' ? `${r.hex(8).toUpperCase()}-${r.hex(8).toUpperCase()}` : `${r.digits(18)}_${r.int(-2147483647, 2147483647)}`;
    const atText = wireTime(at);
    const entities: DefenderEntity[] = [];
    let usersListed = false;
    for (const kind of t.entities) {
      // The first User/MailBox entity lists every user the alert is about; a repeated one is a bystander.
      if ((kind === 'User' || kind === 'MailBox') && !usersListed) {
        usersListed = true;
        for (const u of users) entities.push(this.entity(kind, u, devices[0] ?? null, at, atText));
      } else {
        entities.push(this.entity(kind, kind === 'User' ? r.pick(this.pools.users) : users[0], devices[0] ?? null, at, atText));
      }
    }
    let threatFamilyName: string | null = null;
    if (t.threatFamilies) {
      threatFamilyName = this.families.get(key) ?? r.pick(t.threatFamilies);
      this.families.set(key, threatFamilyName);
    }
    const firstActivity = at - r.int(1, 120) * 60_000;
    const isEdr = t.service === 'MicrosoftDefenderForEndpoint';
    return {
      alertId: prefix + provider,
      providerAlertId: provider,
      incidentId,
      serviceSource: t.service,
      creationTime: atText,
      lastUpdatedTime: atText,
      resolvedTime: null,
      firstActivity: wireTime(firstActivity),
      lastActivity: wireTime(firstActivity + r.int(0, 90) * 60_000),
      title: t.title.replace('{family}', threatFamilyName ?? 'Emotet'),
      description: t.description,
      category: t.category,
      status: 'New',
      severity,
      investigationId: isEdr && r.chance(0.6) ? r.int(1000, 99999) : null,
      investigationState: isEdr ? r.pick(INVESTIGATION_STATES) : 'UnsupportedAlertType',
      classification: null,
      determination: null,
      detectionSource: r.pick(t.detectionSources),
      detectorId: r.guid(),
      assignedTo: null,
      actorName: key === 'c2beacon' || key === 'becFraud' ? r.pick(ACTORS) : null,
      threatFamilyName,
      mitreTechniques: [...t.mitre],
      devices,
      entities,
    };
  }
}

const SEV_RANK: Record<Sev, number> = { Informational: 0, Low: 1, Medium: 2, High: 3 };
const SEVS_BY_RANK: readonly Sev[] = ['Informational', 'Low', 'Medium', 'High'];

/** The newest open incidents' SLA states on a fresh start, newest first: a real queue's mix. */
const MIX: readonly ('onTime' | 'dueSoon')[] = ['onTime', 'dueSoon', 'onTime', 'onTime', 'dueSoon', 'onTime'];

/**
 * Makes the newest open incidents of the sample a real queue's mix under the default SLA clocks (some on
 * time, some due soon; older ones stay overdue), by moving each one's times (created, updated, comments,
 * alerts) to end at the right age before `now`. Ids are then given out again in creation order.
 */
function queueMix(incidents: DefenderIncident[], now: number, tenantId: string): void {
  const clocks = (sev: string) => (DEFAULT_SLA_POLICY as Record<string, SeveritySla | undefined>)[sev];
  const open = incidents
    .filter(i => (i.status === 'Active' || i.status === 'InProgress') && clocks(i.severity)?.assignWithinMinutes && clocks(i.severity)?.resolveWithinMinutes)
    .reverse();
  open.slice(0, MIX.length).forEach((inc, k) => {
    const c = clocks(inc.severity)!;
    const governing = ((inc.assignedTo ? c.resolveWithinMinutes : c.assignWithinMinutes) ?? 0) * 60_000;
    // Due soon is the clock's last fifth (DUE_SOON_FRACTION); on time well before it.
    const age = Math.round(governing * (MIX[k] === 'dueSoon' ? 1 - DUE_SOON_FRACTION / 2 : 0.25 + 0.1 * k));
    const created = Date.parse(inc.createdTime);
    const span = Math.max(1, Date.parse(inc.lastUpdateTime) - created);
    const newCreated = now - age;
    const scale = Math.min(1, (age * 0.8) / span);
    retime(inc, t => newCreated + (t - created) * scale);
  });
  const ids = incidents.map(i => i.incidentId).sort((a, b) => a - b);
  incidents.sort((a, b) => a.createdTime.localeCompare(b.createdTime));
  incidents.forEach((inc, k) => {
    inc.incidentId = ids[k];
    inc.incidentUri = `https://security.microsoft.com/incidents/${ids[k]}?tid=${tenantId}`;
    for (const a of inc.alerts) a.incidentId = ids[k];
  });
}

const WIRE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Every wire time inside `v` through `f` (in place). */
function retime(v: unknown, f: (t: number) => number): void {
  if (Array.isArray(v)) {
    for (const x of v) retime(x, f);
    return;
  }
  if (typeof v !== 'object' || v === null) return;
  const o = v as Record<string, unknown>;
  for (const [k, x] of Object.entries(o)) {
    if (typeof x === 'string' && WIRE_TIME.test(x)) o[k] = wireTime(Math.round(f(Date.parse(x))));
    else if (typeof x === 'object') retime(x, f);
  }
}

/**
 * Generate `count` incidents in the Defender XDR wire shape, newest `lastUpdateTime` first is NOT
 * guaranteed (callers sort). Ids increase with creation time, like the real service's.
 */
export function seedIncidents(opts: SeedOptions = {}): DefenderIncident[] {
  const count = Math.max(0, Math.floor(opts.count ?? DEFAULT_INCIDENT_COUNT));
  const r = new Prng(opts.seed ?? DEFAULT_SEED);
  const now = (opts.now ?? new Date()).getTime();
  const tenantId = opts.tenantId ?? MOCK_TENANT_ID;
  const pools = makePools(r, count, now - 900 * DAY);
  const b = new Builder(r, pools);
  const deviceStride = 7;

  // Most incidents are recent (the queue an analyst works), a tail goes back about six months. A quarter
  // of the recent ones arrived in the last 8 hours, so against the default SLA clocks (30 m to 8 h to
  // assign) the open queue shows what a real one does: some on time, some due soon, the rest overdue.
  const created: number[] = [];
  for (let i = 0; i < count; i++) {
    const recent = r.chance(0.75);
    const u = r.next();
    const ageMs = recent ? (u < 0.25 ? (u / 0.25) * 8 * HOUR : ((u - 0.25) / 0.75) * 30 * DAY) : 30 * DAY + u * 150 * DAY;
    created.push(now - Math.max(5 * 60_000, ageMs));
  }
  created.sort((a, b2) => a - b2);

  const incidents: DefenderIncident[] = [];
  let nextId = 924_000 + r.int(0, 999);
  const totalWeight = SCENARIOS.reduce((s, x) => s + x.weight, 0);
  for (let i = 0; i < count; i++) {
    nextId += r.int(1, 7);
    const incidentId = nextId;
    const createdAt = created[i];
    const ageDays = (now - createdAt) / DAY;
    let w = r.next() * totalWeight;
    let sc = SCENARIOS[SCENARIOS.length - 1];
    for (const s of SCENARIOS) {
      w -= s.weight;
      if (w < 0) {
        sc = s;
        break;
      }
    }

    const severity = r.weighted(sc.severity);
    // Older incidents are mostly closed; the last few days are mostly open, as in a real queue.
    const status = r.weighted<'Active' | 'InProgress' | 'Resolved' | 'Redirected'>(
      ageDays > 14
        ? [
            ['Resolved', 66],
            ['Active', 16],
            ['InProgress', 14],
            ['Redirected', 4],
          ]
        : ageDays > 3
          ? [
              ['Resolved', 40],
              ['Active', 28],
              ['InProgress', 27],
              ['Redirected', 5],
            ]
          : [
              ['Resolved', 10],
              ['Active', 55],
              ['InProgress', 32],
              ['Redirected', 3],
            ],
    );

    const multiEndpoint = sc.endpoints === 'several' ? r.chance(0.7) : r.chance(0.1);
    const multiUser = sc.users === 'several' ? r.chance(0.7) : r.chance(0.08);
    const devices: DefenderDevice[] = [];
    const nDev = multiEndpoint ? r.int(2, 5) : 1;
    const start = r.int(0, pools.devices.length - 1);
    for (let d = 0; d < nDev; d++) devices.push(pools.devices[(start + d * deviceStride) % pools.devices.length]);
    const users: UserRec[] = [];
    const nUsers = multiUser ? r.int(2, 6) : 1;
    const ustart = r.int(0, pools.users.length - 1);
    for (let u = 0; u < nUsers; u++) users.push(pools.users[(ustart + u * 5) % pools.users.length]);

    const keys: AlertKey[] = sc.alerts.map(pool => r.pick(pool));
    const union = sc.alerts.flat();
    for (let e = r.int(0, sc.extra ?? 0); e > 0; e--) keys.push(r.pick(union));
    // Single-alert scenarios sometimes correlate a second alert of the same kind.
    if (keys.length === 1 && r.chance(0.3)) keys.push(keys[0]);

    // Never exactly `now`: distinct update times keep the lastUpdateTime order meaningful.
    const latest = Math.max(0, now - createdAt - r.int(1, 45) * 60_000 - r.int(0, 59_999));
    const updateSpan = Math.min(latest, (status === 'Resolved' ? r.int(1, 240) : r.int(0, 96)) * HOUR + r.int(0, HOUR));
    const lastUpdate = createdAt + updateSpan;
    // Spread the incident's devices and users over its alerts so that every one of them appears in
    // some alert: the name ("on multiple endpoints") is then computed from what the alerts really show.
    const deviceAlerts = keys.map((k, idx) => (A[k].devices ? idx : -1)).filter(idx => idx >= 0);
    const alertDevices: DefenderDevice[][] = keys.map(() => []);
    if (deviceAlerts.length > 0) {
      for (let d = 0; d < devices.length; d++) alertDevices[deviceAlerts[d % deviceAlerts.length]].push(devices[d]);
      for (const idx of deviceAlerts) if (alertDevices[idx].length === 0) alertDevices[idx].push(devices[idx % devices.length]);
    }
    const alerts: DefenderAlert[] = [];
    b.startIncident();
    for (let k = 0; k < keys.length; k++) {
      const at = k === 0 ? createdAt : createdAt + r.next() * (lastUpdate - createdAt);
      const aSev = k === 0 ? severity : SEVS_BY_RANK[r.int(0, SEV_RANK[severity])];
      const alertUsers = k === 0 ? users : [users[k % users.length]];
      alerts.push(b.alert(keys[k], incidentId, at, aSev, alertUsers, alertDevices[k]));
    }
    alerts.sort((x, y) => (x.creationTime < y.creationTime ? -1 : 1));

    const categories = [...new Set(alerts.map(a => a.category).filter(c => c in CATEGORY_WORDS))].slice(0, 3);
    if (categories.length < 2) for (const c of ['InitialAccess', 'Execution']) if (!categories.includes(c) && categories.length < 2) categories.push(c);
    const sources = new Set(alerts.map(a => a.serviceSource));
    const deviceIds = new Set<string>();
    const upns = new Set<string>();
    for (const a of alerts) {
      for (const d of a.devices) deviceIds.add(d.mdatpDeviceId);
      for (const e of a.entities)
        if (e.entityType === 'User' && e.userPrincipalName) upns.add(e.userPrincipalName);
        else if (e.entityType === 'MailBox' && e.mailboxAddress) upns.add(e.mailboxAddress);
    }
    const facts: ScenarioFacts = {
      categories,
      multiEndpoint: deviceIds.size > 1,
      multiUser: upns.size > 1,
      multiSource: sources.size > 1,
      family: alerts.find(a => a.threatFamilyName)?.threatFamilyName ?? null,
    };

    let classification: KnownClassification = 'Unknown';
    let determination: KnownDetermination = 'NotAvailable';
    if (status === 'Resolved' || (status === 'InProgress' && r.chance(0.15))) {
      const tp = r.chance(sc.tpRate);
      classification = tp ? 'TruePositive' : r.chance(0.5) ? 'FalsePositive' : 'InformationalExpectedActivity';
      const valid = DETERMINATIONS_BY_CLASSIFICATION[classification];
      const preferred = tp ? sc.truePositive.filter(d => valid.includes(d)) : [];
      determination = preferred.length > 0 && r.chance(0.85) ? r.pick(preferred) : r.pick(valid);
    }

    // New High-severity incidents wait in the unassigned queue more often: that is what triage picks up first.
    const assignedTo =
      status === 'Active'
        ? r.chance(severity === 'High' ? 0.2 : 0.45)
          ? r.pick(MOCK_ANALYSTS)
          : null
        : status === 'InProgress'
          ? r.pick(MOCK_ANALYSTS)
          : status === 'Resolved'
            ? r.chance(0.9)
              ? r.pick(MOCK_ANALYSTS)
              : null
            : null;

    for (const a of alerts) {
      a.lastUpdatedTime = wireTime(Math.min(lastUpdate, Date.parse(a.creationTime) + r.int(0, 6) * HOUR));
      if (status === 'Resolved') {
        a.status = 'Resolved';
        a.resolvedTime = wireTime(lastUpdate);
        a.lastUpdatedTime = a.resolvedTime;
        a.classification = classification;
        a.determination = readSpelling(determination);
        a.assignedTo = assignedTo;
      } else if (status === 'InProgress') {
        a.status = r.chance(0.6) ? 'InProgress' : 'New';
        a.assignedTo = assignedTo;
      } else if (status === 'Redirected') {
        a.status = r.chance(0.5) ? 'Resolved' : 'New';
        if (a.status === 'Resolved') a.resolvedTime = a.lastUpdatedTime;
      }
    }

    const comments: DefenderComment[] = [];
    const nComments = status === 'Resolved' ? r.int(0, 3) : r.chance(0.35) ? r.int(1, 3) : 0;
    for (let c = 0; c < nComments; c++) {
      comments.push({
        comment: r.pick(COMMENT_TEXTS),
        createdBy: assignedTo ?? r.pick(MOCK_ANALYSTS),
        createdTime: wireTime(createdAt + ((c + 1) / (nComments + 1)) * (lastUpdate - createdAt)),
      });
    }

    const tags: string[] = [];
    if (r.chance(0.3)) tags.push(r.pick(sc.tags));
    if (r.chance(0.08)) tags.push(r.pick(['Tier2', 'Customer-Reported', 'Needs-Review', 'Weekend-Shift']));

    incidents.push({
      incidentId,
      incidentUri: `https://security.microsoft.com/incidents/${incidentId}?tid=${tenantId}`,
      redirectIncidentId: null,
      incidentName: sc.name(facts),
      createdTime: wireTime(createdAt),
      lastUpdateTime: wireTime(lastUpdate),
      // Stored as the Defender resource page spells it (what reads answer); the model lists the write spellings.
      assignedTo,
      classification,
      determination: readSpelling(determination),
      status,
      severity,
      detectionSource: alerts[0].detectionSource,
      tags: [...new Set(tags)],
      comments,
      alerts,
    });
  }

  queueMix(incidents, now, tenantId);

  // A redirected incident was merged into a later one: point it at a newer incident.
  for (let i = 0; i < incidents.length; i++) {
    const inc = incidents[i];
    if (inc.status !== 'Redirected') continue;
    if (i + 1 < incidents.length) inc.redirectIncidentId = incidents[Math.min(incidents.length - 1, i + 1 + r.int(0, 3))].incidentId;
    else inc.status = 'Active';
  }
  // Its own generator, so the ordinary data set is the same with and without it.
  if (opts.hostile) applyHostile(incidents, new Prng((opts.seed ?? DEFAULT_SEED) ^ 0x5eed));
  return incidents;
}
