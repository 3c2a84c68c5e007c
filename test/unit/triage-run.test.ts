/**
 * The one door, `Triage.run`, over real HTTP against the mock (the Defender client, as the extension runs
 * it): every action the pane and the palette send, the rules refused before anything is sent, the one
 * wording of what was done (and of what the backend could not do), drafts spent only while they hold what
 * was sent, and the history's own change events.
 */
import { strict as assert } from 'assert';
import type { MockServer } from '../../src/mock/server';
import { SlidingWindowPacer } from '../../src/backend/http';
import { UnsupportedError } from '../../src/backend/errors';
import type { Backend } from '../../src/backend/types';
import type { Incident } from '../../src/model/types';
import { IncidentStore } from '../../src/store/incidentStore';
import { clearDraftIfSent, History } from '../../src/store/history';
import { RuleError, Triage } from '../../src/store/triage';
import { eachConcurrently } from '../../src/store/alertCascade';
import { MAX_TAGS, TAG_MAX_LENGTH, type TriageSettings } from '../../src/model/actions';
import { MAX_TAGS as MOCK_MAX_TAGS, MAX_TAG_LENGTH as MOCK_MAX_TAG_LENGTH } from '../../src/mock/limits';
import { describeOutcome, LEFT_OPEN, LEFT_UNASSIGNED } from '../../src/store/summary';
import { MemoryKv } from '../support/builders';
import { ME, startWorld, type World } from '../support/world';
const DEFENDER_ALERTS = 'the Microsoft Defender XDR API cannot update alerts';

