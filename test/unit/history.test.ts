import { strict as assert } from 'assert';
import { diffIncidents, History } from '../../src/store/history';
import { incident, MemoryKv } from '../support/builders';

describe('history: journal, outbox, drafts, timeline', () => {
  it('diffs the tracked fields in display form', () => {
    const a = incident({ status: 'Active', assignedTo: null, tags: [] });
    const b = { ...a, status: 'Resolved', assignedTo: 'bob@contoso.com', classification: 'TruePositive', tags: ['x'] };
    assert.deepEqual(diffIncidents(a, b).map(c => [c.field, c.from, c.to]), [
      ['owner', null, 'bob@contoso.com'], ['status', 'Active', 'Resolved'], ['classification', 'Not set', 'True positive'], ['tags', null, 'x'],
    ]);
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
    assert.deepEqual(tl.map(e => [e.kind, e.state, e.text]), [
      ['comment', 'failed', 'pending one'],
      ['observed', 'confirmed', 'Status: Active → Resolved'],
      ['change', 'confirmed', 'Owner: none → me@contoso.com'],
      ['comment', 'confirmed', 'first look'],
    ]);
    assert.equal(tl[0].error, 'Backend unreachable');
    assert.deepEqual(again.drafts('7'), { comment: 'half typed' });
    await again.clearDraft('7', 'comment');
    assert.deepEqual(again.drafts('7'), {});
    await again.removeOutbox('7', 'c1');
    assert.equal(again.outbox('7').length, 0);
    assert.equal(new History(kv, 'graph').journal('7').length, 0, 'scopes do not mix');
  });
});
