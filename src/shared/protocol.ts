/**
 * The messages between the management pane (webview/main.ts) and the extension (src/panel/).
 * One module, imported by both sides. No `vscode` import, no DOM: plain data and validators.
 *
 * The webview renders attacker-controlled text, so the extension treats every message from it as
 * untrusted: `parseWebviewMessage` returns a typed message or `undefined` (dropped).
 */
import { DETERMINATIONS_BY_CLASSIFICATION, type Incident, type Classification, type Determination } from '../model/types';
import { PANE_STATUSES, SETTABLE_CLASSIFICATIONS, SETTABLE_SEVERITIES } from '../model/rules';
import {
  COMMENT_MAX_LENGTH,
  EMAIL_MAX_LENGTH,
  MAX_TAGS,
  NAME_MAX_LENGTH,
  TAG_MAX_LENGTH,
  normalizeTags,
  type Drafts,
  type TriageAction,
  type UiAction,
} from '../model/actions';
import type { TimelineEntry } from '../model/timeline';
import type { BackendKind } from '../model/backends';

// The action union, its limits and the timeline rows are the model's; the pane's messages carry them.
export { COMMENT_MAX_LENGTH, EMAIL_MAX_LENGTH, MAX_TAGS, NAME_MAX_LENGTH, TAG_MAX_LENGTH, type Drafts };
export type { TimelineEntry, TimelineKind, TimelineState } from '../model/timeline';
import { HUNT_KINDS, type HuntKind } from '../model/evidenceTypes';

/** What a backend can do, as the pane needs to know it. */
export interface PaneCapabilities {
  backendName: string;
  /** Which API it is, so the pane can say where a missing capability exists (src/model/backends.ts). */
  backendKind: BackendKind;
  canRename: boolean;
  canChangeSeverity: boolean;
  canUpdateAlerts: boolean;
}

export interface PaneState {
  incident: Incident;
  timeline: TimelineEntry[];
  capabilities: PaneCapabilities;
  me: string;
  knownOwners: string[];
  requireClassificationToResolve: boolean;
  drafts: Drafts;
  portalUrl: string;
  /**
   * The SLA clocks as the queue shows them (issue 19): the row's words ("overdue 1 h 12 m"), its state,
   * and the tooltip's lines ("Time to resolve: 4 h, overdue 5 m"), computed by the host at `at`. Absent
   * when the policy has no clock for the incident.
   */
  sla?: PaneSla;
}

export interface PaneSla {
  state: 'overdue' | 'dueSoon' | 'onTime';
  summary: string;
  clocks: string[];
}

/** What the pane may ask for: the model's actions (all but adding one tag, which the pane does by setTags) and its own. */
export type PaneAction = Exclude<TriageAction, { kind: 'addTag' }> | UiAction;

/**
 * Webview → extension. A request carries an `id`; the extension answers with a response of the same id.
 * It names the incident it is for: a preview pane switches incidents by message, and the extension refuses
 * a request whose incident is not the one the pane shows now. `force` on a request means "apply mine on
 * top" after a conflict was shown.
 */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'request'; id: number; incidentId: string; action: PaneAction; force?: boolean }
  /** `incidentId` names whose drafts these are: a preview pane can switch incidents while a save is on its way. */
  | { type: 'drafts'; drafts: Drafts; incidentId?: string }
  /** How long the pane took to update its DOM for a state (`initial`: the first paint), in milliseconds. */
  | { type: 'rendered'; ms: number; reason: RenderReason; incidentId: string }
  /** The user asked to open this incident again on the connection now in effect (after a switch). */
  | { type: 'reopen' };

/** Why the pane rendered: its first state, another incident (preview switch), after an action of its own, or any other change. */
export type RenderReason = 'initial' | 'switch' | 'action' | 'update';
export const RENDER_REASONS: ReadonlySet<string> = new Set<RenderReason>(['initial', 'switch', 'action', 'update']);
/** Longest render time a `rendered` message may report; anything longer is not a measurement. */
export const RENDER_MS_MAX = 60_000;

