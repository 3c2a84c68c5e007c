/** The hostile-string corpus and a pane state carrying one payload in every text field. */
import type { PaneState } from '../../src/shared/protocol';
import { showInvisibles } from '../../src/shared/text';
import { parseGraphEvidence } from '../../src/model/evidence';
import { alert, paneState } from './data';

export const MB = 1024 * 1024;
/** webview/dom.ts DISPLAY_LIMIT (that module needs the DOM lib, so it is not imported here). */
export const DISPLAY_LIMIT = 32_000;
export const BIG_UNIT = '<img src=x onerror=alert(1)>\u202E[x](command:workbench.action.terminal.new)<script>alert(2)</script>';
/** Stands for the 1 MB string in messages; see PaneHarness.deliverExpanded. */
export const BIG_PLACEHOLDER = '\u0001ONE_MEGABYTE\u0001';
export const BIG = BIG_UNIT.repeat(Math.ceil(MB / BIG_UNIT.length)).slice(0, MB);

export const HOSTILE: Record<string, string> = {
  script: '<script>alert(1)</script>',
  img: '<img src=x onerror=alert(1)>',
  javascriptLink: 'javascript:alert(document.domain)',
  commandLink: 'command:workbench.action.terminal.new',
  markdownLink: '[x](command:workbench.action.terminal.new)',
  svgBreakout: '"><svg onload=alert(1)>',
  attrBreakout: "' autofocus onfocus=alert(1) x='",
  bidiZeroWidth: 'invoice\u202Efdp.exe \u2066isolated\u2069 z\u200Be\u200Cr\u200Do\u2060w\uFEFFidth',
  entitiesAndTemplates: '&lt;b&gt;&amp;&#60;script&#62; ${alert(1)} {{constructor.constructor("alert(1)")()}}',
  scriptClose: '</script><script>alert(1)</script><!--\u2028\u2029',
  controlChars: 'nul\u0000bell\u0007 tab\t newline\n end',
  oneMegabyte: BIG,
};

export interface Expected {
  /** Exact textContent of some element with class "v" (a backend value); people's names with invisible characters shown. */
  values: string[];
  /** Exact textContent of some ".k" label (fields, detail keys). */
  keys: string[];
}

/** A state with `p` (plus a field marker, so each field's text is distinct) in every text field. */
export function hostileState(p: string, withDrafts: boolean): { state: PaneState; expected: Expected } {
  const f = (field: string) => `${p} ⟦${field}⟧`;
  const values: string[] = [];
  const keys: string[] = [];
  const v = (field: string) => {
    const s = f(field);
    values.push(s);
    return s;
  };
  const k = (field: string) => {
    const s = f(field);
    keys.push(s);
    return s;
  };
  // Owners, authors, account names and addresses: shown with `⟦U+200B⟧` for each invisible character.
  const person = (field: string) => {
    const s = f(field);
    values.push(showInvisibles(s));
    return s;
  };
  const state = paneState(
    {
      me: f('me'),
      knownOwners: [f('knownOwner')],
      capabilities: { backendName: f('backendName'), backendKind: 'defender', canRename: false, canChangeSeverity: false, canUpdateAlerts: true },
      drafts: withDrafts
        ? { comment: f('draftComment'), resolveComment: f('draftResolveComment'), name: f('draftName'), assignTo: f('draftAssign'), tags: f('draftTags') }
        : {},
      timeline: [
        { key: 'c1', kind: 'comment', time: v('commentTime'), author: person('commentAuthor'), text: v('commentText'), state: 'confirmed' },
        {
          key: 'c2',
          kind: 'comment',
          time: new Date().toISOString(),
          author: person('failedAuthor'),
          text: v('failedText'),
          state: 'failed',
          error: v('failedError'),
        },
        {
          key: 'j1',
          kind: 'change',
          time: new Date().toISOString(),
          author: person('changeAuthor'),
          text: 'x',
          field: k('changeField'),
          from: v('changeFrom'),
          to: v('changeTo'),
          state: 'confirmed',
        },
      ],
    },
    {
      id: f('id'),
      name: v('name'),
      description: v('description'),
      severity: v('severity'),
      status: v('status'),
      assignedTo: person('owner'),
      classification: v('classification'),
      determination: v('determination'),
      createdTime: v('createdTime'),
      lastUpdateTime: v('lastUpdateTime'),
      tags: [v('tag1'), v('tag2')],
      systemTags: [v('systemTag')],
      detectionSource: v('detectionSource'),
      resolvingComment: v('resolvingComment'),
      comments: [{ text: f('rawComment'), createdBy: f('rawCommentBy'), createdTime: f('rawCommentTime') }],
      alerts: [
        alert({
          id: f('alertId'),
          title: v('alertTitle'),
          description: v('alertDescription'),
          severity: v('alertSeverity'),
          status: v('alertStatus'),
          category: v('alertCategory'),
          serviceSource: v('alertServiceSource'),
          detectionSource: v('alertDetectionSource'),
          firstActivity: v('alertFirstActivity'),
          lastActivity: v('alertLastActivity'),
          mitreTechniques: [v('mitre')],
          // The alert's own device and entity lists (the tree's tooltips and the export read them); the pane shows the evidence below.
          devices: [
            {
              id: f('deviceId'),
              dnsName: f('deviceName'),
              osPlatform: f('os'),
              osBuild: null,
              healthStatus: f('health'),
              riskScore: f('risk'),
              firstSeen: f('firstSeen'),
            },
          ],
          entities: [
            { type: 'User', label: f('userName'), details: {} },
            { type: f('entityType'), label: f('otherEntity'), details: {} },
          ],
          // Evidence as the Graph mapping reads it: command lines, URLs, file names, roles, verdicts and unknown types.
          evidence: parseGraphEvidence(
            [
              {
                '@odata.type': '#microsoft.graph.security.deviceEvidence',
                deviceDnsName: v('deviceName'),
                mdeDeviceId: v('deviceId'),
                osPlatform: v('os'),
                healthStatus: v('health'),
                riskScore: v('risk'),
              },
              {
                '@odata.type': '#microsoft.graph.security.userEvidence',
                userAccount: { userPrincipalName: person('userName') },
                [k('userDetailKey')]: person('userDetailValue'),
              },
              { '@odata.type': '#microsoft.graph.security.mailboxEvidence', primaryAddress: person('mailbox') },
              { '@odata.type': '#microsoft.graph.security.ipEvidence', ipAddress: v('ip') },
              { '@odata.type': '#microsoft.graph.security.fileEvidence', fileDetails: { fileName: v('file'), sha256: v('fileHash') } },
              {
                '@odata.type': '#microsoft.graph.security.processEvidence',
                processCommandLine: v('commandLine'),
                roles: [v('evidenceRole')],
                verdict: v('evidenceVerdict'),
                remediationStatus: v('evidenceRemediation'),
                imageFile: { sha256: v('imageHash') },
                [k('evidenceFieldKey')]: v('evidenceFieldValue'),
              },
              { '@odata.type': '#microsoft.graph.security.urlEvidence', url: v('url') },
              { '@odata.type': v('entityType'), note: v('otherEntity') },
            ],
            f('alertId'),
          ).items,
          evidenceProblems: [v('evidenceProblem')],
        }),
      ],
    },
  );
  return { state, expected: { values, keys } };
}
