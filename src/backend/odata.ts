/**
 * The query string of a request. The `$filter` text is the model's (src/model/query.ts: literals, the
 * dialect interface and each field's clauses); the dialect only names the properties and spells the
 * enums. No `vscode` import.
 */

/** Builds `?a=b&c=d` keeping the `$` of OData option names readable and encoding the values. */
export function queryString(params: [string, string | number | undefined][]): string {
  const parts = params.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}
