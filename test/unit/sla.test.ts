import * as assert from 'assert/strict';
import {
  DEFAULT_SLA_POLICY,
  NO_SLA,
  computeSlaStates,
  describeSlaClocks,
  formatSla,
  formatSlaMinutes,
  formatSpan,
  nextTransition,
  slaState,
  type SlaPolicy,
} from '../../src/model/sla';
import { parseSlaDuration, parseSlaSetting } from '../../src/model/slaSetting';
import type { Incident } from '../../src/model/types';
import { incident } from '../support/builders';

const M = 60_000;
const H = 60 * M;
const D = 24 * H;
/** Every incident here was created at T0; times are T0 + offsets. */
const CREATED = '2026-11-20T10:00:00Z';
const T0 = Date.parse(CREATED);

const high = (p: Partial<Incident> = {}) => incident({ severity: 'High', status: 'Active', assignedTo: null, createdTime: CREATED, ...p });
const P = DEFAULT_SLA_POLICY;

describe('sla: policy defaults', () => {
  it('has the documented defaults', () => {
    assert.deepEqual(P.High, { assignWithinMinutes: 30, resolveWithinMinutes: 240 });
    assert.deepEqual(P.Medium, { assignWithinMinutes: 120, resolveWithinMinutes: 1440 });
    assert.deepEqual(P.Low, { assignWithinMinutes: 480, resolveWithinMinutes: 4320 });
    assert.deepEqual(P.Informational, { assignWithinMinutes: null, resolveWithinMinutes: null });
    assert.deepEqual(P.UnSpecified, { assignWithinMinutes: null, resolveWithinMinutes: null });
  });
});

