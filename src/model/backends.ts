/**
 * The one table of backends: for each API the extension speaks, its names, what it can do, the request
 * budgets it is paced under, the permission each operation needs (and so the words a 403 shows), its
 * default host and token scope. Code asks a descriptor ("can it rename?", "does it give a priority
 * score?"), never `kind === 'graph'`: a new backend is one row here plus its dialect folder under
 * src/backend/. Pure data; imports nothing outside the model.
 */
import type { ServerFilterField } from './odata';

/** The settings' values of `defenderIncidents.backend`. */
export const BACKEND_KINDS = ['mock', 'defender', 'graph'] as const;
export type BackendKind = (typeof BACKEND_KINDS)[number];

/** An operation whose 403 names a permission. */
export type Operation = 'readIncidents' | 'writeIncidents' | 'readAlerts' | 'writeAlerts';

export interface BackendDescriptor {
  kind: BackendKind;
  /** In sentences: "the Microsoft Graph security API cannot ...". */
  displayName: string;
  /** In the HTTP layer's short messages: "The Graph API is throttling requests". */
  shortName: string;
  /** In the backend picker. */
  pickLabel: string;
  pickDescription: string;
  canRename: boolean;
  canChangeSeverity: boolean;
  /** Whether alert updates (the assign/resolve cascade) are possible. */
  canUpdateAlerts: boolean;
  /** Whether incidents carry a priority score (the "priority" sort). */
  hasPriorityScore: boolean;
  /** Whether `$filter` with `or` is documented; where not, a refused `or` falls back to the client (the mock speaks Defender's dialect). */
  documentedOrFilter: boolean;
  /** The built-in mock server: no account, no sign-in, its data can be reset. */
  builtIn: boolean;
  /** Whether advanced hunting (runHuntingQuery) is reachable with this backend's sign-in. */
  canHunt: boolean;
  /** Largest `$top` the API accepts. */
  maxPageSize: number;
  /** Query fields the server filters on; the rest the store filters on the client. */
  serverFilters: readonly ServerFilterField[];
  /** Requests per minute the client paces itself under (shared by every caller). */
  requestsPerMinute: number;
  /** Requests per hour it also paces under, where the API counts them; null = none. */
  requestsPerHour: number | null;
  /** The permission each operation needs, as the API's docs name it; absent = the 403 names none. */
  permissions: Partial<Record<Operation, string>>;
  /** What a signed-in user needs besides the permission, appended to a 403's words. */
  roleNote?: string;
  /** The Microsoft cloud hosts (and their subdomains) the API may be reached at: the token is sent there. */
  apiDomains: readonly string[];
  /** The default API origin; '' for the mock (its URL comes at run time). */
  defaultApiBaseUrl: string;
  /** The token audience of the public cloud; '' for the mock. */
  publicScope: string;
  /** Hosts (regional ones too) that share the public audience; elsewhere the audience is the host's own. */
  publicScopeHosts?: RegExp;
  /** How a base URL with the API's version path is recognised (it would double up with ours). */
  versionSuffix?: RegExp;
  /** In the "VS Code's own client cannot get tokens for the ... API" sentence. */
  tokenAudienceName: string;
}

export const BACKENDS: Readonly<Record<BackendKind, BackendDescriptor>> = Object.freeze({
  mock: {
    kind: 'mock',
    displayName: 'mock backend',
    shortName: 'mock backend',
    pickLabel: 'Mock',
    pickDescription: 'built-in sample data, no account',
    builtIn: true,
    canRename: true,
    canChangeSeverity: true,
    canUpdateAlerts: true,
    hasPriorityScore: false,
    documentedOrFilter: false,
    canHunt: false,
    maxPageSize: 100,
    serverFilters: ['status', 'assignedTo', 'lastUpdateTime', 'createdTime'],
    requestsPerMinute: 6000,
    requestsPerHour: null,
    permissions: {},
    apiDomains: [],
    defaultApiBaseUrl: '',
    publicScope: '',
    tokenAudienceName: 'mock',
  },
  defender: {
    kind: 'defender',
    displayName: 'Microsoft Defender XDR API',
    shortName: 'Defender API',
    pickLabel: 'Microsoft Defender XDR API',
    pickDescription: 'api.security.microsoft.com',
    builtIn: false,
    canRename: false,
    canChangeSeverity: false,
    canUpdateAlerts: false,
    hasPriorityScore: false,
    documentedOrFilter: false,
    canHunt: false,
    // 45/min and 1,400/h keep under the documented 50/min and 1,500/h per tenant and app.
    maxPageSize: 100,
    serverFilters: ['status', 'assignedTo', 'lastUpdateTime', 'createdTime'],
    requestsPerMinute: 45,
    requestsPerHour: 1400,
    permissions: {
      readIncidents: 'Incident.Read.All (application) or Incident.Read (delegated)',
      writeIncidents: 'Incident.ReadWrite.All (application) or Incident.ReadWrite (delegated)',
    },
    apiDomains: ['security.microsoft.com', 'security.microsoft.us', 'securitycenter.microsoft.com', 'securitycenter.microsoft.us'],
    defaultApiBaseUrl: 'https://api.security.microsoft.com',
    publicScope: 'https://api.security.microsoft.com/.default',
    // Regional hosts (us.api.security...) share the public resource.
    publicScopeHosts: /^([a-z0-9-]+\.)*api\.security\.microsoft\.com$/i,
    versionSuffix: /\/api$/i,
    tokenAudienceName: 'Defender XDR',
  },
  graph: {
    kind: 'graph',
    displayName: 'Microsoft Graph security API',
    shortName: 'Graph API',
    pickLabel: 'Microsoft Graph security API',
    pickDescription: 'graph.microsoft.com/v1.0/security',
    builtIn: false,
    canRename: true,
    canChangeSeverity: true,
    canUpdateAlerts: true,
    hasPriorityScore: true,
    documentedOrFilter: true,
    canHunt: true,
    // Graph answers 400 above 50 for incidents.
    maxPageSize: 50,
    serverFilters: ['status', 'severity', 'assignedTo', 'classification', 'lastUpdateTime', 'createdTime'],
    requestsPerMinute: 140,
    requestsPerHour: null,
    permissions: {
      readIncidents: 'SecurityIncident.Read.All',
      writeIncidents: 'SecurityIncident.ReadWrite.All',
      readAlerts: 'SecurityAlert.Read.All',
      writeAlerts: 'SecurityAlert.ReadWrite.All',
    },
    roleNote: 'signed-in users also need the Microsoft Entra role Security Operator or Security Administrator',
    apiDomains: ['graph.microsoft.com', 'graph.microsoft.us', 'dod-graph.microsoft.us', 'microsoftgraph.chinacloudapi.cn'],
    defaultApiBaseUrl: 'https://graph.microsoft.com',
    publicScope: 'https://graph.microsoft.com/.default',
    versionSuffix: /\/(v1\.0|beta)$/i,
    tokenAudienceName: 'Graph security',
  },
});

