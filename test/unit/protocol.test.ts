import { strict as assert } from 'assert';
import { parseWebviewMessage, COMMENT_MAX_LENGTH } from '../../src/shared/protocol';

describe('pane protocol: every message from the webview is validated', () => {
  it('accepts the well-formed messages', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'request', id: 3, action: { kind: 'assignToMe' } }), { type: 'request', id: 3, action: { kind: 'assignToMe' } });
    assert.deepEqual(parseWebviewMessage({ type: 'request', id: 4, action: { kind: 'assign', to: ' bob@contoso.com ' }, force: true }),
      { type: 'request', id: 4, action: { kind: 'assign', to: 'bob@contoso.com' }, force: true });
    assert.deepEqual(parseWebviewMessage({ type: 'request', id: 5, action: { kind: 'setStatus', status: 'Resolved', classification: 'TruePositive', determination: 'Malware', comment: 'done' } }),
      { type: 'request', id: 5, action: { kind: 'setStatus', status: 'Resolved', classification: 'TruePositive', determination: 'Malware', comment: 'done' } });
    assert.deepEqual(parseWebviewMessage({ type: 'request', id: 6, action: { kind: 'setTags', tags: ['a', ' a ', 'b'] } }),
      { type: 'request', id: 6, action: { kind: 'setTags', tags: ['a', 'b'] } });
    assert.deepEqual(parseWebviewMessage({ type: 'drafts', drafts: { comment: 'x', name: '', evil: 'y' } }), { type: 'drafts', drafts: { comment: 'x' } });
  });

  it('drops anything ill-formed', () => {
    const bad: unknown[] = [
      null, 'ready', [], { type: 'nope' }, { type: 'request' }, { type: 'request', id: '1', action: { kind: 'assignToMe' } },
      { type: 'request', id: -1, action: { kind: 'assignToMe' } }, { type: 'request', id: 1.5, action: { kind: 'assignToMe' } },
      { type: 'request', id: 1, action: { kind: 'runCommand', command: 'workbench.action.terminal.new' } },
      { type: 'request', id: 1, action: { kind: 'assign', to: 42 } },
      { type: 'request', id: 1, action: { kind: 'assign', to: '   ' } },
      { type: 'request', id: 1, action: { kind: 'setStatus', status: 'Deleted' } },
      { type: 'request', id: 1, action: { kind: 'classify', classification: 'TruePositive' } },
      { type: 'request', id: 1, action: { kind: 'classify', classification: 'Evil', determination: 'Malware' } },
      { type: 'request', id: 1, action: { kind: 'addComment', text: 'x'.repeat(COMMENT_MAX_LENGTH + 1), clientId: 'c' } },
      { type: 'request', id: 1, action: { kind: 'addComment', text: 'hi' } },
      { type: 'request', id: 1, action: { kind: 'setTags', tags: 'a,b' } },
      { type: 'request', id: 1, action: { kind: 'setTags', tags: [1] } },
      { type: 'request', id: 1, action: { kind: 'rename', name: '' } },
      { type: 'drafts', drafts: { comment: 5 } },
      { type: 'drafts', drafts: 'x' },
    ];
    for (const m of bad) assert.equal(parseWebviewMessage(m), undefined, JSON.stringify(m)?.slice(0, 120));
  });

  it('accepts a comment of exactly 30,000 characters', () => {
    const m = parseWebviewMessage({ type: 'request', id: 1, action: { kind: 'addComment', text: 'x'.repeat(COMMENT_MAX_LENGTH), clientId: 'c' } });
    assert.ok(m);
  });
});
