/**
 * Every text the commands and the watcher show in notifications, progress, quick picks, input boxes and
 * the status bar (src/commands/format.ts builds them all), from every string of the hostile corpus:
 * VS Code's notification link pattern and the codicon pattern match nothing.
 */
import { strict as assert } from 'assert';
import * as F from '../../src/commands/format';
import { runBulkLoop } from '../../src/commands/bulk';
import { AuthError, BackendError, ConfigError, ThrottledError } from '../../src/backend/errors';
import { describeFilter, filterEditorRows } from '../../src/store/filter';
import type { IncidentFilter } from '../../src/model/query';
import type { ActionResult } from '../../src/store/triage';
import { describeOutcome, Done, LEFT_OPEN, LEFT_UNASSIGNED } from '../../src/store/summary';
import { alert, incident } from '../support/builders';
import { CORPUS, EXTRA, inertProblems, leavesBidiOpen, PHISHING_NAME } from '../fixtures/hostile';
import { ui } from '../../src/ui/safe';

/** What the palette shows for one incident done: the door's summary and warnings, through the builder. */
const done = (id: string, d: { summary: string; warnings: string[] }) => F.actionDoneMessage(id, d.summary, d.warnings);

/** Each message any builder makes from `h`, named for the assertion message. */
function messagesFrom(h: string): [string, string][] {
  const hostileIncident = incident({ id: h, name: h, severity: h, status: h, assignedTo: h });
  const cascade: ActionResult = {
    incident: hostileIncident,
    alertsChanged: [alert({ title: h }), alert({ title: h }), alert({ title: `${h} 3` }), alert({ title: `${h} 4` })],
    alertsFailed: [{ alert: alert({ title: h }), error: h }],
    alertsSkipped: [{ alert: alert({ title: h }), reason: h }],
  };
  const filter: IncidentFilter = {
    statuses: [h],
    severities: [h],
    classifications: [h],
    owner: { kind: 'person', upn: h },
    tags: [h, h],
    time: { from: h, to: h },
    text: h,
  };
  const out: [string, string][] = [
    ['ref', F.ref(h)],
    ['actionDoneMessage (assign to me)', done(h, describeOutcome(cascade, Done.assignedToMe(h), LEFT_UNASSIGNED('you')))],
    ['actionDoneMessage (assign to)', done(h, describeOutcome(cascade, Done.assignedTo(h), LEFT_UNASSIGNED(h)))],
    ['actionDoneMessage (resolve)', done(h, describeOutcome(cascade, Done.status('Resolved'), LEFT_OPEN))],
    ['actionDoneMessage (tag)', done(h, { summary: Done.tagAdded(h), warnings: [] })],
    ['assignTitle', F.assignTitle(h)],
    ['addTagTitle', F.addTagTitle(h)],
    ['setStatusTitle', F.setStatusTitle(h)],
    [
      'bulkSummaryMessage',
      F.bulkSummaryMessage(
        F.assignTitle(h),
        {
          ok: [h],
          failed: [
            { id: h, error: h },
            { id: `${h}2`, error: `${h}2` },
          ],
          cancelled: [h],
          warned: [{ id: h, warnings: [h, `${h}2`] }],
        },
        4,
      ).text,
    ],
    ['bulkProgressTitle', F.bulkProgressTitle(F.addTagTitle(h))],
    ['bulkItemMessage', F.bulkItemMessage(0, 3, h)],
    ['retryProgressMessage', F.retryProgressMessage(h, h, 1500)],
    ['throttledProgressMessage', F.throttledProgressMessage(Date.now() + 60_000, h, 1, 3)],
    ['errorMessage', F.errorMessage(h, new Error(h)).text],
    ['errorMessage (server)', F.errorMessage(F.assignTitle(h), new BackendError('server', h)).text],
    ['errorMessage (auth)', F.errorMessage(h, new AuthError(h)).text],
    ['errorMessage (config)', F.errorMessage(h, new ConfigError('defenderIncidents.apiBaseUrl', h)).text],
    ['errorMessage (not an Error)', F.errorMessage(h, h).text],
    ['newHighSeverityMessage (one)', F.newHighSeverityMessage([hostileIncident])],
    ['newHighSeverityMessage (several)', F.newHighSeverityMessage([hostileIncident, incident({ name: h })])],
    ['statusBarTooltip', F.statusBarTooltip(2, h)],
    ['copiedIdMessage', F.copiedIdMessage(h)],
    ['copiedLinkMessage', F.copiedLinkMessage(h)],
    ['commentTitle (one)', F.commentTitle([h])],
    ['commentTitle (several)', F.commentTitle([h, h])],
    ['renameTitle', F.renameTitle(h)],
    ['tagsTitle', F.tagsTitle(h)],
    ['saveFilterPrompt', F.saveFilterPrompt(filter)],
    ['describeFilter', describeFilter(filter)],
    ['skippedFiltersMessage', F.skippedFiltersMessage(h, [F.skippedFilterEntry(0, h, h), F.skippedFilterEntry(1, 7, h)])],
    ['savedFilterMessage', F.savedFilterMessage(h, 'workspace')],
  ];
  const item = (name: string, i: { label: string; description?: string; detail?: string }) => {
    out.push([`${name} label`, i.label]);
    if (i.description !== undefined) out.push([`${name} description`, i.description]);
    if (i.detail !== undefined) out.push([`${name} detail`, i.detail]);
  };
  item('incidentPickItem', F.incidentPickItem(hostileIncident));
  item('incidentPickItem (no name)', F.incidentPickItem(incident({ id: h, name: '' })));
  item('ownerPickItem', F.ownerPickItem(h, ui`assign to this user`));
  item('savedFilterPickItem', F.savedFilterPickItem(h, filter));
  // The filter editor's rows, as the quick pick shows them (the filter-field table builds them).
  for (const i of filterEditorRows(filter)) item(`filterEditorRows ${i.key}`, i);
  for (const i of filterEditorRows({ time: h as never })) item(`filterEditorRows (time range) ${i.key}`, i);
  return out;
}