describe('sla: parseSlaSetting', () => {
  it('gives the defaults and no errors when the setting is absent or empty', () => {
    for (const raw of [undefined, null, {}]) {
      const r = parseSlaSetting(raw);
      assert.deepEqual(r.errors, []);
      assert.deepEqual(r.policy, P);
    }
  });

  it('reads durations as strings, numbers of minutes, null and "off"; missing ones keep the defaults', () => {
    const r = parseSlaSetting({
      High: { assign: '45m', resolve: '1h30m' },
      Medium: { assign: 15, resolve: '2d' },
      Low: { assign: null },
      Informational: { assign: '4h', resolve: 'OFF' },
    });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.policy.High, { assignWithinMinutes: 45, resolveWithinMinutes: 90 });
    assert.deepEqual(r.policy.Medium, { assignWithinMinutes: 15, resolveWithinMinutes: 2880 });
    assert.deepEqual(r.policy.Low, { assignWithinMinutes: null, resolveWithinMinutes: 4320 });
    assert.deepEqual(r.policy.Informational, { assignWithinMinutes: 240, resolveWithinMinutes: null });
    assert.deepEqual(r.policy.UnSpecified, P.UnSpecified);
  });

  it('accepts the duration forms', () => {
    const ok: [unknown, number | null][] = [
      ['45m', 45],
      ['4h', 240],
      ['2d', 2880],
      ['1h30m', 90],
      ['1d 12h', 2160],
      ['1d2h3m', 1563],
      [' 4 H ', 240],
      ['1.5h', 90],
      [30, 30],
      [0.5, 0.5],
      ['off', null],
      ['Off', null],
      [null, null],
    ];
    for (const [v, want] of ok) assert.deepEqual(parseSlaDuration(v), { minutes: want }, JSON.stringify(v));
  });

  it('rejects what is not a positive duration', () => {
    for (const v of ['30 mins', '30', '', 'h', '4h2d', '1m1m', 'soon', true, {}, [], '1w']) {
      const r = parseSlaDuration(v);
      assert.ok('error' in r && r.error.includes('is not a duration'), `${JSON.stringify(v)}: ${JSON.stringify(r)}`);
    }
    assert.match((parseSlaDuration('-30m') as { error: string }).error, /^"-30m" is negative/);
    assert.match((parseSlaDuration('0m') as { error: string }).error, /^"0m" is zero/);
    assert.match((parseSlaDuration('0h0m') as { error: string }).error, /is zero/);
    assert.match((parseSlaDuration(0) as { error: string }).error, /^0 is not a positive number of minutes/);
    assert.match((parseSlaDuration(-5) as { error: string }).error, /^-5 is not a positive number of minutes/);
    assert.match((parseSlaDuration('400d') as { error: string }).error, /longer than .* 365d/);
  });

  it('names every bad entry exactly and keeps its default, applying the rest', () => {
    const r = parseSlaSetting({
      High: { assign: '30 mins', resolve: '2h' },
      Medium: { assign: -5, resolve: '0m', escalate: '1h' },
      Low: { assign: '-1h' },
      Critical: { assign: '5m' },
      Informational: '4h',
    });
    assert.deepEqual(r.errors, [
      'defenderIncidents.sla.High.assign: "30 mins" is not a duration (use e.g. "30m", "4h", "2d", or "off")',
      'defenderIncidents.sla.Medium.assign: -5 is not a positive number of minutes (use e.g. "30m", "4h", "2d", or "off")',
      'defenderIncidents.sla.Medium.resolve: "0m" is zero: a duration must be more than zero (use e.g. "30m", "4h", "2d", or "off")',
      'defenderIncidents.sla.Medium.escalate: unknown field (use "assign" or "resolve")',
      'defenderIncidents.sla.Low.assign: "-1h" is negative: a duration must be more than zero (use e.g. "30m", "4h", "2d", or "off")',
      'defenderIncidents.sla.Critical: unknown severity (use "High", "Medium", "Low", "Informational", "UnSpecified")',
      'defenderIncidents.sla.Informational: "4h" is not an object like { "assign": "30m", "resolve": "4h" } (or null to turn both clocks off)',
    ]);
    assert.deepEqual(r.policy.High, { assignWithinMinutes: 30, resolveWithinMinutes: 120 }, 'bad assign keeps 30, good resolve applies');
    assert.deepEqual(r.policy.Medium, P.Medium);
    assert.deepEqual(r.policy.Low, P.Low);
    assert.deepEqual(r.policy.Informational, P.Informational);
    assert.equal((r.policy as Record<string, unknown>).Critical, undefined);
  });

  it('names a setting that is not an object, and keeps all defaults', () => {
    for (const raw of ['30m', 5, [], true]) {
      const r = parseSlaSetting(raw);
      assert.equal(r.errors.length, 1);
      assert.match(r.errors[0], /^defenderIncidents\.sla: .* is not an object/);
      assert.deepEqual(r.policy, P);
    }
  });

  it('matches severity keys like the API values do, and names a duplicate', () => {
    const r = parseSlaSetting({ high: { assign: '10m' }, HIGH: { assign: '20m' }, unknown: { resolve: '1d' } });
    assert.deepEqual(r.errors, ['defenderIncidents.sla.HIGH: High is already set by defenderIncidents.sla.high']);
    assert.equal(r.policy.High.assignWithinMinutes, 10);
    assert.deepEqual(r.policy.UnSpecified, { assignWithinMinutes: null, resolveWithinMinutes: 1440 });
  });

  it('turns a whole severity off with null or "off"', () => {
    const r = parseSlaSetting({ High: null, Low: 'off' });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.policy.High, { assignWithinMinutes: null, resolveWithinMinutes: null });
    assert.deepEqual(r.policy.Low, { assignWithinMinutes: null, resolveWithinMinutes: null });
  });

  it('does not share or change the defaults', () => {
    const r = parseSlaSetting({ High: { assign: '1m' } });
    assert.equal(r.policy.High.assignWithinMinutes, 1);
    assert.equal(DEFAULT_SLA_POLICY.High.assignWithinMinutes, 30);
  });
});

