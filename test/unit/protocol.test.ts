import { strict as assert } from 'assert';
import {
  parseWebviewMessage,
  COMMENT_MAX_LENGTH,
  COPY_MAX_LENGTH,
  HUNT_VALUE_MAX_LENGTH,
  INCIDENT_ID_MAX_LENGTH,
  MAX_REQUESTS_PER_SECOND,
  PROTOCOL_VALUES,
  type WebviewMessage,
} from '../../src/shared/protocol';
import { CLASSIFICATIONS, DETERMINATIONS, SEVERITIES, STATUSES } from '../../src/model/types';
import { PANE_STATUSES, SETTABLE_CLASSIFICATIONS, SETTABLE_SEVERITIES, determinationsFor } from '../../src/model/rules';
import { isDeprecated } from '../../src/model/enums';
import { HUNT_COMMANDS, huntRefusal, huntUnavailable, refusal, RequestRateLimiter } from '../../src/panel/requests';
import { parseGraphEvidence } from '../../src/model/evidence';
import { alert, incident } from '../support/builders';

type Request = Extract<WebviewMessage, { type: 'request' }>;
const req = (action: object, extra: object = {}) => ({ type: 'request', id: 1, incidentId: '3921', action, ...extra });

describe('pane protocol: every message from the webview is validated', () => {
  it('accepts the well-formed messages', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'request', id: 3, incidentId: '3921', action: { kind: 'assignToMe' } }), {
      type: 'request',
      id: 3,
      incidentId: '3921',
      action: { kind: 'assignToMe' },
    });
    assert.deepEqual(parseWebviewMessage({ type: 'request', id: 4, incidentId: '3921', action: { kind: 'assign', to: ' bob@contoso.com ' }, force: true }), {
      type: 'request',
      id: 4,
      incidentId: '3921',
      action: { kind: 'assign', to: 'bob@contoso.com' },
      force: true,
    });
    assert.deepEqual(
      parseWebviewMessage(req({ kind: 'setStatus', status: 'Resolved', classification: 'TruePositive', determination: 'Malware', comment: 'done' })),
      req({ kind: 'setStatus', status: 'Resolved', classification: 'TruePositive', determination: 'Malware', comment: 'done' }),
    );
    assert.deepEqual(parseWebviewMessage(req({ kind: 'setTags', tags: ['a', ' a ', 'b'] })), req({ kind: 'setTags', tags: ['a', 'b'] }));
    assert.deepEqual(parseWebviewMessage(req({ kind: 'setSeverity', severity: 'Informational' })), req({ kind: 'setSeverity', severity: 'Informational' }));
    assert.deepEqual(parseWebviewMessage({ type: 'drafts', drafts: { comment: 'x', name: '', evil: 'y' } }), { type: 'drafts', drafts: { comment: 'x' } });
    assert.deepEqual(parseWebviewMessage({ type: 'drafts', drafts: { resolveComment: 'benign, ticket 42' }, incidentId: '3921' }), {
      type: 'drafts',
      drafts: { resolveComment: 'benign, ticket 42' },
      incidentId: '3921',
    });
  });

  it('drops anything ill-formed', () => {
    const bad: unknown[] = [
      null,
      'ready',
      [],
      { type: 'nope' },
      { type: 'request' },
      { type: 'request', id: '1', incidentId: '3921', action: { kind: 'assignToMe' } },
      { type: 'request', id: -1, incidentId: '3921', action: { kind: 'assignToMe' } },
      { type: 'request', id: 1.5, incidentId: '3921', action: { kind: 'assignToMe' } },
      req({ kind: 'runCommand', command: 'workbench.action.terminal.new' }),
      req({ kind: 'assign', to: 42 }),
      req({ kind: 'assign', to: '   ' }),
      req({ kind: 'setStatus', status: 'Deleted' }),
      req({ kind: 'setStatus', status: 'Redirected' }),
      req({ kind: 'classify', classification: 'TruePositive' }),
      req({ kind: 'classify', classification: 'Evil', determination: 'Malware' }),
      // Read-only spellings and deprecated values are never sent.
      req({ kind: 'classify', classification: 'FalsePositive', determination: 'Clean' }),
      req({ kind: 'classify', classification: 'TruePositive', determination: 'Apt' }),
      req({ kind: 'setSeverity', severity: 'UnSpecified' }),
      req({ kind: 'setSeverity', severity: 'Critical' }),
      req({ kind: 'setSeverity' }),
      req({ kind: 'addComment', text: 'x'.repeat(COMMENT_MAX_LENGTH + 1), clientId: 'c' }),
      req({ kind: 'addComment', text: 'hi' }),
      req({ kind: 'setTags', tags: 'a,b' }),
      req({ kind: 'setTags', tags: [1] }),
      req({ kind: 'rename', name: '' }),
      req({ kind: 'copyText', text: 'x'.repeat(COPY_MAX_LENGTH + 1) }),
      { type: 'drafts', drafts: { comment: 5 } },
      { type: 'drafts', drafts: { resolveComment: 'x'.repeat(COMMENT_MAX_LENGTH + 1) } },
      { type: 'drafts', drafts: 'x' },
      { type: 'drafts', drafts: {}, incidentId: 7 },
    ];
    for (const m of bad) assert.equal(parseWebviewMessage(m), undefined, JSON.stringify(m)?.slice(0, 120));
  });

  it('a request must name the incident it is for', () => {
    for (const incidentId of [undefined, null, 3921, '', 'x'.repeat(INCIDENT_ID_MAX_LENGTH + 1), ['3921']]) {
      assert.equal(parseWebviewMessage({ type: 'request', id: 1, incidentId, action: { kind: 'assignToMe' } }), undefined, String(incidentId));
    }
    assert.ok(parseWebviewMessage({ type: 'request', id: 1, incidentId: 'x'.repeat(INCIDENT_ID_MAX_LENGTH), action: { kind: 'assignToMe' } }));
  });

  it('accepts a comment of exactly 30,000 characters and a copy of exactly 100,000', () => {
    assert.ok(parseWebviewMessage(req({ kind: 'addComment', text: 'x'.repeat(COMMENT_MAX_LENGTH), clientId: 'c' })));
    assert.equal(COPY_MAX_LENGTH, 100_000);
    assert.ok(parseWebviewMessage(req({ kind: 'copyText', text: 'x'.repeat(COPY_MAX_LENGTH) })));
  });

  it('every value set equals the model set it comes from', () => {
    assert.deepEqual([...PROTOCOL_VALUES.status].sort(), [...PANE_STATUSES].sort());
    assert.deepEqual([...PROTOCOL_VALUES.classification].sort(), [...SETTABLE_CLASSIFICATIONS].sort());
    assert.deepEqual([...PROTOCOL_VALUES.severity].sort(), [...SETTABLE_SEVERITIES].sort());
    const settable = new Set(SETTABLE_CLASSIFICATIONS.flatMap(c => determinationsFor(c)));
    assert.deepEqual([...PROTOCOL_VALUES.determination].sort(), [...settable].sort());
    // ...and those are the model's known values less the ones only the service sets or that are deprecated.
    assert.deepEqual([...PROTOCOL_VALUES.determination].sort(), DETERMINATIONS.filter(d => !isDeprecated('determination', d)).sort());
    assert.deepEqual([...PROTOCOL_VALUES.classification].sort(), [...CLASSIFICATIONS].sort());
    assert.deepEqual([...PROTOCOL_VALUES.severity].sort(), SEVERITIES.filter(s => s !== 'UnSpecified').sort());
    assert.deepEqual([...PROTOCOL_VALUES.status].sort(), STATUSES.filter(s => s !== 'Redirected' && s !== 'AwaitingAction').sort());
    // The validator takes exactly these.
    for (const severity of SEVERITIES)
      assert.equal(!!parseWebviewMessage(req({ kind: 'setSeverity', severity })), PROTOCOL_VALUES.severity.has(severity), severity);
    for (const status of STATUSES) assert.equal(!!parseWebviewMessage(req({ kind: 'setStatus', status })), PROTOCOL_VALUES.status.has(status), status);
    for (const d of DETERMINATIONS) {
      assert.equal(!!parseWebviewMessage(req({ kind: 'classify', classification: 'TruePositive', determination: d })), PROTOCOL_VALUES.determination.has(d), d);
    }
  });
});