/** An API reached over the network with an account (not the built-in mock). */
export type RealApiKind = Exclude<BackendKind, 'mock'>;

export function isRealApi(kind: BackendKind): kind is RealApiKind {
  return !BACKENDS[kind].builtIn;
}

export function isBackendKind(v: unknown): v is BackendKind {
  return typeof v === 'string' && (BACKEND_KINDS as readonly string[]).includes(v);
}

/** What a backend can do, as the `Backend` interface carries it (src/backend/types.ts re-exports it). */
export interface BackendCapabilities {
  kind: BackendKind;
  /** Human name for messages: "Microsoft Defender XDR API". */
  displayName: string;
  canRename: boolean;
  canChangeSeverity: boolean;
  /** Whether alert updates (the assign/resolve cascade) are possible. */
  canUpdateAlerts: boolean;
  /** Largest `$top` the API accepts. */
  maxPageSize: number;
  /** Query fields the server filters on; the rest the store filters on the client. */
  serverFilters: readonly ServerFilterField[];
  /** Requests per minute the client paces itself under (shared by every caller). */
  requestsPerMinute: number;
  /** Requests per hour it also paces under, where the API counts them (Defender); absent = none. */
  requestsPerHour?: number;
}

/** A backend's capabilities, from its descriptor. */
export function capabilitiesOf(kind: BackendKind): BackendCapabilities {
  const d = BACKENDS[kind];
  return {
    kind,
    displayName: d.displayName,
    canRename: d.canRename,
    canChangeSeverity: d.canChangeSeverity,
    canUpdateAlerts: d.canUpdateAlerts,
    maxPageSize: d.maxPageSize,
    serverFilters: d.serverFilters,
    requestsPerMinute: d.requestsPerMinute,
    ...(d.requestsPerHour !== null ? { requestsPerHour: d.requestsPerHour } : {}),
  };
}

/** The capabilities that gate an edit of a field. */
export type EditCapability = 'canRename' | 'canChangeSeverity';

/** The real APIs (not the mock) that can do what `kind` cannot, for "... the Graph security API can". */
export function othersThatCan(kind: BackendKind, cap: EditCapability | 'canUpdateAlerts'): BackendDescriptor[] {
  if (BACKENDS[kind][cap]) return [];
  return BACKEND_KINDS.filter(k => k !== kind && !BACKENDS[k].builtIn && BACKENDS[k][cap]).map(k => BACKENDS[k]);
}

/** "Graph security API": the name without the vendor, where a sentence already says whose it is. */
export function withoutVendor(d: BackendDescriptor): string {
  return d.displayName.replace(/^Microsoft /, '');
}

/** Where an API names no permission for alerts, its incidents' permission is what a 403 there lacks. */
const INCIDENTS_OP: Record<Operation, Operation> = {
  readIncidents: 'readIncidents',
  writeIncidents: 'writeIncidents',
  readAlerts: 'readIncidents',
  writeAlerts: 'writeIncidents',
};

/** The words of a 403 for an operation on a backend. */
export function permissionWords(kind: BackendKind, asked: Operation): string {
  const d = BACKENDS[kind];
  const op = d.permissions[asked] ? asked : INCIDENTS_OP[asked];
  const perm = d.permissions[op];
  if (!perm) return `Access denied (403) by the ${d.shortName}.`;
  if (d.roleNote) return `Access denied (403): the ${d.shortName} needs the permission ${perm}; ${d.roleNote}.`;
  const doing = op === 'writeIncidents' || op === 'writeAlerts' ? 'changing' : 'reading';
  const what = op === 'readAlerts' || op === 'writeAlerts' ? 'alerts' : 'incidents';
  return `Access denied (403): ${doing} ${what} on the ${d.shortName} needs the permission ${perm}.`;
}