describe('triage: one door for every action', function () {
  this.timeout(30000);
  let w: World;
  let server: MockServer;
  let backend: Backend;
  let history: History;
  let store: IncidentStore;
  let triage: Triage;
  let settings: TriageSettings;
  let historyEvents: string[];
  let storeEvents: (string[] | undefined)[];

  /** The mock with extensions (rename, severity, alerts) unless `defender` (the real Defender contract). */
  async function start(o: { defender?: boolean } = {}): Promise<void> {
    settings = { requireClassificationToResolve: false };
    w = await startWorld({
      mock: { incidentCount: 40, seed: 11, extensions: !o.defender },
      client: {
        mock: !o.defender,
        http: { backoffBaseMs: 5, backoffMaxMs: 20 },
        comments: {},
        ...(o.defender ? { pacer: new SlidingWindowPacer(10_000) } : {}),
      },
      settings: () => settings,
    });
    ({ mock: server, backend, history, store, triage } = w);
    await store.setFilter({});
    historyEvents = [];
    storeEvents = [];
    history.onDidChange(id => historyEvents.push(id));
    store.onDidChange(c => storeEvents.push(c.ids));
  }
  afterEach(async () => {
    await w.close();
  });

  const pick = (f: (i: Incident) => boolean) => {
    const i = [...store.all()].find(f);
    assert.ok(i, 'a suitable incident in the mock data');
    return i;
  };
  const openWithAlerts = (i: Incident) => i.status === 'Active' && !i.assignedTo && i.alerts.filter(a => a.status !== 'Resolved').length >= 2;
  const writes = () => server.requests.filter(q => q.method !== 'GET');

  describe('on the mock backend', () => {
    beforeEach(() => start());

    it('assignToMe assigns the incident and its active alerts, and says so in one sentence', async () => {
      const target = pick(openWithAlerts);
      const r = await triage.run(target.id, { kind: 'assignToMe' });
      assert.equal(r.incident.assignedTo, ME);
      assert.equal(store.get(target.id)?.assignedTo, ME);
      const n = r.result.alertsChanged.length;
      assert.ok(n >= 2);
      assert.match(r.summary, new RegExp(`^Assigned to you \\(${ME.replace('.', '\\.')}\\); its ${n} alerts too: "`));
      assert.deepEqual(r.warnings, []);
      assert.deepEqual(
        history.journal(target.id).map(j => [j.field, j.to]),
        [['owner', ME]],
      );
    });

    it("the alert writes of a cascade go out side by side, each reported in the incident's order, a failed one named", async () => {
      const target = pick(openWithAlerts);
      const open = target.alerts.filter(a => a.status !== 'Resolved');
      // Every request takes 150 ms; the second alert's write fails (once, not retried: a 400).
      server.faults.add({
        match: { method: 'PATCH', path: `/alerts/${open[1].id}` },
        kind: 'status',
        status: 400,
        body: { error: { code: 'BadRequest', message: 'refused' } },
      });
      server.faults.add({ kind: 'latency', ms: 150, times: 1000 });
      const t0 = Date.now();
      const r = await triage.run(target.id, { kind: 'assignToMe' });
      const took = Date.now() - t0;
      const alertWrites = server.requests.filter(q => q.method === 'PATCH' && q.path.includes('/alerts/')).length;
      assert.equal(alertWrites, open.length, 'one write per active alert');
      assert.deepEqual(
        r.result.alertsChanged.map(a => a.id),
        open.filter((_, k) => k !== 1).map(a => a.id),
        "in the incident's order",
      );
      assert.deepEqual(
        r.result.alertsFailed.map(f => f.alert.id),
        [open[1].id],
      );
      // GET check + PATCH + the alerts side by side + one re-read: 4 round trips, not 3 + the alerts.
      assert.ok(took < (3 + open.length) * 150, `took ${took} ms for ${open.length} alerts at 150 ms each`);
    });

    it('eachConcurrently keeps at most `limit` running and the outcomes in order', async () => {
      let running = 0;
      let most = 0;
      const out = await eachConcurrently([5, 1, 3, 2, 4, 0, 6], 3, async n => {
        running++;
        most = Math.max(most, running);
        await new Promise(r => setTimeout(r, n * 3));
        running--;
        if (n === 2) throw new Error('two');
        return n * 10;
      });
      assert.equal(most, 3);
      assert.deepEqual(
        out.map(o => (o.ok ? o.value : (o.error as Error).message)),
        [50, 10, 30, 'two', 40, 0, 60],
      );
    });

    it('assign to someone spends the "assign to" draft that holds the name sent; unassign clears the owner', async () => {
      const target = pick(i => i.status === 'Active');
      await history.setDrafts(target.id, { assignTo: ' bob@contoso.com ', comment: 'keep me' });
      const r = await triage.run(target.id, { kind: 'assign', to: 'bob@contoso.com' });
      assert.match(r.summary, /^Assigned to bob@contoso\.com/);
      assert.deepEqual(history.drafts(target.id), { comment: 'keep me' });
      const u = await triage.run(target.id, { kind: 'assign', to: null });
      assert.equal(u.summary, 'Unassigned');
      assert.equal((await backend.getIncident(target.id)).assignedTo, null);
    });

    it('setStatus, classify, rename, setSeverity, setTags and addTag each reach the server with their own words', async () => {
      const target = pick(i => i.status === 'Active');
      const id = target.id;
      assert.equal((await triage.run(id, { kind: 'setStatus', status: 'InProgress' })).summary, 'Status set to In progress');
      assert.equal((await triage.run(id, { kind: 'classify', classification: 'TruePositive', determination: 'Malware' })).summary, 'Classification saved');
      await history.setDrafts(id, { name: 'Ransomware on ws-fin-0231 ', tags: 'ir, p1' });
      assert.equal((await triage.run(id, { kind: 'rename', name: 'Ransomware on ws-fin-0231' })).summary, 'Renamed');
      assert.equal((await triage.run(id, { kind: 'setSeverity', severity: 'Low' })).summary, 'Severity set to Low');
      assert.equal((await triage.run(id, { kind: 'setTags', tags: ['ir', 'p1'] })).summary, 'Tags saved');
      assert.deepEqual(history.drafts(id), {}, 'the name and tags drafts held what was sent: spent');
      assert.equal((await triage.run(id, { kind: 'addTag', tag: 'escalated' })).summary, 'Tag "escalated" added');
      const before = server.requests.filter(q => q.method === 'PATCH').length;
      await triage.run(id, { kind: 'addTag', tag: 'ESCALATED' });
      assert.equal(server.requests.filter(q => q.method === 'PATCH').length, before, 'a tag it already has sends nothing');
      const now = await backend.getIncident(id);
      assert.equal(now.status, 'InProgress');
      assert.equal(now.classification, 'TruePositive');
      assert.equal(now.determination, 'Malware');
      assert.equal(now.name, 'Ransomware on ws-fin-0231');
      assert.equal(now.severity, 'Low');
      assert.deepEqual(now.tags, ['ir', 'p1', 'escalated']);
    });

    it('resolve with classification, determination and comment: one PATCH, alerts resolved, the resolve-comment draft spent', async () => {
      const target = pick(i => i.status === 'Active' && i.alerts.some(a => a.status !== 'Resolved'));
      await history.setDrafts(target.id, { resolveComment: 'Benign: IT scan', comment: 'unrelated note' });
      server.requests.length = 0;
      const r = await triage.run(target.id, {
        kind: 'setStatus',
        status: 'Resolved',
        classification: 'FalsePositive',
        determination: 'NotMalicious',
        comment: 'Benign: IT scan',
      });
      assert.equal(server.requests.filter(q => q.method === 'PATCH' && q.path === `/api/incidents/${target.id}`).length, 1);
      assert.match(r.summary, /^Resolved; its (alert|\d+ alerts) too: /);
      assert.deepEqual(history.drafts(target.id), { comment: 'unrelated note' });
      const now = await backend.getIncident(target.id);
      assert.equal(now.status, 'Resolved');
      assert.ok(now.alerts.every(a => a.status === 'Resolved'));
      assert.equal(now.comments.filter(c => c.text === 'Benign: IT scan').length, 1);
    });

    it('a comment spends the comment draft only while it still holds the text sent', async () => {
      const target = pick(i => i.status === 'Active');
      await history.setDrafts(target.id, { comment: 'First note' });
      const r = await triage.run(target.id, { kind: 'addComment', text: 'First note', clientId: 'c-1' });
      assert.equal(r.summary, 'Comment added');
      assert.equal(history.drafts(target.id).comment, undefined);
      // The user typed the next comment while this one was on its way: it stays.
      await history.setDrafts(target.id, { comment: 'Second note, typed meanwhile' });
      await triage.run(target.id, { kind: 'addComment', text: 'Another note', clientId: 'c-2' });
      assert.equal(history.drafts(target.id).comment, 'Second note, typed meanwhile');
      assert.equal((await backend.getIncident(target.id)).comments.filter(c => c.text === 'First note' || c.text === 'Another note').length, 2);
    });

    it('retryComment sends a failed comment once; discardComment drops one; the history says so without re-putting the incident', async () => {
      const target = pick(i => i.status === 'Active');
      const path = `/api/incidents/${target.id}`;
      server.faults.add({
        kind: 'status',
        status: 400,
        times: 2,
        match: { method: 'PATCH', path },
        body: { error: { code: 'InvalidInput', message: 'Rejected by policy' } },
      });
      await assert.rejects(triage.run(target.id, { kind: 'addComment', text: 'Keep me', clientId: 'c-keep' }), /Rejected by policy/);
      await assert.rejects(triage.run(target.id, { kind: 'addComment', text: 'Drop me', clientId: 'c-drop' }), /Rejected by policy/);
      assert.deepEqual(
        history.outbox(target.id).map(o => [o.clientId, o.state]),
        [
          ['c-keep', 'failed'],
          ['c-drop', 'failed'],
        ],
      );
      assert.ok(historyEvents.filter(x => x === target.id).length >= 4, 'pending, then failed, for each');

      storeEvents.length = 0;
      historyEvents.length = 0;
      const d = await triage.run(target.id, { kind: 'discardComment', clientId: 'c-drop' });
      assert.equal(d.summary, '');
      assert.deepEqual(storeEvents, [], 'discarding changes no incident: the store stays quiet');
      assert.deepEqual(historyEvents, [target.id], 'the history says the timeline changed');

      await history.setDrafts(target.id, { comment: 'Keep me' });
      const r = await triage.run(target.id, { kind: 'retryComment', clientId: 'c-keep' });
      assert.equal(r.summary, 'Comment added');
      assert.deepEqual(history.outbox(target.id), []);
      assert.equal(history.drafts(target.id).comment, undefined, 'the retried text was the draft: spent');
      const comments = (await backend.getIncident(target.id)).comments;
      assert.equal(comments.filter(c => c.text === 'Keep me').length, 1);
      assert.equal(comments.filter(c => c.text === 'Drop me').length, 0);
      await assert.rejects(
        triage.run(target.id, { kind: 'retryComment', clientId: 'c-keep' }),
        (e: unknown) => e instanceof RuleError && /no longer waiting/.test(e.message),
      );
    });

    it('a change is journaled with one history event; an action that changes nothing journals nothing', async () => {
      const target = pick(i => i.status === 'Active');
      await triage.run(target.id, { kind: 'setStatus', status: 'InProgress' });
      assert.deepEqual(historyEvents, [target.id]);
      historyEvents.length = 0;
      await triage.run(target.id, { kind: 'addTag', tag: target.tags[0] ?? 'x' });
      await triage.run(target.id, { kind: 'addTag', tag: target.tags[0] ?? 'x' });
      assert.ok(historyEvents.length <= 1, 'the second add of the same tag journals nothing');
    });

    it('the rules refuse before anything is sent: the team setting, pairs, statuses, empty text', async () => {
      const target = pick(i => i.status === 'Active');
      server.requests.length = 0;
      settings = { requireClassificationToResolve: true };
      const refused = async (action: Parameters<Triage['run']>[1], message: RegExp) => {
        await assert.rejects(triage.run(target.id, action), (e: unknown) => e instanceof RuleError && message.test(e.message));
      };
      await refused({ kind: 'setStatus', status: 'Resolved' }, /^Choose a classification\. Add a comment\.$/);
      await refused({ kind: 'setStatus', status: 'Resolved', classification: 'TruePositive', determination: 'Malware' }, /^Add a comment\.$/);
      await refused(
        { kind: 'setStatus', status: 'Resolved', classification: 'TruePositive', determination: 'NotMalicious', comment: 'x' },
        /^Choose a determination valid for True positive\.$/,
      );
      await refused({ kind: 'classify', classification: 'FalsePositive', determination: 'Malware' }, /^Choose a determination valid for False positive\.$/);
      await refused({ kind: 'setStatus', status: 'Redirected' }, /set by the service/);
      await refused({ kind: 'addComment', text: '   ', clientId: 'c' }, /Enter a comment/);
      await refused({ kind: 'rename', name: ' ' }, /Enter a name/);
      await refused({ kind: 'assign', to: ' ' }, /user principal name/);
      await refused({ kind: 'addTag', tag: '' }, /Enter a tag/);
      assert.deepEqual(server.requests, [], 'nothing reached the server');
      assert.deepEqual(history.outbox(target.id), [], 'and nothing waits in the outbox');
      // Without the team setting, resolving needs nothing.
      settings = { requireClassificationToResolve: false };
      assert.equal((await triage.run(target.id, { kind: 'setStatus', status: 'Resolved' })).summary.startsWith('Resolved'), true);
    });

    it("the door enforces the tag limits for every front door (the mock's own: 50 tags, 128 characters), and tags compare case-insensitively", async () => {
      assert.equal(MAX_TAGS, MOCK_MAX_TAGS);
      assert.equal(TAG_MAX_LENGTH, MOCK_MAX_TAG_LENGTH);
      const target = pick(i => i.status === 'Active');
      const full = Array.from({ length: MAX_TAGS }, (_, n) => `t${n}`);
      server.requests.length = 0;
      // Bulk and palette runs reach the door without the pane's or the protocol's checks.
      await assert.rejects(
        triage.run(target.id, { kind: 'setTags', tags: [...full, 'one more'] }),
        (e: unknown) => e instanceof RuleError && /at most 50 tags/.test(e.message),
      );
      await assert.rejects(
        triage.run(target.id, { kind: 'addTag', tag: 'x'.repeat(TAG_MAX_LENGTH + 1) }),
        (e: unknown) => e instanceof RuleError && /at most 128 characters/.test(e.message),
      );
      assert.deepEqual(writes(), [], 'nothing over a limit was sent');
      await triage.run(target.id, { kind: 'setTags', tags: full });
      assert.equal(store.get(target.id)?.tags.length, MAX_TAGS, 'exactly the limit is accepted by the mock');
      const before = writes().length;
      await assert.rejects(
        triage.run(target.id, { kind: 'addTag', tag: 'fifty-one' }),
        (e: unknown) => e instanceof RuleError && /at most 50 tags/.test(e.message),
      );
      const r = await triage.run(target.id, { kind: 'addTag', tag: ' T0 ' });
      assert.equal(r.incident.tags.length, MAX_TAGS, 'a tag already there in another case is not added again');
      assert.equal(writes().length, before, 'and neither sent anything');
    });

    it('the store loads an incident it does not hold (one GET), and then answers from its cache', async () => {
      const other = new IncidentStore(w.deps);
      const id = [...store.all()][0].id;
      server.requests.length = 0;
      const i = await other.load(id);
      assert.equal(i.id, id);
      assert.equal(other.capabilities?.kind, backend.capabilities.kind, 'it learns what the backend can do');
      assert.deepEqual(
        server.requests.map(q => q.method),
        ['GET'],
      );
      await other.load(id);
      assert.equal(server.requests.length, 1);
      await other.load(id, { fresh: true });
      assert.equal(server.requests.length, 2);
    });
  });

  describe('on the Defender XDR API contract', () => {
    beforeEach(() => start({ defender: true }));

    it('assign to me and resolve say which alerts were left as they were, and why', async () => {
      const target = pick(openWithAlerts);
      const open = target.alerts.filter(a => a.status !== 'Resolved');
      const a = await triage.run(target.id, { kind: 'assignToMe' });
      assert.equal(a.summary, `Assigned to you (${ME})`);
      assert.equal(a.warnings.length, 1);
      assert.ok(a.warnings[0].startsWith(`${open.length} alerts are not assigned to you because ${DEFENDER_ALERTS}: "${open[0].title}"`), a.warnings[0]);
      const r = await triage.run(target.id, {
        kind: 'setStatus',
        status: 'Resolved',
        classification: 'FalsePositive',
        determination: 'NotMalicious',
        comment: 'benign',
      });
      assert.equal(r.summary, 'Resolved');
      assert.ok(r.warnings[0].startsWith(`${open.length} alerts stay open because ${DEFENDER_ALERTS}: `), r.warnings[0]);
      assert.equal(server.requests.filter(q => q.method === 'PATCH').length, 2, 'nothing was sent to the alerts');
    });

    it('rename and re-rate are refused before anything is sent, naming the API that can', async () => {
      const target = pick(i => i.status === 'Active');
      server.requests.length = 0;
      await assert.rejects(
        triage.run(target.id, { kind: 'rename', name: 'New name' }),
        (e: unknown) => e instanceof UnsupportedError && /cannot rename incidents\. The Microsoft Graph security API can/.test(e.message),
      );
      await assert.rejects(triage.run(target.id, { kind: 'setSeverity', severity: 'High' }), (e: unknown) => e instanceof UnsupportedError);
      await assert.rejects(triage.supports('rename'), UnsupportedError);
      assert.deepEqual(writes(), []);
      assert.deepEqual(server.requests, []);
    });
  });
});

