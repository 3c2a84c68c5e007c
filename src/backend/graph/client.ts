/**
 * Microsoft Graph security API v1.0 (`/v1.0/security/incidents`, `/v1.0/security/alerts_v2`).
 * Since December 2024 an incident's displayName, severity, description and resolvingComment are
 * writable too; alerts can be updated (the assign/resolve cascade). The shared skeleton is `BaseClient`;
 * this file is the dialect. No `vscode` import.
 */
import type { Alert, AlertPatch, Comment, Incident, IncidentPatch } from '../../model/types';
import { toGraphEnum } from '../../model/enums';
import { BaseClient, type ClientOptions, type WireList } from '../baseClient';
import { applyPatch, resolvingCommentLanded } from '../common';
import type { HttpMethod } from '../transport';
import { queryString } from '../odata';
import type { ODataDialect } from '../../model/query';
import { capabilitiesOf } from '../../model/backends';
import { wireName } from '../../model/fields';
import type { BackendCapabilities } from '../types';
import type { Json } from '../wire';
import { GRAPH_SOURCE, graphAlertPatchBody, graphPatchBody, mapGraphAlert, mapGraphCommentList, mapGraphIncident, mapGraphList } from './mapping';

export type GraphClientOptions = ClientOptions;

const INCIDENTS = '/v1.0/security/incidents';
/** Graph names its times `...DateTime` (the field table's wire names) and spells enums in camelCase. */
export const GRAPH_ODATA: ODataDialect = { property: f => wireName(f, 'graph'), enumValue: toGraphEnum };

export class GraphClient extends BaseClient {
  readonly capabilities: BackendCapabilities = capabilitiesOf('graph');
  protected readonly odata = GRAPH_ODATA;
  protected readonly skipPaging = false;
  protected readonly rereadAlert = true;
  protected readonly source = GRAPH_SOURCE;

  constructor(opts: GraphClientOptions) {
    // Without it, Graph folds newer enum members into unknownFutureValue and we would show less than it knows.
    super(opts, 'graph', { Prefer: 'include-unknown-enum-members' });
  }

  protected listPath(filter: string | undefined, top: number): string {
    // `$count=true`: the first page says how many incidents match, so the queue can count all of them up front.
    return `${INCIDENTS}${queryString([
      ['$expand', 'alerts'],
      ['$filter', filter],
      ['$top', top],
      ['$count', 'true'],
    ])}`;
  }

  protected readPath(id: string): string {
    return `${this.incidentPath(id)}?$expand=alerts`;
  }
  protected incidentPath(id: string): string {
    return `${INCIDENTS}/${encodeURIComponent(id)}`;
  }
  protected mapList(data: unknown): WireList {
    const l = mapGraphList(data);
    const count = typeof data === 'object' && data !== null ? (data as Record<string, unknown>)['@odata.count'] : undefined;
    const total = typeof count === 'number' && Number.isSafeInteger(count) && count >= 0 ? count : undefined;
    return { ...l, rawCount: l.items.length, ...(total !== undefined ? { total } : {}) };
  }
  protected mapIncident(data: unknown): Incident {
    return mapGraphIncident(data);
  }
  protected patchBody(patch: IncidentPatch, comment: string | undefined): Json {
    return graphBody(patch, comment);
  }

  protected commentRequest(id: string, text: string): { method: HttpMethod; path: string; body: Json } {
    return { method: 'POST', path: `${this.incidentPath(id)}/comments`, body: { '@odata.type': 'microsoft.graph.security.alertComment', comment: text } };
  }

  protected commentsFromAnswer(data: unknown): Comment[] {
    return mapGraphCommentList(data);
  }
  protected alertPath(alertId: string): string {
    return `/v1.0/security/alerts_v2/${encodeURIComponent(alertId)}`;
  }
  protected alertBody(patch: AlertPatch): Json {
    return graphAlertPatchBody(patch);
  }
  protected mapAlert(data: unknown): Alert {
    return mapGraphAlert(data);
  }

  /** The PATCH answer has no $expand: keep the alerts just read rather than showing none. */
  protected override fromWriteAnswer(data: unknown, before: Incident | undefined): Incident | undefined {
    if (data === undefined) {
      return undefined;
    }
    const incident = mapGraphIncident(data);
    const hasAlerts = typeof data === 'object' && data !== null && 'alerts' in data;
    if (hasAlerts) {
      return incident;
    }
    return before ? { ...incident, alerts: before.alerts } : undefined;
  }

  /** The resolving comment is the incident's own property (should Graph also list it, a new comment counts too). */
  protected override resolvingLanded(before: Incident, now: Incident, comment: string, author: string | undefined): boolean {
    return resolvingCommentLanded(before, now, comment, author);
  }

  protected override assumeResolved(before: Incident, patch: IncidentPatch): Incident {
    return applyPatch(before, patch);
  }
}

/**
 * The PATCH body in Graph's names: the mapping's fields (displayName and severity among them, writable
 * since December 2024) plus the description and the resolving comment, which are not in the field table.
 */
function graphBody(patch: IncidentPatch & { description?: string | null }, comment: string | undefined): Json {
  const { resolvingComment: _own, ...fields } = patch;
  const body = graphPatchBody(fields);
  if (patch.description !== undefined && body.description === undefined) {
    body.description = patch.description;
  }
  if (comment) {
    body.resolvingComment = comment;
  }
  return body;
}