describe('sla: slaState', () => {
  it('an unassigned open incident: time to assign governs, on time before the 20% mark', () => {
    const s = slaState(high(), P, T0 + 10 * M);
    assert.equal(s.state, 'onTime');
    assert.equal(s.clock, 'assign');
    assert.equal(s.dueAt, T0 + 30 * M);
    assert.equal(s.msLeft, 20 * M);
    assert.deepEqual(s.assign, { durationMs: 30 * M, dueAt: T0 + 30 * M, msLeft: 20 * M, met: false, metAt: null });
    assert.deepEqual(s.resolve, { durationMs: 4 * H, dueAt: T0 + 4 * H, msLeft: 4 * H - 10 * M, met: false, metAt: null });
  });

  it('is due soon exactly at the 20% mark, not 1 ms before', () => {
    // 20% of 30 m = 6 m: due soon from T0 + 24 m.
    assert.equal(slaState(high(), P, T0 + 24 * M - 1).state, 'onTime');
    const s = slaState(high(), P, T0 + 24 * M);
    assert.equal(s.state, 'dueSoon');
    assert.equal(s.clock, 'assign');
    assert.equal(s.msLeft, 6 * M);
  });

  it('is overdue exactly at the due time, not 1 ms before', () => {
    assert.equal(slaState(high(), P, T0 + 30 * M - 1).state, 'dueSoon');
    const s = slaState(high(), P, T0 + 30 * M);
    assert.equal(s.state, 'overdue');
    assert.equal(s.clock, 'assign');
    assert.equal(s.msLeft, 0);
    assert.equal(slaState(high(), P, T0 + 2 * H).msLeft, -90 * M);
  });

  it('an assigned incident: time to assign is met, time to resolve governs', () => {
    const i = high({ assignedTo: 'alice@contoso.com' });
    const s = slaState(i, P, T0 + 2 * H);
    assert.equal(s.state, 'onTime');
    assert.equal(s.clock, 'resolve');
    assert.equal(s.dueAt, T0 + 4 * H);
    assert.equal(s.assign?.met, true);
    assert.equal(s.assign?.metAt, null);
    // 20% of 4 h = 48 m: due soon from 3 h 12 m, overdue from 4 h.
    assert.equal(slaState(i, P, T0 + 3 * H + 12 * M - 1).state, 'onTime');
    assert.equal(slaState(i, P, T0 + 3 * H + 12 * M).state, 'dueSoon');
    assert.equal(slaState(i, P, T0 + 4 * H - 1).state, 'dueSoon');
    assert.equal(slaState(i, P, T0 + 4 * H).state, 'overdue');
  });

  it('an empty or blank owner is unassigned', () => {
    assert.equal(slaState(high({ assignedTo: '' }), P, T0).clock, 'assign');
    assert.equal(slaState(high({ assignedTo: '  ' }), P, T0).clock, 'assign');
  });

  it('a known assignment time marks time to assign met, even if unassigned since', () => {
    const s = slaState(high(), P, T0 + 2 * H, T0 + 10 * M);
    assert.equal(s.state, 'onTime');
    assert.equal(s.clock, 'resolve');
    assert.deepEqual(s.assign, { durationMs: 30 * M, dueAt: T0 + 30 * M, msLeft: -90 * M, met: true, metAt: T0 + 10 * M });
    // Without it, the same incident is overdue on time to assign.
    assert.equal(slaState(high(), P, T0 + 2 * H).state, 'overdue');
    assert.equal(slaState(high(), P, T0 + 2 * H, null).state, 'overdue');
    assert.equal(slaState(high(), P, T0 + 2 * H, NaN).state, 'overdue', 'NaN is not a time');
  });

  it('overdue on time to assign stays overdue (and governs) while resolve is on time', () => {
    const s = slaState(high(), P, T0 + 31 * M);
    assert.equal(s.state, 'overdue');
    assert.equal(s.clock, 'assign');
    assert.equal(s.dueAt, T0 + 30 * M);
  });

  it('the governing clock is the one with the least time left, whichever it is', () => {
    const policy: SlaPolicy = { ...P, High: { assignWithinMinutes: 120, resolveWithinMinutes: 60 } };
    const s = slaState(high(), policy, T0 + 50 * M);
    assert.equal(s.clock, 'resolve');
    assert.equal(s.state, 'dueSoon');
    assert.equal(s.msLeft, 10 * M);
    // A tie goes to time to assign.
    const tie: SlaPolicy = { ...P, High: { assignWithinMinutes: 60, resolveWithinMinutes: 60 } };
    assert.equal(slaState(high(), tie, T0).clock, 'assign');
  });

  it('a severity with only one clock on', () => {
    const onlyResolve: SlaPolicy = { ...P, High: { assignWithinMinutes: null, resolveWithinMinutes: 60 } };
    const s = slaState(high(), onlyResolve, T0);
    assert.equal(s.clock, 'resolve');
    assert.equal(s.assign, null);
    const onlyAssign: SlaPolicy = { ...P, High: { assignWithinMinutes: 30, resolveWithinMinutes: null } };
    const u = slaState(high(), onlyAssign, T0 + 25 * M);
    assert.equal(u.state, 'dueSoon');
    assert.equal(u.resolve, null);
    // Assigned, and no resolve clock: nothing runs, but the met clock is still described.
    const a = slaState(high({ assignedTo: 'bob' }), onlyAssign, T0 + 25 * M);
    assert.equal(a.state, 'none');
    assert.equal(a.clock, null);
    assert.equal(a.dueAt, null);
    assert.equal(a.assign?.met, true);
  });

  it('only Active and In progress incidents have clocks (any case)', () => {
    assert.equal(slaState(high({ status: 'InProgress' }), P, T0).state, 'onTime');
    assert.equal(slaState(high({ status: 'inProgress' }), P, T0).state, 'onTime');
    assert.equal(slaState(high({ status: 'ACTIVE' }), P, T0).state, 'onTime');
    assert.equal(slaState(high({ status: ' active ' }), P, T0).state, 'onTime');
    for (const status of ['Resolved', 'resolved', 'Redirected', 'AwaitingAction', 'unknownFutureValue', '']) {
      assert.deepEqual(slaState(high({ status }), P, T0 + 10 * D), NO_SLA, status);
    }
  });

  it('a severity without a policy has no clocks: Informational (off by default), UnSpecified, unknown', () => {
    assert.equal(slaState(high({ severity: 'Informational' }), P, T0 + 10 * D).state, 'none');
    assert.equal(slaState(high({ severity: 'informational' }), P, T0 + 10 * D).state, 'none');
    assert.equal(slaState(high({ severity: 'UnSpecified' }), P, T0 + 10 * D).state, 'none');
    assert.equal(slaState(high({ severity: 'Critical' }), P, T0 + 10 * D).state, 'none');
    assert.equal(slaState(high({ severity: 'high' }), P, T0).clock, 'assign', 'severity case is normalised');
    assert.equal(slaState(high({ severity: 'Medium' }), P, T0).dueAt, T0 + 2 * H);
    assert.equal(slaState(high({ severity: 'Low' }), P, T0).dueAt, T0 + 8 * H);
  });

  it('never throws on bad data: unparseable or missing createdTime, odd fields', () => {
    assert.equal(slaState(high({ createdTime: 'yesterday' }), P, T0).state, 'none');
    assert.equal(slaState(high({ createdTime: '' }), P, T0).state, 'none');
    assert.equal(slaState(high({ createdTime: null as unknown as string }), P, T0).state, 'none');
    assert.equal(slaState(high({ status: null as unknown as string }), P, T0).state, 'none');
    assert.equal(slaState(high({ severity: undefined as unknown as string }), P, T0).state, 'none');
    assert.equal(slaState(high({ assignedTo: 5 as unknown as string }), P, T0).clock, 'assign');
    assert.equal(slaState(high({ severity: 'constructor' }), P, T0).state, 'none', 'no prototype keys');
  });
});