export interface ErrorInfo {
  kind: string;
  message: string;
  /** For kind 'conflict': what changed on the server. */
  changes?: { field: string; from: string | null; to: string | null }[];
}

/** Extension → webview. */
export type ExtensionMessage =
  | { type: 'state'; state: PaneState }
  /** `warning`: what the backend could not do although the action succeeded (shown until the next action). */
  | { type: 'response'; id: number; ok: true; message?: string; warning?: string }
  | { type: 'response'; id: number; ok: false; error: ErrorInfo }
  | { type: 'progress'; message: string | null }
  /**
   * The connection (backend, API host, tenant) changed since the pane opened: `stale` names both, and
   * every action of the pane is refused until it is reopened; null when it is the pane's own again.
   */
  | { type: 'connection'; stale: { was: string; now: string } | null };

/** Most text the pane may put on the clipboard. */
export const COPY_MAX_LENGTH = 100_000;
/** Longest evidence value "Hunt for this" may carry (the hunting commands take no more). */
export const HUNT_VALUE_MAX_LENGTH = 4000;
const HUNT_KIND_VALUES: ReadonlySet<string> = new Set(HUNT_KINDS);
/** Most requests a pane may send in one second; the extension refuses the rest with an error. */
export const MAX_REQUESTS_PER_SECOND = 20;
/** Longest incident id a message may name. The extension compares it with its own id; this only bounds it. */
export const INCIDENT_ID_MAX_LENGTH = 1000;

/** An incident id a message may carry: the pane checks before sending, the extension on receipt. */
export function isIncidentId(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= INCIDENT_ID_MAX_LENGTH;
}

/**
 * The values a request may carry, each from the model's rules (one source: test/unit/protocol.test.ts
 * pins them). Determinations: every one valid for some settable classification (deprecated ones are not).
 */
export const PROTOCOL_VALUES: Readonly<Record<'status' | 'classification' | 'determination' | 'severity', ReadonlySet<string>>> = {
  status: new Set<string>(PANE_STATUSES),
  classification: new Set<string>(SETTABLE_CLASSIFICATIONS),
  determination: new Set<string>(SETTABLE_CLASSIFICATIONS.flatMap(c => DETERMINATIONS_BY_CLASSIFICATION[c])),
  severity: new Set<string>(SETTABLE_SEVERITIES),
};
const STATUS_VALUES = PROTOCOL_VALUES.status;
const CLASSIFICATION_VALUES = PROTOCOL_VALUES.classification;
const DETERMINATION_VALUES = PROTOCOL_VALUES.determination;
const SEVERITY_VALUES = PROTOCOL_VALUES.severity;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function str(v: unknown, max: number, allowEmpty = false): v is string {
  return typeof v === 'string' && v.length <= max && (allowEmpty || v.trim().length > 0);
}
function optStr(v: unknown, max: number): boolean {
  return v === undefined || (typeof v === 'string' && v.length <= max);
}