describe('triage: the wording of what an action could not do', () => {
  const a = (title: string) => ({ title });
  const reason = DEFENDER_ALERTS;

  it('names the alerts left unassigned or open, and why', () => {
    assert.deepEqual(describeOutcome({ alertsChanged: [], alertsFailed: [], alertsSkipped: [] }, 'Assigned to you (me@contoso.com)', LEFT_UNASSIGNED('you')), {
      summary: 'Assigned to you (me@contoso.com)',
      warnings: [],
    });
    assert.deepEqual(
      describeOutcome(
        {
          alertsChanged: [],
          alertsFailed: [],
          alertsSkipped: [
            { alert: a('Suspicious PowerShell'), reason },
            { alert: a('Ransomware'), reason },
          ],
        },
        'Assigned to you (me@contoso.com)',
        LEFT_UNASSIGNED('you'),
      ),
      {
        summary: 'Assigned to you (me@contoso.com)',
        warnings: ['2 alerts are not assigned to you because the Microsoft Defender XDR API cannot update alerts: "Suspicious PowerShell", "Ransomware".'],
      },
    );
    assert.deepEqual(
      describeOutcome(
        {
          alertsChanged: [a('One'), a('Two')],
          alertsFailed: [{ alert: a('Three'), error: 'Forbidden (403).' }],
          alertsSkipped: [],
        },
        'Resolved',
        LEFT_OPEN,
      ),
      {
        summary: 'Resolved; its 2 alerts too: "One", "Two"',
        warnings: ['1 alert could not be updated and stays open: "Three" (Forbidden (403)).'],
      },
    );
    const many = describeOutcome(
      { alertsChanged: [], alertsFailed: [], alertsSkipped: ['A', 'B', 'C', 'D', 'E'].map(t => ({ alert: a(t), reason: `${reason}.` })) },
      'Resolved',
      LEFT_OPEN,
    );
    assert.deepEqual(many.warnings, ['5 alerts stay open because the Microsoft Defender XDR API cannot update alerts: "A", "B", "C" and 2 more.']);
  });

  it('a draft is cleared only while it holds the text sent (trimmed for names and owners)', async () => {
    const h = new History(new MemoryKv(), 'mock');
    await h.setDrafts('7', { comment: 'first', resolveComment: 'closing: benign', name: ' New name ' });
    assert.equal(await clearDraftIfSent(h, '7', 'comment', 'first'), true);
    await h.setDrafts('7', { ...h.drafts('7'), comment: 'second, typed meanwhile' });
    assert.equal(await clearDraftIfSent(h, '7', 'comment', 'first'), false);
    assert.equal(await clearDraftIfSent(h, '7', 'resolveComment', 'closing: benign, edited'), false);
    assert.equal(await clearDraftIfSent(h, '7', 'resolveComment', 'closing: benign'), true);
    assert.equal(await clearDraftIfSent(h, '7', 'name', 'New name', { trim: true }), true);
    assert.deepEqual(h.drafts('7'), { comment: 'second, typed meanwhile' });
    assert.equal(await clearDraftIfSent(h, '8', 'comment', 'x'), false);
  });
});