describe('pane host: requests refused before anything runs', () => {
  const request = (incidentId: string, id = 1): Request => ({ type: 'request', id, incidentId, action: { kind: 'assignToMe' } });

  it('refuses a request for another incident than the pane shows now (a preview switched from A to B)', () => {
    const limiter = new RequestRateLimiter();
    assert.equal(refusal(request('A'), 'A', limiter), undefined);
    const r = refusal(request('A'), 'B', limiter);
    assert.equal(r?.kind, 'wrongIncident');
    assert.equal(r?.message, 'This action was meant for incident #A, but the pane now shows #B; nothing was changed.');
    assert.equal(refusal(request('B'), 'B', limiter), undefined);
  });

  it(`allows ${MAX_REQUESTS_PER_SECOND} requests a second and refuses the rest with an error until the window moves on`, () => {
    let now = 1_000_000;
    const limiter = new RequestRateLimiter(MAX_REQUESTS_PER_SECOND, 1000, () => now);
    for (let i = 0; i < MAX_REQUESTS_PER_SECOND; i++) assert.equal(refusal(request('A', i), 'A', limiter), undefined, `request ${i}`);
    const r = refusal(request('A', 99), 'A', limiter);
    assert.equal(r?.kind, 'rateLimited');
    assert.match(r!.message, /more than 20 requests in a second; this one was refused/);
    now += 999;
    assert.equal(refusal(request('A'), 'A', limiter)?.kind, 'rateLimited', 'refused ones do not extend the wait, but the window is still full');
    now += 1;
    assert.equal(refusal(request('A'), 'A', limiter), undefined, 'a second later it runs');
    // A sliding window: the next 19 fit, the 21st in this second does not.
    for (let i = 0; i < MAX_REQUESTS_PER_SECOND - 1; i++) assert.ok(limiter.take());
    assert.equal(limiter.take(), false);
  });
});

