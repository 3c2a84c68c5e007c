/**
 * What evidence is, before any item is read (./evidence.ts reads, merges and groups the items): the groups
 * the pane shows, the kinds of value "Hunt for this" knows, and per wire type (Graph's 31 v1.0
 * `alertEvidence` types, Defender's entity types and its devices) the group, label, identity and hunt
 * targets. Pure; no `vscode` import.
 */

/** The groups of the pane's Evidence section, in the order it shows them. */
export type EvidenceKind = 'device' | 'user' | 'ip' | 'file' | 'process' | 'mailbox' | 'message' | 'url' | 'cloud' | 'other';
export const EVIDENCE_GROUPS: readonly { kind: EvidenceKind; label: string }[] = [
  { kind: 'device', label: 'Devices' },
  { kind: 'user', label: 'Users' },
  { kind: 'ip', label: 'IP addresses' },
  { kind: 'file', label: 'Files' },
  { kind: 'process', label: 'Processes' },
  { kind: 'mailbox', label: 'Mailboxes' },
  { kind: 'message', label: 'Email messages' },
  { kind: 'url', label: 'URLs' },
  { kind: 'cloud', label: 'Cloud resources' },
  { kind: 'other', label: 'Other' },
];

/** What a value identifies, for "Hunt for this" (src/model/huntQueries.ts builds the queries). */
export type HuntKind = 'device' | 'user' | 'ip' | 'fileHash' | 'url' | 'mailbox';
export const HUNT_KINDS: readonly HuntKind[] = ['device', 'user', 'ip', 'fileHash', 'url', 'mailbox'];
/** Each kind in words ("Hunt for this IP address"; "file hash: ..." in the export). */
export const HUNT_KIND_WORDS: Readonly<Record<HuntKind, string>> = {
  device: 'device',
  user: 'user',
  ip: 'IP address',
  fileHash: 'file hash',
  url: 'URL',
  mailbox: 'mailbox',
};

/** What the Defender API's alert `entities` and `devices` do not carry, said by the pane on that backend. */
export const DEFENDER_EVIDENCE_GAPS: readonly string[] = [
  'roles (attacker, compromised, source, destination...)',
  'detailed roles',
  'evidence tags',
  'verdict and remediation status of devices',
  'types beyond its entityType list (cloud, container and Kubernetes resources)',
];

/**
 * Per type: its group, the fields whose first non-empty value is the label, the fields that identify the
 * entity (its merge key; all fields when empty), and the values to hunt for.
 */
export interface TypeSpec {
  kind: EvidenceKind;
  label: readonly string[];
  key: readonly string[];
  hunt?: readonly (readonly [string, HuntKind])[];
}
const cloud = (label: readonly string[], key: readonly string[] = []): TypeSpec => ({ kind: 'cloud', label, key });

/** The 31 v1.0 `alertEvidence` types, by their short name. */
export const GRAPH_EVIDENCE_TYPES: Readonly<Record<string, TypeSpec>> = {
  deviceEvidence: {
    kind: 'device',
    label: ['deviceDnsName', 'hostName', 'mdeDeviceId', 'azureAdDeviceId'],
    key: ['mdeDeviceId', 'deviceDnsName', 'azureAdDeviceId'],
    hunt: [
      ['deviceDnsName', 'device'],
      ['mdeDeviceId', 'device'],
    ],
  },
  userEvidence: {
    kind: 'user',
    label: ['userAccount.userPrincipalName', 'userAccount.accountName', 'userAccount.displayName', 'userAccount.azureAdUserId', 'userAccount.userSid'],
    key: ['userAccount.userPrincipalName', 'userAccount.azureAdUserId', 'userAccount.userSid', 'userAccount.accountName'],
    hunt: [
      ['userAccount.userPrincipalName', 'user'],
      ['userAccount.azureAdUserId', 'user'],
    ],
  },
  ipEvidence: { kind: 'ip', label: ['ipAddress'], key: ['ipAddress'], hunt: [['ipAddress', 'ip']] },
  fileEvidence: {
    kind: 'file',
    label: ['fileDetails.fileName', 'fileDetails.filePath', 'fileDetails.sha256', 'fileDetails.sha1'],
    key: ['fileDetails.sha256', 'fileDetails.sha1'],
    hunt: [
      ['fileDetails.sha256', 'fileHash'],
      ['fileDetails.sha1', 'fileHash'],
    ],
  },
  processEvidence: {
    kind: 'process',
    label: ['processCommandLine', 'imageFile.fileName', 'processId'],
    key: ['mdeDeviceId', 'processId', 'processCreationDateTime', 'processCommandLine', 'imageFile.fileName'],
    hunt: [
      ['imageFile.sha256', 'fileHash'],
      ['imageFile.sha1', 'fileHash'],
    ],
  },
  mailboxEvidence: {
    kind: 'mailbox',
    label: ['primaryAddress', 'displayName', 'userAccount.userPrincipalName'],
    key: ['primaryAddress'],
    hunt: [['primaryAddress', 'mailbox']],
  },
  analyzedMessageEvidence: {
    kind: 'message',
    label: ['subject', 'networkMessageId', 'internetMessageId'],
    key: ['networkMessageId', 'recipientEmailAddress'],
    hunt: [
      ['recipientEmailAddress', 'mailbox'],
      ['p1Sender.emailAddress', 'mailbox'],
      ['p2Sender.emailAddress', 'mailbox'],
      ['senderIp', 'ip'],
    ],
  },
  mailClusterEvidence: { kind: 'message', label: ['name', 'query', 'clusterByValue'], key: ['name', 'query'] },
  urlEvidence: { kind: 'url', label: ['url'], key: ['url'], hunt: [['url', 'url']] },
  registryKeyEvidence: { kind: 'other', label: ['registryKey', 'registryHive'], key: ['registryHive', 'registryKey'] },
  registryValueEvidence: {
    kind: 'other',
    label: ['registryValueName', 'registryKey'],
    key: ['mdeDeviceId', 'registryHive', 'registryKey', 'registryValueName'],
  },
  securityGroupEvidence: { kind: 'other', label: ['displayName', 'securityGroupId'], key: ['securityGroupId', 'displayName'] },
  cloudLogonRequestEvidence: { kind: 'other', label: ['requestId'], key: ['requestId'] },
  cloudLogonSessionEvidence: { kind: 'other', label: ['sessionId', 'account.userAccount.userPrincipalName'], key: ['sessionId'] },
  cloudApplicationEvidence: cloud(['displayName', 'appId'], ['appId', 'instanceId', 'displayName']),
  oauthApplicationEvidence: cloud(['displayName', 'appId'], ['appId', 'objectId']),
  amazonResourceEvidence: cloud(['resourceName', 'amazonResourceId', 'resourceType'], ['amazonResourceId']),
  azureResourceEvidence: cloud(['resourceName', 'resourceId'], ['resourceId']),
  googleCloudResourceEvidence: cloud(['resourceName', 'fullResourceName'], ['fullResourceName', 'resourceName']),
  blobContainerEvidence: cloud(['name', 'url'], ['url', 'name']),
  blobEvidence: cloud(['name', 'url'], ['url', 'name']),
  containerEvidence: cloud(['name', 'containerId'], ['containerId']),
  containerImageEvidence: cloud(['imageId'], ['imageId']),
  containerRegistryEvidence: cloud(['registry'], ['registry']),
  kubernetesClusterEvidence: cloud(['name'], ['name', 'cloudResource.resourceId']),
  kubernetesControllerEvidence: cloud(['name', 'type']),
  kubernetesNamespaceEvidence: cloud(['name']),
  kubernetesPodEvidence: cloud(['name']),
  kubernetesSecretEvidence: cloud(['name']),
  kubernetesServiceAccountEvidence: cloud(['name']),
  kubernetesServiceEvidence: cloud(['name']),
};

