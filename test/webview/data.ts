/** Realistic pane states for the browser tests and the screenshots. */
import type { Alert, Incident } from '../../src/model/types';
import type { PaneState, TimelineEntry } from '../../src/shared/protocol';
import { parseGraphEvidence } from '../../src/model/evidence';

const HOUR = 3600_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

export function alert(over: Partial<Alert> = {}): Alert {
  return {
    id: 'da637',
    incidentId: '3921',
    title: 'Suspicious PowerShell command line',
    description: 'A suspicious PowerShell activity was observed on the device.',
    severity: 'High',
    status: 'New',
    category: 'Execution',
    serviceSource: 'MicrosoftDefenderForEndpoint',
    detectionSource: 'EDR',
    assignedTo: null,
    classification: null,
    determination: null,
    createdTime: ago(30 * HOUR),
    lastUpdateTime: ago(2 * HOUR),
    resolvedTime: null,
    firstActivity: ago(31 * HOUR),
    lastActivity: ago(29 * HOUR),
    mitreTechniques: ['T1059.001', 'T1105'],
    devices: [
      {
        id: 'a1b2c3d4e5',
        dnsName: 'fin-ws-042.contoso.local',
        osPlatform: 'Windows11',
        osBuild: 22631,
        healthStatus: 'Active',
        riskScore: 'High',
        firstSeen: ago(400 * 24 * HOUR),
      },
    ],
    entities: [
      { type: 'User', label: 'megan.bowen@contoso.com', details: { accountName: 'meganb', domainName: 'CONTOSO' } },
      { type: 'Process', label: 'powershell.exe', details: { processCommandLine: 'powershell.exe -enc SQBFAFgA...', processId: '7788' } },
      { type: 'Ip', label: '203.0.113.45', details: {} },
    ],
    ...over,
  };
}

const T = (t: string) => `#microsoft.graph.security.${t}`;

/** The evidence the Graph API gives for the three sample alerts (the same entities as their `devices`/`entities`). */
const EVIDENCE: Record<string, Record<string, unknown>[]> = {
  da637: [
    {
      '@odata.type': T('deviceEvidence'),
      deviceDnsName: 'fin-ws-042.contoso.local',
      mdeDeviceId: 'a1b2c3d4e5',
      osPlatform: 'Windows11',
      healthStatus: 'active',
      riskScore: 'high',
      roles: ['compromised'],
      verdict: 'suspicious',
      remediationStatus: 'none',
    },
    {
      '@odata.type': T('userEvidence'),
      userAccount: { userPrincipalName: 'megan.bowen@contoso.com', accountName: 'meganb', domainName: 'CONTOSO' },
      roles: ['compromised'],
      verdict: 'suspicious',
      remediationStatus: 'none',
    },
    {
      '@odata.type': T('processEvidence'),
      processCommandLine: 'powershell.exe -enc SQBFAFgA...',
      processId: 7788,
      imageFile: { fileName: 'powershell.exe' },
      verdict: 'malicious',
      remediationStatus: 'remediated',
    },
    { '@odata.type': T('ipEvidence'), ipAddress: '203.0.113.45', roles: ['attacker'], verdict: 'malicious', remediationStatus: 'none' },
  ],
  da638: [
    { '@odata.type': T('userEvidence'), userAccount: { userPrincipalName: 'Megan.Bowen@contoso.com' }, roles: ['compromised'] },
    {
      '@odata.type': T('fileEvidence'),
      fileDetails: {
        fileName: 'invoice_0423.pdf.exe',
        sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
        filePath: 'C:\\Users\\meganb\\Downloads',
      },
      verdict: 'malicious',
      remediationStatus: 'prevented',
    },
    {
      '@odata.type': T('urlEvidence'),
      url: 'http://malicious.example/payload',
      roles: ['commandAndControl'],
      verdict: 'malicious',
      remediationStatus: 'blocked',
    },
  ],
  da639: [
    { '@odata.type': T('mailboxEvidence'), primaryAddress: 'megan.bowen@contoso.com', displayName: 'Megan Bowen', roles: ['destination'] },
    { '@odata.type': T('ipEvidence'), ipAddress: '203.0.113.45', roles: ['source'] },
  ],
};
const withEvidence = (a: Alert): Alert => (a.evidence || !EVIDENCE[a.id] ? a : { ...a, evidence: parseGraphEvidence(EVIDENCE[a.id], a.id).items });

