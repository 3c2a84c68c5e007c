import { strict as assert } from 'assert';
import { diffIncidents, History } from '../../src/store/history';
import { incident, MemoryKv } from '../support/builders';

describe('history: journal, outbox, drafts, timeline', () => {
  it('diffs the tracked fields in display form', () => {
    const a = incident({ status: 'Active', assignedTo: null, tags: [] });
    const b = { ...a, status: 'Resolved', assignedTo: 'bob@contoso.com', classification: 'TruePositive', tags: ['x'] };
    assert.deepEqual(
      diffIncidents(a, b).map(c => [c.field, c.from, c.to]),
      [
        ['owner', null, 'bob@contoso.com'],
        ['status', 'Active', 'Resolved'],
        ['classification', 'Not set', 'True positive'],
        ['tags', null, 'x'],
      ],
    );
  });

  it('merges comments, journal and outbox newest first, and persists through a new History on the same store', async () => {
    const kv = new MemoryKv();
    let t = Date.parse('2026-11-29T10:00:00Z');
    const h = new History(kv, 'mock', () => new Date(t));
    const i = incident({ id: '7', comments: [{ text: 'first look', createdBy: 'alice@contoso.com', createdTime: '2026-11-29T09:00:00Z' }] });
    await h.record('7', [{ field: 'owner', from: null, to: 'me@contoso.com' }], 'me@contoso.com', 'change');
    t += 60_000;
    await h.record('7', [{ field: 'status', from: 'Active', to: 'Resolved' }], null, 'observed');
    await h.putOutbox('7', { clientId: 'c1', text: 'pending one', time: '2026-11-29T10:05:00Z', state: 'failed', error: 'Backend unreachable' });
    await h.setDrafts('7', { comment: 'half typed', name: '' });

    const again = new History(kv, 'mock');
    const tl = again.timeline(i);
    assert.deepEqual(
      tl.map(e => [e.kind, e.state, e.text]),
      [
        ['comment', 'failed', 'pending one'],
        ['observed', 'confirmed', 'Status: Active → Resolved'],
        ['change', 'confirmed', 'Owner: none → me@contoso.com'],
        ['comment', 'confirmed', 'first look'],
      ],
    );
    assert.equal(tl[0].error, 'Backend unreachable');
    assert.deepEqual(again.drafts('7'), { comment: 'half typed' });
    await again.clearDraft('7', 'comment');
    assert.deepEqual(again.drafts('7'), {});
    await again.removeOutbox('7', 'c1');
    assert.equal(again.outbox('7').length, 0);
    assert.equal(new History(kv, 'graph').journal('7').length, 0, 'scopes do not mix');
  });

  it("two tenants (scopes) never see each other's drafts, outbox or journal for the same incident id", async () => {
    const kv = new MemoryKv();
    const a = new History(kv, 'defender|api.security.microsoft.com|tenant-a');
    const b = new History(kv, 'defender|api.security.microsoft.com|tenant-b');
    const eu = new History(kv, 'defender|eu.api.security.microsoft.com|tenant-a');
    await a.setDrafts('123', { comment: 'customer A only' });
    await a.putOutbox('123', { clientId: 'ca', text: "A's unsent comment", time: '2026-11-29T10:00:00Z', state: 'failed', error: 'offline' });
    await a.record('123', [{ field: 'status', from: 'Active', to: 'Resolved' }], 'me@a.example', 'change');
    for (const other of [b, eu, new History(kv, 'mock')]) {
      assert.deepEqual(other.drafts('123'), {});
      assert.deepEqual(other.outbox('123'), []);
      assert.deepEqual(other.journal('123'), []);
      assert.deepEqual(other.timeline(incident({ id: '123', comments: [] })), []);
    }
    // And B's own entries stay B's: removing or writing in B leaves A's untouched.
    await b.putOutbox('123', { clientId: 'cb', text: 'B', time: '2026-11-29T10:01:00Z', state: 'failed' });
    await b.removeOutbox('123', 'ca');
    await b.setDrafts('123', {});
    assert.deepEqual(
      a.outbox('123').map(o => o.clientId),
      ['ca'],
    );
    assert.deepEqual(a.drafts('123'), { comment: 'customer A only' });
    assert.deepEqual(
      b.outbox('123').map(o => o.clientId),
      ['cb'],
    );
  });

  it("entries kept by backend kind only (before scopes had host and tenant) are not shown in any tenant's pane", async () => {
    const kv = new MemoryKv();
    const legacy = new History(kv, 'defender');
    await legacy.setDrafts('123', { comment: 'old, tenant unknown' });
    await legacy.putOutbox('123', { clientId: 'old', text: 'old', time: '2026-11-29T10:00:00Z', state: 'failed' });
    await legacy.record('123', [{ field: 'owner', from: null, to: 'x@contoso.com' }], null, 'observed');
    const tenant = new History(kv, 'defender|api.security.microsoft.com|tenant-a');
    assert.deepEqual(tenant.drafts('123'), {});
    assert.deepEqual(tenant.outbox('123'), []);
    assert.deepEqual(tenant.journal('123'), []);
    assert.ok(kv.map.has('drafts:defender:123'), 'left as they were, unread');
  });

  it('a comment left "Sending..." by an earlier session reads as unconfirmed (Retry / Discard); this session\'s pending one stays pending', async () => {
    const kv = new MemoryKv();
    const crashed = new History(kv, 'mock', () => new Date(), 'session-1');
    await crashed.putOutbox('7', { clientId: 'c1', text: 'sent when it crashed', time: '2026-11-29T10:00:00Z', author: 'me@contoso.com', state: 'pending' });
    await crashed.putOutbox('7', { clientId: 'c2', text: 'refused earlier', time: '2026-11-29T09:00:00Z', state: 'failed', error: 'HTTP 400' });
    assert.deepEqual(
      crashed.outbox('7').map(o => o.state),
      ['pending', 'failed'],
      'the writing session still sees it pending',
    );
    assert.deepEqual(
      new History(kv, 'mock', () => new Date(), 'session-1').outbox('7').map(o => o.state),
      ['pending', 'failed'],
      'another History of the same session too',
    );

    const next = new History(kv, 'mock', () => new Date(), 'session-2');
    assert.deepEqual(
      next.outbox('7').map(o => [o.clientId, o.state]),
      [
        ['c1', 'unconfirmed'],
        ['c2', 'failed'],
      ],
    );
    const row = next.timeline(incident({ id: '7', comments: [] })).find(r => r.key === 'c1');
    assert.equal(row?.state, 'unconfirmed');
    assert.match(row?.error ?? '', /may or may not have been posted/);
    assert.equal(row?.author, 'me@contoso.com');

    // Retry in the new session writes it pending again, stamped with the new session: pending there.
    await next.putOutbox('7', { ...next.outbox('7')[0], state: 'pending' });
    assert.equal(next.outbox('7').find(o => o.clientId === 'c1')?.state, 'pending');
    // A pending entry from before sessions were stamped is unconfirmed as well.
    await kv.update('outbox:mock:8', [{ clientId: 'old', text: 'x', time: '2026-11-29T08:00:00Z', state: 'pending' }]);
    assert.equal(next.outbox('8')[0].state, 'unconfirmed');
    // Discard removes it.
    await next.removeOutbox('7', 'c1');
    assert.deepEqual(
      next.outbox('7').map(o => o.clientId),
      ['c2'],
    );
  });

  it('journals where a change came from: this editor (with the user) or the server (with whom the server names)', async () => {
    const kv = new MemoryKv();
    const h = new History(kv, 'graph|graph.microsoft.com|t');
    await h.record('9', [{ field: 'owner', from: null, to: 'me@contoso.com' }], 'me@contoso.com', 'change');
    await h.record('9', [{ field: 'status', from: 'Active', to: 'Resolved' }], 'bob@contoso.com', 'observed');
    await h.record('9', [{ field: 'tags', from: null, to: 'x' }], null, 'observed');
    assert.deepEqual(
      h.journal('9').map(j => [j.kind, j.source, j.author, j.field]),
      [
        ['change', 'editor', 'me@contoso.com', 'owner'],
        ['observed', 'server', 'bob@contoso.com', 'status'],
        ['observed', 'server', null, 'tags'],
      ],
    );
    assert.equal(new Set(h.journal('9').map(j => j.key)).size, 3, 'keys are unique');
    const rows = h.timeline(incident({ id: '9', comments: [] }));
    assert.deepEqual(rows.map(r => r.source).sort(), ['editor', 'server', 'server']);
    assert.equal(rows.find(r => r.field === 'status')?.author, 'bob@contoso.com');
    // Entries written before `source` existed read with the source their kind implies.
    await kv.update('journal:graph|graph.microsoft.com|t:10', [
      { key: 'a', kind: 'change', time: '2026-11-29T08:00:00Z', author: 'me', field: 'status', from: null, to: 'x' },
      { key: 'b', kind: 'observed', time: '2026-11-29T08:00:00Z', author: null, field: 'status', from: null, to: 'y' },
    ]);
    assert.deepEqual(
      h.journal('10').map(j => j.source),
      ['editor', 'server'],
    );
  });

  it('keys stay unique across History objects created in the same millisecond', async () => {
    const kv = new MemoryKv();
    const t = () => new Date('2026-11-29T10:00:00Z');
    for (let n = 0; n < 5; n++) await new History(kv, 'mock', t).record('1', [{ field: 'status', from: null, to: String(n) }], null, 'observed');
    assert.equal(new Set(new History(kv, 'mock').journal('1').map(j => j.key)).size, 5);
  });

  it('fires its own change event for the journal, the outbox and spent drafts, not for drafts the pane saves', async () => {
    const h = new History(new MemoryKv(), 'mock');
    const seen: string[] = [];
    const sub = h.onDidChange(id => seen.push(id));
    await h.record('7', [], 'me', 'change');
    assert.deepEqual(seen, [], 'no change, no event');
    await h.record('7', [{ field: 'status', from: 'Active', to: 'Resolved' }], 'me', 'change');
    await h.putOutbox('8', { clientId: 'c1', text: 'x', time: '2026-11-29T10:00:00Z', state: 'pending' });
    await h.removeOutbox('8', 'missing');
    await h.removeOutbox('8', 'c1');
    await h.setDrafts('9', { comment: 'typed' });
    assert.deepEqual(seen, ['7', '8', '8'], 'the pane that typed a draft shows it already');
    await h.clearDraft('9', 'comment');
    await h.clearDraft('9', 'comment');
    assert.deepEqual(seen, ['7', '8', '8', '9']);
    sub.dispose();
    await h.record('7', [{ field: 'owner', from: null, to: 'me' }], 'me', 'change');
    assert.equal(seen.length, 4);
  });

  it('a scope given as a function follows the settings in effect (one History for the extension)', async () => {
    const kv = new MemoryKv();
    let scope = 'mock';
    const h = new History(kv, () => scope);
    await h.setDrafts('7', { comment: 'on the mock' });
    scope = 'graph|graph.microsoft.com|tenant-a';
    assert.deepEqual(h.drafts('7'), {}, 'another tenant does not see it');
    scope = 'mock';
    assert.deepEqual(h.drafts('7'), { comment: 'on the mock' });
  });
});