describe('sla: formatSla and describeSlaClocks', () => {
  const at = (i: Incident, t: number, assignedAt?: number) => formatSla(slaState(i, P, t, assignedAt), t);

  it('formats the governing clock compactly', () => {
    assert.equal(at(high(), T0 + 10 * M), 'on time');
    assert.equal(at(high(), T0 + 21 * M), 'on time', '9 m left of 30 m is more than 20%');
    assert.equal(at(high({ severity: 'Medium' }), T0 + 111 * M), 'due in 9 m');
    assert.equal(at(high(), T0 + 31 * M, T0 + 5 * M), 'on time', 'assigned: time to resolve governs');
    assert.equal(at(high({ status: 'Resolved' }), T0 + 31 * M), '');
  });

  it('due in: minutes under 1 h, rounded up', () => {
    assert.equal(at(high(), T0 + 24 * M), 'due in 6 m');
    assert.equal(at(high(), T0 + 24 * M + 30_000), 'due in 6 m');
    assert.equal(at(high(), T0 + 30 * M - 1), 'due in 1 m');
    const medium = high({ severity: 'Medium', assignedTo: 'bob' });
    // Medium resolve 24 h: due soon in its last 4 h 48 m.
    assert.equal(at(medium, T0 + 21 * H), 'due in 3 h');
    assert.equal(at(medium, T0 + 21 * H + 30 * M), 'due in 2 h 30 m');
    assert.equal(at(medium, T0 + 19 * H + 12 * M), 'due in 4 h 48 m');
    assert.equal(at(medium, T0 + 19 * H + 12 * M - 1), 'on time');
  });

  it('overdue: rounded down, "h m" under a day, "d h" from a day', () => {
    assert.equal(at(high(), T0 + 30 * M), 'overdue < 1 m');
    assert.equal(at(high(), T0 + 30 * M + 59_999), 'overdue < 1 m');
    assert.equal(at(high(), T0 + 31 * M), 'overdue 1 m');
    assert.equal(at(high(), T0 + 30 * M + 1 * H + 12 * M + 40_000), 'overdue 1 h 12 m');
    assert.equal(at(high(), T0 + 30 * M + 2 * H), 'overdue 2 h');
    assert.equal(at(high(), T0 + 30 * M + D + 5 * H + 59 * M), 'overdue 1 d 5 h');
    assert.equal(at(high(), T0 + 30 * M + 3 * D), 'overdue 3 d');
    assert.equal(formatSla(NO_SLA, T0), '');
  });

  it('formatSpan rolls over units', () => {
    assert.equal(formatSpan(59 * M + 1, true), '1 h');
    assert.equal(formatSpan(D - 1, true), '1 d');
    assert.equal(formatSpan(D + 1, true), '1 d 1 h');
    assert.equal(formatSpan(D - 1, false), '23 h 59 m');
    assert.equal(formatSpan(47 * H + 59 * M, false), '1 d 23 h');
    assert.equal(formatSpan(0, false), '0 m');
  });

  it('formats policy durations exactly', () => {
    assert.equal(formatSlaMinutes(30), '30 m');
    assert.equal(formatSlaMinutes(240), '4 h');
    assert.equal(formatSlaMinutes(90), '1 h 30 m');
    assert.equal(formatSlaMinutes(4320), '3 d');
    assert.equal(formatSlaMinutes(1470), '1 d 30 m');
    assert.equal(formatSlaMinutes(0.5), '30 s');
  });

  it('describes both clocks for a tooltip', () => {
    assert.deepEqual(describeSlaClocks(slaState(high({ assignedTo: 'alice' }), P, T0 + 2 * H + 48 * M)), [
      'Time to assign: 30 m, met',
      'Time to resolve: 4 h, 1 h 12 m left',
    ]);
    assert.deepEqual(describeSlaClocks(slaState(high(), P, T0 + 35 * M)), ['Time to assign: 30 m, overdue 5 m', 'Time to resolve: 4 h, 3 h 25 m left']);
    assert.deepEqual(describeSlaClocks(slaState(high(), P, T0 + 5 * H, T0 + 42 * M)), [
      'Time to assign: 30 m, met 12 m late',
      'Time to resolve: 4 h, overdue 1 h',
    ]);
    assert.deepEqual(describeSlaClocks(slaState(high(), P, T0 + H, T0 + 30 * M + 10_000))[0], 'Time to assign: 30 m, met < 1 m late');
    assert.deepEqual(describeSlaClocks(slaState(high(), P, T0 + H, T0 + 20 * M))[0], 'Time to assign: 30 m, met');
    assert.deepEqual(describeSlaClocks(slaState(high({ status: 'Resolved' }), P, T0)), []);
  });
});