export function incident(over: Partial<Incident> = {}): Incident {
  return {
    id: '3921',
    name: 'Multi-stage incident involving Execution & Lateral movement on one endpoint',
    severity: 'High',
    status: 'Active',
    assignedTo: 'alex.wilber@contoso.com',
    classification: 'TruePositive',
    determination: 'Malware',
    createdTime: ago(30 * HOUR),
    lastUpdateTime: ago(2 * HOUR),
    tags: ['Ransomware', 'Finance'],
    systemTags: [],
    comments: [],
    alerts: [
      alert(),
      alert({
        id: 'da638',
        title: 'Ransomware-linked emerging threat activity group detected',
        severity: 'High',
        status: 'InProgress',
        category: 'Ransomware',
        mitreTechniques: ['T1486'],
        firstActivity: ago(29 * HOUR),
        lastActivity: ago(28 * HOUR),
        entities: [
          { type: 'User', label: 'Megan.Bowen@contoso.com', details: {} },
          {
            type: 'File',
            label: 'invoice_0423.pdf.exe',
            details: { sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', filePath: 'C:\\Users\\meganb\\Downloads' },
          },
          { type: 'Url', label: 'http://malicious.example/payload', details: {} },
        ],
      }),
      alert({
        id: 'da639',
        title: 'Phishing email delivered to mailbox',
        severity: 'Medium',
        status: 'Resolved',
        category: 'InitialAccess',
        serviceSource: 'MicrosoftDefenderForOffice365',
        detectionSource: 'OfficeATP',
        mitreTechniques: ['T1566.001'],
        devices: [],
        firstActivity: ago(32 * HOUR),
        lastActivity: ago(32 * HOUR),
        entities: [
          { type: 'MailBox', label: 'megan.bowen@contoso.com', details: { displayName: 'Megan Bowen' } },
          { type: 'Ip', label: '203.0.113.45', details: {} },
        ],
      }),
    ].map(withEvidence),
    redirectIncidentId: null,
    webUrl: 'https://security.microsoft.com/incidents/3921',
    description: null,
    resolvingComment: null,
    detectionSource: null,
    lastModifiedBy: null,
    priorityScore: null,
    ...over,
  };
}

export function timeline(): TimelineEntry[] {
  return [
    {
      key: 'c-1',
      kind: 'comment',
      time: ago(3 * HOUR),
      author: 'alex.wilber@contoso.com',
      text: 'Isolated fin-ws-042 from the network.\nCollecting an investigation package now.',
      state: 'confirmed',
    },
    {
      key: 'j-1',
      kind: 'change',
      time: ago(2.5 * HOUR),
      author: 'alex.wilber@contoso.com',
      text: 'Classification changed',
      field: 'Classification',
      from: 'Not set',
      to: 'True positive',
      state: 'confirmed',
    },
    {
      key: 'o-1',
      kind: 'observed',
      time: ago(2 * HOUR),
      author: 'Automated investigation',
      text: 'Status changed',
      field: 'Status',
      from: 'New',
      to: 'Active',
      state: 'confirmed',
    },
    {
      key: 'c-2',
      kind: 'comment',
      time: ago(1 * HOUR),
      author: 'megan.bowen@contoso.com',
      text: 'The user confirms she opened the attachment from the invoice email.',
      state: 'confirmed',
    },
  ];
}

export function paneState(over: Partial<PaneState> = {}, inc: Partial<Incident> = {}): PaneState {
  return {
    incident: incident(inc),
    timeline: timeline(),
    capabilities: { backendName: 'Microsoft Graph security API', backendKind: 'graph', canRename: true, canChangeSeverity: true, canUpdateAlerts: true },
    me: 'analyst@contoso.com',
    knownOwners: ['alex.wilber@contoso.com', 'megan.bowen@contoso.com', 'analyst@contoso.com'],
    requireClassificationToResolve: false,
    drafts: {},
    portalUrl: 'https://security.microsoft.com/incidents/3921',
    ...over,
  };
}