describe('notifications, progress and quick picks', () => {
  it('no message built from any hostile string forms a link, a codicon, an autolink or a command URI', () => {
    // The builders' own codicons (`$(check) Apply`) are what the same builder shows for a benign value.
    const own = messagesFrom('benign').map(([, text]) => inertProblems(text));
    let checked = 0;
    for (const [name, h] of CORPUS) {
      for (const [k, [what, text]] of messagesFrom(h).entries()) {
        assert.deepEqual(inertProblems(text), own[k], `${what} from ${name}: ${JSON.stringify(text.slice(0, 300))}`);
        assert.ok(!leavesBidiOpen(text), `${what} from ${name} leaves a bidi embedding open`);
        assert.ok(!/[\r\n]/.test(text), `${what} from ${name} is one line`);
        checked++;
      }
    }
    assert.ok(checked > CORPUS.length * 40, `${checked} messages checked`);
  });

  it('the new High-severity notification names the incident by number only', () => {
    const i = incident({ id: '4312', name: PHISHING_NAME, severity: 'High' });
    assert.equal(F.newHighSeverityMessage([i]), 'Defender Incidents: New High-severity incident #4312');
    assert.equal(F.newHighSeverityMessage([i, incident({ id: '4311' })]), 'Defender Incidents: 2 new High-severity incidents, the newest #4312');
  });

  it('alert titles in an action message stay readable, but inert', () => {
    const r: ActionResult = { incident: incident(), alertsChanged: [alert({ title: PHISHING_NAME })], alertsFailed: [], alertsSkipped: [] };
    assert.equal(
      done('4312', describeOutcome(r, Done.status('Resolved'), LEFT_OPEN)),
      'Defender Incidents: #4312: Resolved; its alert too: "Phishing ［Open in portal］(command：workbench.action.terminal.new "https://security.microsoft.com")".',
    );
  });

  it('the palette says what the pane says: what was done, then the alerts changed, failed and left as they were', () => {
    const r: ActionResult = {
      incident: incident(),
      alertsChanged: [alert({ title: 'A' }), alert({ title: 'B' })],
      alertsFailed: [{ alert: alert({ title: 'C' }), error: 'Forbidden' }],
      alertsSkipped: [{ alert: alert({ title: 'D' }), reason: 'the Microsoft Defender XDR API cannot update alerts' }],
    };
    assert.equal(
      done('7', describeOutcome(r, Done.assignedToMe('me@contoso.com'), LEFT_UNASSIGNED('you'))),
      'Defender Incidents: #7: Assigned to you (me@contoso.com); its 2 alerts too: "A", "B". 1 alert is not assigned to you because the Microsoft Defender XDR API cannot update alerts: "D". ' +
        '1 alert could not be updated and is not assigned to you: "C" (Forbidden).',
    );
    // An owner with an invisible character cannot pass for another in the notification.
    assert.equal(
      F.actionDoneMessage('7', Done.assignedTo(EXTRA.zeroWidthOwner)),
      'Defender Incidents: #7: Assigned to adm⟦U+200B⟧in@con⟦U+200D⟧toso.com⟦U+2060⟧.',
    );
  });

  it('a bulk summary names the incidents done with a warning, apart from those that failed', () => {
    const m = F.bulkSummaryMessage(
      'Assign to me',
      {
        ok: ['1', '2', '3'],
        failed: [],
        cancelled: [],
        warned: [{ id: '2', warnings: ['1 alert is not assigned to you because the Microsoft Defender XDR API cannot update alerts: "X".'] }],
      },
      3,
    );
    assert.deepEqual(m, {
      text: 'Defender Incidents: Assign to me: 3 of 3 succeeded, 1 with a warning (#2): 1 alert is not assigned to you because the Microsoft Defender XDR API cannot update alerts: "X"..',
      warning: false,
      notice: true,
    });
  });

  it('an owner pick shows invisible characters, and keeps the raw UPN to act on', () => {
    const p = F.ownerPickItem(EXTRA.zeroWidthOwner);
    assert.equal(p.label, 'adm⟦U+200B⟧in@con⟦U+200D⟧toso.com⟦U+2060⟧');
    assert.equal(p.upn, EXTRA.zeroWidthOwner);
    assert.equal(F.incidentPickItem(incident({ assignedTo: EXTRA.zeroWidthOwner })).detail, p.label);
  });

  it('a quick-pick item of an incident with a right-to-left override closes it', () => {
    const p = F.incidentPickItem(incident({ id: '708319', name: EXTRA.rloName, assignedTo: EXTRA.rloOwner }));
    assert.equal(p.label, 'Suspicious sign-in yfirev');
    assert.equal(p.description, '#708319 · Medium · Active');
    assert.equal(p.detail, 'admin@contoso.com⟦U+202E⟧');
  });

  it('error messages: the server text is inert, and auth and config errors name their fix', () => {
    assert.deepEqual(F.errorMessage('assignToMe', new Error(PHISHING_NAME)), {
      text: 'Defender Incidents: assignToMe failed: Phishing ［Open in portal］(command：workbench.action.terminal.new "https://security.microsoft.com")',
    });
    assert.equal(F.errorMessage('x', new AuthError()).action, 'signIn');
    assert.equal(F.errorMessage('x', new ConfigError('s', 'bad')).action, 'openSettings');
  });

  it('a saved filter from a cloned repository cannot put a link in the warning about it', () => {
    const entry = F.skippedFilterEntry(1, PHISHING_NAME, '"owner" must be "me", "unassigned", "anyone" or a user principal name');
    assert.equal(
      F.skippedFiltersMessage('defenderIncidents.savedFilters', [entry]),
      'Defender Incidents: setting defenderIncidents.savedFilters has entries that were skipped: #2 "Phishing ［Open in portal］(command：workbench.action.terminal.new "https://security.microsoft.com")": "owner" must be "me", "unassigned", "anyone" or a user principal name',
    );
  });

  it('the bulk runner reports only inert progress messages, whatever the ids and errors', async () => {
    for (const [name, h] of CORPUS) {
      const reported: string[] = [];
      const ids = [h, `${h}-2`];
      let throttled = false;
      await runBulkLoop(
        F.assignTitle(h),
        ids,
        async (id, o) => {
          o.onRetry?.({ attempt: 1, delayMs: 2000, reason: h });
          if (!throttled) {
            throttled = true;
            throw new ThrottledError(h, 1000, Date.now() + 1000);
          }
          if (id !== h) throw new Error(h);
        },
        { signal: new AbortController().signal, report: m => reported.push(m), log: () => undefined, sleep: async () => undefined },
      );
      assert.ok(
        reported.some(m => m.startsWith('Throttled until ')),
        name,
      );
      for (const m of reported) assert.deepEqual(inertProblems(m), [], `${name}: ${m}`);
    }
  });
});