describe('pane protocol: hunting requests', () => {
  it('accepts "Hunt for this" with a known kind and a bounded value, and "Hunt from this incident"', () => {
    assert.deepEqual(
      parseWebviewMessage(req({ kind: 'huntFor', target: { kind: 'ip', value: '203.0.113.7', extra: 1 } })),
      req({ kind: 'huntFor', target: { kind: 'ip', value: '203.0.113.7' } }),
    );
    assert.deepEqual(parseWebviewMessage(req({ kind: 'huntFromIncident', anything: 'x' })), req({ kind: 'huntFromIncident' }));
    assert.ok(parseWebviewMessage(req({ kind: 'huntFor', target: { kind: 'url', value: 'x'.repeat(HUNT_VALUE_MAX_LENGTH) } })));
    for (const target of [
      undefined,
      'ip',
      { kind: 'ip' },
      { kind: 'process', value: 'x' },
      { kind: 'ip', value: 7 },
      { kind: 'ip', value: '  ' },
      { kind: '__proto__', value: 'x' },
      { kind: 'url', value: 'x'.repeat(HUNT_VALUE_MAX_LENGTH + 1) },
    ]) {
      assert.equal(parseWebviewMessage(req({ kind: 'huntFor', target })), undefined, JSON.stringify(target)?.slice(0, 80));
    }
  });

  it("the host hunts only for an identifying value of the incident's own evidence", () => {
    const evidence = parseGraphEvidence(
      [
        { '@odata.type': '#microsoft.graph.security.ipEvidence', ipAddress: '203.0.113.7' },
        { '@odata.type': '#microsoft.graph.security.processEvidence', processCommandLine: 'cmd /c evil', imageFile: { sha256: 'ab'.repeat(32) } },
      ],
      'da1',
    ).items;
    const inc = incident({ id: '42', alerts: [alert({ id: 'da1', evidence })] });
    assert.equal(huntRefusal(inc, { kind: 'ip', value: '203.0.113.7' }), undefined);
    assert.equal(huntRefusal(inc, { kind: 'fileHash', value: 'ab'.repeat(32) }), undefined);
    assert.equal(huntRefusal(inc, { kind: 'ip', value: '198.51.100.1' }), 'That value is not an IP address in the evidence of incident #42; nothing was run.');
    assert.match(huntRefusal(inc, { kind: 'device', value: '203.0.113.7' }) ?? '', /not a device/);
    assert.match(huntRefusal(undefined, { kind: 'ip', value: '203.0.113.7' }) ?? '', /not loaded/);
    assert.match(huntUnavailable(HUNT_COMMANDS.huntFor), /defenderIncidents\.huntFor is not registered\. Nothing was run\./);
  });
});