/** Defender `entityType` (lower-cased) -> spec over its flat fields. */
export const DEFENDER_ENTITY_TYPES: Readonly<Record<string, TypeSpec>> = {
  user: {
    kind: 'user',
    label: ['userPrincipalName', 'accountName', 'aadUserId', 'userSid'],
    key: ['userPrincipalName', 'aadUserId', 'userSid', 'accountName'],
    hunt: [
      ['userPrincipalName', 'user'],
      ['aadUserId', 'user'],
    ],
  },
  ip: { kind: 'ip', label: ['ipAddress'], key: ['ipAddress'], hunt: [['ipAddress', 'ip']] },
  url: { kind: 'url', label: ['url'], key: ['url'], hunt: [['url', 'url']] },
  file: {
    kind: 'file',
    label: ['fileName', 'filePath', 'sha256', 'sha1'],
    key: ['sha256', 'sha1'],
    hunt: [
      ['sha256', 'fileHash'],
      ['sha1', 'fileHash'],
    ],
  },
  process: {
    kind: 'process',
    label: ['processCommandLine', 'fileName', 'processId'],
    key: ['deviceId', 'processId', 'processCreationTime', 'processCommandLine'],
    hunt: [
      ['sha256', 'fileHash'],
      ['sha1', 'fileHash'],
    ],
  },
  mailbox: {
    kind: 'mailbox',
    label: ['mailboxAddress', 'mailboxDisplayName', 'userPrincipalName'],
    key: ['mailboxAddress'],
    hunt: [['mailboxAddress', 'mailbox']],
  },
  mailmessage: {
    kind: 'message',
    label: ['subject', 'networkMessageId', 'sender'],
    key: ['networkMessageId', 'recipient'],
    hunt: [
      ['recipient', 'mailbox'],
      ['sender', 'mailbox'],
      ['senderIp', 'ip'],
    ],
  },
  mailcluster: { kind: 'message', label: ['clusterByValue', 'clusterBy'], key: ['clusterBy', 'clusterByValue'] },
  registry: {
    kind: 'other',
    label: ['registryKey', 'registryValueName', 'registryValue'],
    key: ['deviceId', 'registryHive', 'registryKey', 'registryValueName'],
  },
  securitygroup: { kind: 'other', label: ['securityGroupName', 'securityGroupId'], key: ['securityGroupId', 'securityGroupName'] },
  cloudapplication: cloud(['applicationName', 'applicationId'], ['applicationId']),
};

/** Every item of a Defender alert's `devices`. */
export const DEFENDER_DEVICE: TypeSpec = {
  kind: 'device',
  label: ['deviceDnsName', 'mdatpDeviceId', 'aadDeviceId'],
  key: ['mdatpDeviceId', 'deviceDnsName', 'aadDeviceId'],
  hunt: [
    ['deviceDnsName', 'device'],
    ['mdatpDeviceId', 'device'],
  ],
};
