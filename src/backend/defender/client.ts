/**
 * Microsoft Defender XDR incidents API (`/api/incidents`), and the built-in mock, which speaks the same
 * dialect plus rename, severity and `PATCH /api/alerts/{id}`. The shared skeleton is `BaseClient`; this
 * file is the dialect. No `vscode` import.
 */
import type { Alert, AlertPatch, Comment, Incident, IncidentPatch } from '../../model/types';
import { toDefenderEnum } from '../../model/enums';
import { BaseClient, type ClientOptions, type FilterFallback, type WireList } from '../baseClient';
import { BackendError } from '../errors';
import type { HttpMethod } from '../transport';
import { queryString } from '../odata';
import type { IncidentQuery, ODataDialect, ServerFilterField } from '../../model/query';
import { BACKENDS, capabilitiesOf } from '../../model/backends';
import { wireName } from '../../model/fields';
import type { BackendCapabilities } from '../types';
import type { Json } from '../wire';
import { DEFENDER_SOURCE, defenderAlertPatchBody, defenderPatchBody, mapDefenderAlert, mapDefenderIncident, mapDefenderList } from './mapping';

export interface DefenderClientOptions extends ClientOptions {
  /** The built-in mock: can rename, change severity and update alerts via PATCH /api/alerts/{id}. */
  mock?: boolean;
}

/** Defender's `$filter` names are the field table's wire names; enums are the domain's PascalCase. */
export const DEFENDER_ODATA: ODataDialect = { property: f => wireName(f, 'defender'), enumValue: toDefenderEnum };

export class DefenderClient extends BaseClient {
  readonly capabilities: BackendCapabilities;
  protected readonly odata = DEFENDER_ODATA;
  protected readonly skipPaging = true;
  protected readonly rereadAlert = false;
  protected readonly source = DEFENDER_SOURCE;
  /**
   * `$filter` with `or` is not documented for this API: once the server refuses one (400), several
   * statuses are filtered on the client for the rest of this client's life.
   */
  private statusOrRefused = false;

  constructor(opts: DefenderClientOptions) {
    const mock = opts.mock === true;
    super(opts, mock ? 'mock' : 'defender');
    this.capabilities = capabilitiesOf(mock ? 'mock' : 'defender');
  }

  protected listPath(filter: string | undefined, top: number, skip: number): string {
    return `/api/incidents${queryString([
      ['$filter', filter],
      ['$top', top],
      ['$skip', skip || undefined],
    ])}`;
  }

  protected readPath(id: string): string {
    return this.incidentPath(id);
  }
  protected incidentPath(id: string): string {
    return `/api/incidents/${encodeURIComponent(id)}`;
  }
  protected mapList(data: unknown): WireList {
    return mapDefenderList(data);
  }
  protected mapIncident(data: unknown): Incident {
    return mapDefenderIncident(data);
  }

  /** Only the fields that change; a resolving comment is the same PATCH's `comment`. */
  protected patchBody(patch: IncidentPatch, comment: string | undefined): Json {
    const { resolvingComment: _inComment, ...fields } = patch;
    const body = defenderPatchBody(fields);
    if (comment) {
      body.comment = comment;
    }
    return body;
  }

  protected commentRequest(id: string, text: string): { method: HttpMethod; path: string; body: Json } {
    return { method: 'PATCH', path: this.incidentPath(id), body: { comment: text } };
  }

  protected commentsFromAnswer(data: unknown): Comment[] {
    return mapDefenderIncident(data).comments;
  }
  protected alertPath(alertId: string): string {
    return `/api/alerts/${encodeURIComponent(alertId)}`;
  }
  protected alertBody(patch: AlertPatch): Json {
    return defenderAlertPatchBody(patch);
  }
  protected mapAlert(data: unknown): Alert {
    return mapDefenderAlert(data, '');
  }

  /** Without status while the server refuses `or` and the query has several statuses. */
  protected override serverFiltersFor(q: IncidentQuery): readonly ServerFilterField[] {
    const all = this.capabilities.serverFilters;
    return this.statusOrRefused && sendsStatusOr(q) ? all.filter(f => f !== 'status') : all;
  }

  protected override refusedFilter(e: unknown, q: IncidentQuery): FilterFallback | undefined {
    if (BACKENDS[this.capabilities.kind].documentedOrFilter) {
      return undefined;
    }
    if (!(e instanceof BackendError && e.status === 400) || this.statusOrRefused || !sendsStatusOr(q)) {
      return undefined;
    }
    return {
      apply: () => {
        this.statusOrRefused = true;
      },
      undo: () => {
        this.statusOrRefused = false;
      },
      message: `${this.capabilities.displayName}: the server refused a $filter with "or" (400: ${e.message}); filtering several statuses on the client from now on.`,
    };
  }
}

/** Whether the server query for `q` carries `status eq a or status eq b`. */
function sendsStatusOr(q: IncidentQuery): boolean {
  return (q.statuses?.length ?? 0) > 1;
}
