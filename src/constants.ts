/** Ids of the contributions in package.json, setting keys, context keys and state keys, in one place. */
export const EXT = 'defenderIncidents';
export const VIEW_ID = `${EXT}.incidents`;
export const PANEL_VIEW_TYPE = `${EXT}.incident`;
export const OUTPUT_NAME = 'Defender Incidents';
export const SECRET_KEY = `${EXT}.clientSecret`;

/** Every command package.json declares (`defenderIncidents.<name>`); the registrar registers each by these. */
export const Commands = {
  refresh: `${EXT}.refresh`,
  filter: `${EXT}.filter`,
  search: `${EXT}.search`,
  clearFilter: `${EXT}.clearFilter`,
  savedFilters: `${EXT}.savedFilters`,
  saveFilter: `${EXT}.saveFilter`,
  groupBy: `${EXT}.groupBy`,
  sortBy: `${EXT}.sortBy`,
  loadMore: `${EXT}.loadMore`,
  showMoreInGroup: `${EXT}.showMoreInGroup`,
  showMyIncidents: `${EXT}.showMyIncidents`,
  showOverdue: `${EXT}.showOverdue`,
  assignToMe: `${EXT}.assignToMe`,
  assignTo: `${EXT}.assignTo`,
  unassign: `${EXT}.unassign`,
  setStatus: `${EXT}.setStatus`,
  resolve: `${EXT}.resolve`,
  reopen: `${EXT}.reopen`,
  classify: `${EXT}.classify`,
  addComment: `${EXT}.addComment`,
  rename: `${EXT}.rename`,
  setSeverity: `${EXT}.setSeverity`,
  editTags: `${EXT}.editTags`,
  openIncident: `${EXT}.openIncident`,
  openInPortal: `${EXT}.openInPortal`,
  copyId: `${EXT}.copyId`,
  copyLink: `${EXT}.copyLink`,
  exportMarkdown: `${EXT}.exportMarkdown`,
  switchBackend: `${EXT}.switchBackend`,
  signIn: `${EXT}.signIn`,
  signOut: `${EXT}.signOut`,
  setClientSecret: `${EXT}.setClientSecret`,
  resetMockData: `${EXT}.resetMockData`,
  showLog: `${EXT}.showLog`,
  triage: `${EXT}.triage`,
  nextNeedingAttention: `${EXT}.nextNeedingAttention`,
  previousNeedingAttention: `${EXT}.previousNeedingAttention`,
  openAndFocus: `${EXT}.openAndFocus`,
  // First contact (issue 19): the walkthrough's steps, Check Connection, Copy Diagnostics.
  chooseApi: `${EXT}.chooseApi`,
  copyPermissions: `${EXT}.copyPermissions`,
  setTenantAndClient: `${EXT}.setTenantAndClient`,
  chooseSignIn: `${EXT}.chooseSignIn`,
  checkConnection: `${EXT}.checkConnection`,
  copyDiagnostics: `${EXT}.copyDiagnostics`,
  connectWalkthrough: `${EXT}.connectWalkthrough`,
  // Agent tools (#18): the MCP server for other agents.
  startMcpServer: `${EXT}.startMcpServer`,
  stopMcpServer: `${EXT}.stopMcpServer`,
  // Hunting (src/hunting/)
  huntFromIncident: `${EXT}.huntFromIncident`,
  huntFor: `${EXT}.huntFor`,
  runHuntingQuery: `${EXT}.runHuntingQuery`,
  addHuntResultToIncident: `${EXT}.addHuntResultToIncident`,
  signInForHunting: `${EXT}.signInForHunting`,
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/** Setting keys under `defenderIncidents.`; `settingId` gives the full id for `affectsConfiguration`. */
export const Settings = {
  backend: 'backend',
  apiBaseUrl: 'apiBaseUrl',
  authorityHost: 'authorityHost',
  tenantId: 'tenantId',
  clientId: 'clientId',
  authMethod: 'authMethod',
  userPrincipalName: 'userPrincipalName',
  requireClassificationToResolve: 'requireClassificationToResolve',
  refreshInterval: 'refreshInterval',
  notifyNewHighSeverity: 'notifyNewHighSeverity',
  maxGroupSize: 'maxGroupSize',
  savedFilters: 'savedFilters',
  sla: 'sla',
  maxQueueSize: 'maxQueueSize',
  /** Agent tools (#18): writes through the MCP server (application scope). */
  agentMcpAllowWrites: 'agent.mcpAllowWrites',
} as const;

export type SettingKey = (typeof Settings)[keyof typeof Settings];

export function settingId(key: SettingKey): string {
  return `${EXT}.${key}`;
}

/** Context keys, set with `setContext`, used in package.json `when` clauses. */
export const ContextKeys = {
  state: `${EXT}.state`,
  backend: `${EXT}.backend`,
  filtered: `${EXT}.filtered`,
  /** Whether the backend can rename incidents (hides Rename Incident... where it cannot). */
  canRename: `${EXT}.canRename`,
  /** Whether the backend can change an incident's severity (hides Set Severity... where it cannot). */
  canChangeSeverity: `${EXT}.canChangeSeverity`,
  /** Set by Check Connection: the incidents could be read (completes the walkthrough's last step). */
  connectionWorks: `${EXT}.connectionWorks`,
} as const;

/** Keys of the workspace state (per workspace, not synced). */
export const WorkspaceKeys = {
  groupBy: 'groupBy',
  sortBy: 'sortBy',
} as const;

export const MOCK_USER = 'analyst@contoso.com';