function parseAction(a: unknown): PaneAction | undefined {
  if (!isObj(a) || typeof a.kind !== 'string') return undefined;
  switch (a.kind) {
    case 'assignToMe':
    case 'openPortal':
    case 'refresh':
    case 'huntFromIncident':
      return { kind: a.kind };
    case 'huntFor': {
      const t = a.target;
      if (!isObj(t) || typeof t.kind !== 'string' || !HUNT_KIND_VALUES.has(t.kind) || !str(t.value, HUNT_VALUE_MAX_LENGTH)) return undefined;
      return { kind: 'huntFor', target: { kind: t.kind as HuntKind, value: t.value } };
    }
    case 'assign':
      if (a.to === null) return { kind: 'assign', to: null };
      return str(a.to, EMAIL_MAX_LENGTH) ? { kind: 'assign', to: a.to.trim() } : undefined;
    case 'setStatus': {
      if (typeof a.status !== 'string' || !STATUS_VALUES.has(a.status)) return undefined;
      if (a.classification !== undefined && (typeof a.classification !== 'string' || !CLASSIFICATION_VALUES.has(a.classification))) return undefined;
      if (a.determination !== undefined && (typeof a.determination !== 'string' || !DETERMINATION_VALUES.has(a.determination))) return undefined;
      if (!optStr(a.comment, COMMENT_MAX_LENGTH)) return undefined;
      const out: PaneAction = { kind: 'setStatus', status: a.status };
      if (a.classification !== undefined) out.classification = a.classification as Classification;
      if (a.determination !== undefined) out.determination = a.determination as Determination;
      if (typeof a.comment === 'string' && a.comment.trim()) out.comment = a.comment;
      return out;
    }
    case 'classify':
      if (typeof a.classification !== 'string' || !CLASSIFICATION_VALUES.has(a.classification)) return undefined;
      if (typeof a.determination !== 'string' || !DETERMINATION_VALUES.has(a.determination)) return undefined;
      return { kind: 'classify', classification: a.classification, determination: a.determination };
    case 'rename':
      return str(a.name, NAME_MAX_LENGTH) ? { kind: 'rename', name: a.name.trim() } : undefined;
    case 'setSeverity':
      return typeof a.severity === 'string' && SEVERITY_VALUES.has(a.severity) ? { kind: 'setSeverity', severity: a.severity } : undefined;
    case 'setTags':
      if (!Array.isArray(a.tags) || a.tags.length > MAX_TAGS || !a.tags.every(t => str(t, TAG_MAX_LENGTH))) return undefined;
      return { kind: 'setTags', tags: normalizeTags(a.tags as string[]) };
    case 'addComment':
      return str(a.text, COMMENT_MAX_LENGTH) && str(a.clientId, 100) ? { kind: 'addComment', text: a.text, clientId: a.clientId } : undefined;
    case 'retryComment':
    case 'discardComment':
      return str(a.clientId, 100) ? { kind: a.kind, clientId: a.clientId } : undefined;
    case 'copyText':
      return str(a.text, COPY_MAX_LENGTH, true) ? { kind: 'copyText', text: a.text } : undefined;
    default:
      return undefined;
  }
}

/** Validates a message from the webview; anything ill-formed is `undefined` and must be dropped. */
export function parseWebviewMessage(m: unknown): WebviewMessage | undefined {
  if (!isObj(m) || typeof m.type !== 'string') return undefined;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'reopen':
      return { type: 'reopen' };
    case 'request': {
      if (typeof m.id !== 'number' || !Number.isSafeInteger(m.id) || m.id < 0) return undefined;
      if (!isIncidentId(m.incidentId)) return undefined;
      const action = parseAction(m.action);
      if (!action) return undefined;
      const out: Extract<WebviewMessage, { type: 'request' }> = { type: 'request', id: m.id, incidentId: m.incidentId, action };
      if (m.force === true) out.force = true;
      return out;
    }
    case 'drafts': {
      const d = m.drafts;
      if (!isObj(d)) return undefined;
      if (
        !optStr(d.comment, COMMENT_MAX_LENGTH) ||
        !optStr(d.resolveComment, COMMENT_MAX_LENGTH) ||
        !optStr(d.name, NAME_MAX_LENGTH) ||
        !optStr(d.assignTo, EMAIL_MAX_LENGTH) ||
        !optStr(d.tags, MAX_TAGS * (TAG_MAX_LENGTH + 2))
      )
        return undefined;
      const drafts: Drafts = {};
      for (const k of ['comment', 'resolveComment', 'name', 'assignTo', 'tags'] as const)
        if (typeof d[k] === 'string' && d[k] !== '') drafts[k] = d[k] as string;
      if (m.incidentId === undefined) return { type: 'drafts', drafts };
      if (!isIncidentId(m.incidentId)) return undefined;
      return { type: 'drafts', drafts, incidentId: m.incidentId };
    }
    case 'rendered':
      if (typeof m.ms !== 'number' || !Number.isFinite(m.ms) || m.ms < 0 || m.ms > RENDER_MS_MAX) return undefined;
      if (typeof m.reason !== 'string' || !RENDER_REASONS.has(m.reason) || !isIncidentId(m.incidentId)) return undefined;
      return { type: 'rendered', ms: m.ms, reason: m.reason as RenderReason, incidentId: m.incidentId };
    default:
      return undefined;
  }
}
