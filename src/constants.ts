/** Ids of the contributions in package.json, and setting keys, in one place. */
export const EXT = 'defenderIncidents';
export const VIEW_ID = `${EXT}.incidents`;
export const PANEL_VIEW_TYPE = `${EXT}.incident`;
export const OUTPUT_NAME = 'Defender Incidents';
export const SECRET_KEY = `${EXT}.clientSecret`;
export const PORTAL_ORIGIN = 'https://security.microsoft.com';

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
} as const;

/** Context keys, set with `setContext`, used in package.json `when` clauses. */
export const ContextKeys = {
  state: `${EXT}.state`,
  backend: `${EXT}.backend`,
  filtered: `${EXT}.filtered`,
  canRename: `${EXT}.canRename`,
} as const;

export const MOCK_USER = 'analyst@contoso.com';
