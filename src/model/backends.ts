/**
 * The one table of backends: for each API the extension speaks, its names, what it can do, the request
 * budgets it is paced under, the permission each operation needs (and so the words a 403 shows), its
 * default host and token scope. Code asks a descriptor ("can it rename?", "does it give a priority
 * score?"), never `kind === 'graph'`: a new backend is one row here plus its dialect folder under
 * src/backend/. Pure data; imports nothing outside the model.
 */

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
  /** Whether `$filter` with `or` is documented; where not, a refused `or` falls back to the client. */
  documentedOrFilter: boolean;
  /** Whether advanced hunting (runHuntingQuery) is reachable with this backend's sign-in. */
  canHunt: boolean;
  /** Largest `$top` the API accepts. */
  maxPageSize: number;
  /** Requests per minute the client paces itself under (shared by every caller). */
  requestsPerMinute: number;
  /** Requests per hour it also paces under, where the API counts them; null = none. */
  requestsPerHour: number | null;
  /** The permission each operation needs, as the API's docs name it; absent = the 403 names none. */
  permissions: Partial<Record<Operation, string>>;
  /** What a signed-in user needs besides the permission, appended to a 403's words. */
  roleNote?: string;
  /** The default API origin; '' for the mock (its URL comes at run time). */
  defaultApiBaseUrl: string;
  /** The token audience of the public cloud; '' for the mock. */
  publicScope: string;
  /** How a base URL with the API's version path is recognised (it would double up with ours). */
  versionSuffix?: RegExp;
  /** In the "VS Code's own client cannot get tokens for the ... API" sentence. */
  tokenAudienceName: string;
}

export const BACKENDS: Readonly<Record<BackendKind, BackendDescriptor>> = Object.freeze({
  mock: {
    kind: 'mock', displayName: 'mock backend', shortName: 'mock backend',
    pickLabel: 'Mock', pickDescription: 'built-in sample data, no account',
    canRename: true, canChangeSeverity: true, canUpdateAlerts: true, hasPriorityScore: false, documentedOrFilter: true, canHunt: false,
    maxPageSize: 100, requestsPerMinute: 6000, requestsPerHour: null,
    permissions: {}, defaultApiBaseUrl: '', publicScope: '', tokenAudienceName: 'mock',
  },
  defender: {
    kind: 'defender', displayName: 'Microsoft Defender XDR API', shortName: 'Defender API',
    pickLabel: 'Microsoft Defender XDR API', pickDescription: 'api.security.microsoft.com',
    canRename: false, canChangeSeverity: false, canUpdateAlerts: false, hasPriorityScore: false, documentedOrFilter: false, canHunt: false,
    // 45/min and 1,400/h keep under the documented 50/min and 1,500/h per tenant and app.
    maxPageSize: 100, requestsPerMinute: 45, requestsPerHour: 1400,
    permissions: {
      readIncidents: 'Incident.Read.All (application) or Incident.Read (delegated)',
      writeIncidents: 'Incident.ReadWrite.All (application) or Incident.ReadWrite (delegated)',
    },
    defaultApiBaseUrl: 'https://api.security.microsoft.com', publicScope: 'https://api.security.microsoft.com/.default',
    versionSuffix: /\/api$/i, tokenAudienceName: 'Defender XDR',
  },
  graph: {
    kind: 'graph', displayName: 'Microsoft Graph security API', shortName: 'Graph API',
    pickLabel: 'Microsoft Graph security API', pickDescription: 'graph.microsoft.com/v1.0/security',
    canRename: true, canChangeSeverity: true, canUpdateAlerts: true, hasPriorityScore: true, documentedOrFilter: true, canHunt: true,
    maxPageSize: 50, requestsPerMinute: 140, requestsPerHour: null,
    permissions: {
      readIncidents: 'SecurityIncident.Read.All', writeIncidents: 'SecurityIncident.ReadWrite.All',
      readAlerts: 'SecurityAlert.Read.All', writeAlerts: 'SecurityAlert.ReadWrite.All',
    },
    roleNote: 'signed-in users also need the Microsoft Entra role Security Operator or Security Administrator',
    defaultApiBaseUrl: 'https://graph.microsoft.com', publicScope: 'https://graph.microsoft.com/.default',
    versionSuffix: /\/(v1\.0|beta)$/i, tokenAudienceName: 'Graph security',
  },
});

export function isBackendKind(v: unknown): v is BackendKind {
  return typeof v === 'string' && (BACKEND_KINDS as readonly string[]).includes(v);
}

export function backendDescriptor(kind: BackendKind): BackendDescriptor {
  return BACKENDS[kind];
}

/** The capabilities that gate an edit of a field. */
export type EditCapability = 'canRename' | 'canChangeSeverity';

/** The real APIs (not the mock) that can do what `kind` cannot, for "... the Graph security API can". */
export function othersThatCan(kind: BackendKind, cap: EditCapability | 'canUpdateAlerts'): BackendDescriptor[] {
  if (BACKENDS[kind][cap]) return [];
  return BACKEND_KINDS.filter(k => k !== kind && k !== 'mock' && BACKENDS[k][cap]).map(k => BACKENDS[k]);
}

/** The words of a 403 for an operation on a backend. */
export function permissionWords(kind: BackendKind, op: Operation): string {
  const d = BACKENDS[kind];
  const perm = d.permissions[op];
  if (!perm) return `Access denied (403) by the ${d.shortName}.`;
  if (d.roleNote) return `Access denied (403): the ${d.shortName} needs the permission ${perm}; ${d.roleNote}.`;
  const doing = op === 'writeIncidents' || op === 'writeAlerts' ? 'changing' : 'reading';
  const what = op === 'readAlerts' || op === 'writeAlerts' ? 'alerts' : 'incidents';
  return `Access denied (403): ${doing} ${what} on the ${d.shortName} needs the permission ${perm}.`;
}
