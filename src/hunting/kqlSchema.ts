/**
 * The advanced hunting tables the KQL language service knows: the tables triage hunts start from (see
 * the reference), with their documented main columns. It is a schema we give the service, not the
 * tenant's own: tables and columns not listed here are reported as unknown (see the README). No `vscode` import.
 */

const DEVICE = 'Timestamp:datetime, DeviceId:string, DeviceName:string, ReportId:long';
const INITIATING = [
  'InitiatingProcessAccountDomain:string',
  'InitiatingProcessAccountName:string',
  'InitiatingProcessAccountSid:string',
  'InitiatingProcessAccountUpn:string',
  'InitiatingProcessAccountObjectId:string',
  'InitiatingProcessMD5:string',
  'InitiatingProcessSHA1:string',
  'InitiatingProcessSHA256:string',
  'InitiatingProcessFileName:string',
  'InitiatingProcessFolderPath:string',
  'InitiatingProcessId:long',
  'InitiatingProcessCommandLine:string',
  'InitiatingProcessCreationTime:datetime',
  'InitiatingProcessIntegrityLevel:string',
  'InitiatingProcessTokenElevation:string',
  'InitiatingProcessParentId:long',
  'InitiatingProcessParentFileName:string',
  'InitiatingProcessParentCreationTime:datetime',
  'InitiatingProcessFileSize:long',
  'InitiatingProcessVersionInfoCompanyName:string',
  'InitiatingProcessVersionInfoProductName:string',
  'InitiatingProcessVersionInfoOriginalFileName:string',
  'InitiatingProcessVersionInfoFileDescription:string',
  'InitiatingProcessSignatureStatus:string',
].join(', ');

/** Table name -> `(column:type, ...)` in Kusto's schema syntax. */
export const HUNTING_TABLES: Readonly<Record<string, string>> = {
  DeviceProcessEvents: `(${DEVICE}, ActionType:string, FileName:string, FolderPath:string, SHA1:string, SHA256:string, MD5:string, FileSize:long, ProcessId:long, ProcessCommandLine:string, ProcessIntegrityLevel:string, ProcessTokenElevation:string, ProcessCreationTime:datetime, AccountDomain:string, AccountName:string, AccountSid:string, AccountUpn:string, AccountObjectId:string, LogonId:long, ProcessVersionInfoCompanyName:string, ProcessVersionInfoProductName:string, ProcessVersionInfoOriginalFileName:string, ProcessVersionInfoFileDescription:string, ${INITIATING}, AdditionalFields:dynamic)`,
  DeviceNetworkEvents: `(${DEVICE}, ActionType:string, RemoteIP:string, RemotePort:int, RemoteUrl:string, LocalIP:string, LocalPort:int, Protocol:string, LocalIPType:string, RemoteIPType:string, ${INITIATING}, AdditionalFields:dynamic)`,
  DeviceFileEvents: `(${DEVICE}, ActionType:string, FileName:string, FolderPath:string, SHA1:string, SHA256:string, MD5:string, FileOriginUrl:string, FileOriginReferrerUrl:string, FileOriginIP:string, PreviousFolderPath:string, PreviousFileName:string, FileSize:long, RequestProtocol:string, RequestSourceIP:string, RequestSourcePort:int, RequestAccountName:string, RequestAccountDomain:string, RequestAccountSid:string, ShareName:string, SensitivityLabel:string, IsAzureInfoProtectionApplied:bool, ${INITIATING}, AdditionalFields:dynamic)`,
  DeviceLogonEvents: `(${DEVICE}, ActionType:string, LogonType:string, AccountDomain:string, AccountName:string, AccountSid:string, Protocol:string, FailureReason:string, IsLocalAdmin:bool, LogonId:long, RemoteDeviceName:string, RemoteIP:string, RemoteIPType:string, RemotePort:int, ${INITIATING}, AdditionalFields:dynamic)`,
  IdentityLogonEvents:
    '(Timestamp:datetime, ActionType:string, Application:string, LogonType:string, Protocol:string, FailureReason:string, AccountName:string, AccountDomain:string, AccountUpn:string, AccountSid:string, AccountObjectId:string, AccountDisplayName:string, DeviceName:string, DeviceType:string, OSPlatform:string, IPAddress:string, Port:int, DestinationDeviceName:string, DestinationIPAddress:string, DestinationPort:int, TargetDeviceName:string, TargetAccountDisplayName:string, Location:string, ISP:string, ReportId:string, AdditionalFields:dynamic)',
  EmailEvents:
    '(Timestamp:datetime, NetworkMessageId:string, InternetMessageId:string, SenderMailFromAddress:string, SenderFromAddress:string, SenderDisplayName:string, SenderObjectId:string, SenderMailFromDomain:string, SenderFromDomain:string, SenderIPv4:string, SenderIPv6:string, RecipientEmailAddress:string, RecipientObjectId:string, Subject:string, EmailClusterId:long, EmailDirection:string, DeliveryAction:string, DeliveryLocation:string, ThreatTypes:string, ThreatNames:string, DetectionMethods:string, ConfidenceLevel:string, EmailAction:string, EmailActionPolicy:string, AttachmentCount:int, UrlCount:int, EmailLanguage:string, OrgLevelAction:string, UserLevelAction:string, AuthenticationDetails:string, ReportId:string, AdditionalFields:dynamic)',
  EmailUrlInfo: '(Timestamp:datetime, NetworkMessageId:string, Url:string, UrlDomain:string, UrlLocation:string, ReportId:string)',
  AlertInfo:
    '(Timestamp:datetime, AlertId:string, Title:string, Category:string, Severity:string, ServiceSource:string, DetectionSource:string, AttackTechniques:string)',
  AlertEvidence:
    '(Timestamp:datetime, AlertId:string, Title:string, Categories:string, AttackTechniques:string, ServiceSource:string, DetectionSource:string, EntityType:string, EvidenceRole:string, EvidenceDirection:string, FileName:string, FolderPath:string, SHA1:string, SHA256:string, FileSize:long, ThreatFamily:string, RemoteIP:string, RemoteUrl:string, AccountName:string, AccountDomain:string, AccountSid:string, AccountObjectId:string, AccountUpn:string, DeviceId:string, DeviceName:string, LocalIP:string, NetworkMessageId:string, EmailSubject:string, Application:string, ApplicationId:int, OAuthApplicationId:string, ProcessCommandLine:string, RegistryKey:string, RegistryValueName:string, RegistryValueData:string, AdditionalFields:string, Severity:string, CloudResource:string, CloudPlatform:string, ResourceType:string, ResourceID:string, SubscriptionId:string)',
  CloudAppEvents:
    '(Timestamp:datetime, ActionType:string, Application:string, ApplicationId:int, AccountObjectId:string, AccountId:string, AccountDisplayName:string, IsAdminOperation:bool, DeviceType:string, OSPlatform:string, IPAddress:string, IsAnonymousProxy:bool, CountryCode:string, City:string, ISP:string, UserAgent:string, ActivityType:string, ActivityObjects:dynamic, ObjectName:string, ObjectType:string, ObjectId:string, ReportId:string, AccountType:string, IsExternalUser:bool, IsImpersonated:bool, IPTags:dynamic, IPCategory:string, UserAgentTags:dynamic, RawEventData:dynamic, AdditionalFields:dynamic)',
};