describe('sla: computeSlaStates and nextTransition', () => {
  const queue = (): Incident[] => [
    high({ id: 'a' }), // assign due T0+30m (soon at +24m), resolve due +4h (soon at +3h12m)
    high({ id: 'b', assignedTo: 'alice' }), // resolve only
    high({ id: 'c', severity: 'Medium', createdTime: '2026-11-20T10:05:00Z' }), // assign due +2h5m (soon at +1h41m)
    high({ id: 'd', status: 'Resolved' }),
    high({ id: 'e', severity: 'Informational' }),
    high({ id: 'f', createdTime: 'not a time' }),
  ];

  it('computes every incident by id, with assignment times from the journal', () => {
    const journal = new Map([['a', T0 + 5 * M]]);
    const m = computeSlaStates(queue(), P, T0 + H, id => journal.get(id) ?? null);
    assert.deepEqual([...m.keys()], ['a', 'b', 'c', 'd', 'e', 'f']);
    assert.equal(m.get('a')?.state, 'onTime');
    assert.equal(m.get('a')?.assign?.metAt, T0 + 5 * M);
    assert.equal(m.get('b')?.clock, 'resolve');
    assert.equal(m.get('c')?.clock, 'assign');
    assert.equal(m.get('d'), NO_SLA);
    assert.equal(m.get('e')?.state, 'none');
    assert.equal(m.get('f')?.state, 'none');
    assert.equal(computeSlaStates(queue(), P, T0 + H).get('a')?.state, 'overdue');
  });

  it('fills a given Map in place, dropping incidents no longer given (also from a one-shot iterator)', () => {
    const into = computeSlaStates(queue(), P, T0);
    const again = computeSlaStates(queue(), P, T0 + H, undefined, into);
    assert.equal(again, into);
    assert.equal(into.size, 6);
    assert.equal(into.get('a')?.state, 'overdue');
    function* some() {
      yield high({ id: 'a' });
      yield high({ id: 'z', assignedTo: 'bob' });
    }
    computeSlaStates(some(), P, T0, undefined, into);
    assert.deepEqual([...into.keys()].sort(), ['a', 'z']);
    assert.equal(into.get('a')?.state, 'onTime');
    computeSlaStates([], P, T0, undefined, into);
    assert.equal(into.size, 0);
  });

  it('nextTransition gives the exact next change, in order', () => {
    const q = queue();
    const expected = [
      T0 + 24 * M, // a: assign due soon
      T0 + 30 * M, // a: assign overdue
      T0 + 5 * M + 96 * M, // c: assign due soon (2 h - 24 m)
      T0 + 5 * M + 2 * H, // c: assign overdue
      T0 + 3 * H + 12 * M, // b: resolve due soon (a's resolve clock changes nothing: a is overdue already)
      T0 + 4 * H, // b: resolve overdue
    ]; // c's resolve clock (24 h) never governs while its assign clock (2 h) runs
    let now = T0;
    const got: number[] = [];
    for (let t = nextTransition(q, P, now); t !== null; t = nextTransition(q, P, now)) {
      got.push(t);
      now = t;
    }
    assert.deepEqual(got, expected);
  });

  it('states change exactly at each transition and nowhere in between', () => {
    const q = queue();
    const key = (t: number) => JSON.stringify([...computeSlaStates(q, P, t)].map(([id, s]) => [id, s.state, s.clock]));
    let now = T0 - H;
    let next = nextTransition(q, P, now);
    let changes = 0;
    while (next !== null) {
      const before = key(now);
      // Sampled between now and the transition (every minute and the last ms): nothing changes.
      for (let t = now + 1; t < next; t += M) assert.equal(key(t), before, `no change at +${(t - T0) / M} m`);
      assert.equal(key(next - 1), before);
      assert.notEqual(key(next), before, `a change at +${(next - T0) / M} m`);
      changes++;
      now = next;
      next = nextTransition(q, P, now);
    }
    assert.ok(changes >= 5);
    assert.equal(key(now + 365 * D), key(now), 'nothing changes after the last transition');
  });

  it('is exact on a random queue: no change before each transition, a change at it', () => {
    let seed = 12;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
    const policy: SlaPolicy = { ...P, Informational: { assignWithinMinutes: 7.3, resolveWithinMinutes: 11 } };
    const q = Array.from({ length: 60 }, (_, k) =>
      high({
        id: `r${k}`,
        severity: pick(['High', 'Medium', 'Low', 'Informational', 'UnSpecified']),
        status: pick(['Active', 'InProgress', 'Resolved']),
        assignedTo: pick([null, 'alice']),
        createdTime: new Date(T0 + Math.floor(rnd() * 6 * H)).toISOString(),
      }),
    );
    const journal = new Map(q.filter(() => rnd() < 0.2).map(i => [i.id, T0] as [string, number]));
    const assignedAt = (id: string) => journal.get(id) ?? null;
    const key = (t: number) => [...computeSlaStates(q, policy, t, assignedAt).values()].map(s => `${s.state}/${s.clock}`).join(',');
    let now = T0;
    let n = 0;
    for (let next = nextTransition(q, policy, now, assignedAt); next !== null; next = nextTransition(q, policy, now, assignedAt)) {
      const before = key(now);
      for (let k = 0; k < 5; k++) assert.equal(key(now + Math.floor(rnd() * (next - now))), before);
      assert.equal(key(next - 1), before, `nothing changes before ${next - T0}`);
      assert.notEqual(key(next), before, `something changes at ${next - T0}`);
      now = next;
      n++;
    }
    assert.ok(n > 20, `${n} transitions`);
    assert.equal(key(now + 100 * D), key(now));
  });

  it('a transition exactly at now is already past; an assignment known from the journal drops its clock', () => {
    const q = [high({ id: 'a' })];
    assert.equal(nextTransition(q, P, T0 + 24 * M - 1), T0 + 24 * M);
    assert.equal(nextTransition(q, P, T0 + 24 * M), T0 + 30 * M);
    assert.equal(nextTransition(q, P, T0 + 30 * M), null, 'overdue on assign: its resolve clock changes nothing');
    assert.equal(nextTransition([high({ assignedTo: 'bob' })], P, T0 + 4 * H - 1), T0 + 4 * H);
    assert.equal(nextTransition([high({ assignedTo: 'bob' })], P, T0 + 4 * H), null);
    assert.equal(
      nextTransition(q, P, T0, () => T0 + M),
      T0 + 3 * H + 12 * M,
    );
    assert.equal(nextTransition([], P, T0), null);
    assert.equal(nextTransition(queue().slice(3), P, T0), null, 'no clocks at all');
  });

  it('is exact for durations whose 20% is not a whole millisecond', () => {
    // 1.0001 m = 60006 ms; 20% = 12001.2 ms: due soon from the first ms with <= 12001.2 ms left.
    const policy: SlaPolicy = { ...P, High: { assignWithinMinutes: 1.0001, resolveWithinMinutes: null } };
    const q = [high()];
    const t = nextTransition(q, policy, T0);
    assert.equal(t, T0 + 60006 - 12001);
    assert.equal(slaState(q[0], policy, t! - 1).state, 'onTime');
    assert.equal(slaState(q[0], policy, t!).state, 'dueSoon');
  });
});
