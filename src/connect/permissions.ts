/**
 * What each API can do on first contact, and the exact application permission each capability needs:
 * one table read by the walkthrough's text, Check Connection and its report. No `vscode` import.
 */
import type { BackendKind } from '../backend/types';

export type Capability = 'incidents' | 'alerts' | 'hunting';

export interface CapabilityNeeds {
  capability: Capability;
  /** What the user gets from it, in a few words. */
  what: string;
  /** The application permission a read needs (the least one). */
  read: string;
  /** The permission the writes of this capability need, or null when the API has no writes for it. */
  write: string | null;
  /** The writes, named for the report ("assign, status, classification, comments, tags"). */
  writes: string;
  /** The API that serves it (hunting is always on Microsoft Graph). */
  api: 'defender' | 'graph';
}

export interface ApiDescription {
  kind: 'defender' | 'graph';
  title: string;
  /** One line: what it can do. */
  can: string;
  /** One line: what it cannot do. */
  cannot: string;
  /** The token audience of the app registration's "API permissions" page. */
  resource: string;
  capabilities: readonly CapabilityNeeds[];
}

const HUNTING: CapabilityNeeds = {
  capability: 'hunting',
  what: 'Advanced hunting queries (KQL)',
  read: 'ThreatHunting.Read.All',
  write: null,
  writes: 'none (hunting only reads)',
  api: 'graph',
};

export const APIS: Readonly<Record<'defender' | 'graph', ApiDescription>> = {
  defender: {
    kind: 'defender',
    title: 'Microsoft Defender XDR API (api.security.microsoft.com)',
    can: 'Lists, assigns, sets status, classifies, comments and tags incidents; their alerts come embedded.',
    cannot: 'Cannot rename an incident, change its severity or update alerts; 50 calls a minute per app and tenant.',
    resource: 'Microsoft Threat Protection (APIs my organization uses)',
    capabilities: [
      {
        capability: 'incidents',
        what: 'Incidents: the queue and every triage action',
        read: 'Incident.Read.All',
        write: 'Incident.ReadWrite.All',
        writes: 'assign, status, classification, comments, tags',
        api: 'defender',
      },
      {
        capability: 'alerts',
        what: 'Alerts of an incident (embedded in the incident)',
        read: 'Incident.Read.All',
        write: null,
        writes: 'none (the Defender API cannot update alerts)',
        api: 'defender',
      },
      HUNTING,
    ],
  },
  graph: {
    kind: 'graph',
    title: 'Microsoft Graph security API (graph.microsoft.com)',
    can: 'Everything the Defender API does, plus rename, severity change and updating alerts (the assign/resolve cascade).',
    cannot: 'Lists at most 50 incidents a page; reads alerts with a second permission; delegated users also need a Security Operator role.',
    resource: 'Microsoft Graph',
    capabilities: [
      {
        capability: 'incidents',
        what: 'Incidents: the queue and every triage action',
        read: 'SecurityIncident.Read.All',
        write: 'SecurityIncident.ReadWrite.All',
        writes: 'assign, status, classification, comments, tags, rename, severity',
        api: 'graph',
      },
      {
        capability: 'alerts',
        what: 'Alerts of an incident and the assign/resolve cascade',
        read: 'SecurityAlert.Read.All',
        write: 'SecurityAlert.ReadWrite.All',
        writes: 'alert owner and status when an incident is assigned or resolved',
        api: 'graph',
      },
      HUNTING,
    ],
  },
};

/** The API whose permissions apply: the mock speaks the Defender dialect. */
export function apiFor(kind: BackendKind): ApiDescription {
  return APIS[kind === 'graph' ? 'graph' : 'defender'];
}
