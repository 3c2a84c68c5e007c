/**
 * Keyboard-only triage (issue 12): what "Triage..." offers for an incident, in which order, and where
 * "Next Incident Needing Attention" goes. The commands themselves run in the UI journey 60-keyboard.
 */
import * as assert from 'assert/strict';
import {
  classificationInitials,
  needsAttention,
  nextNeeding,
  preferredFor,
  resolveLabel,
  resolvePairs,
  triageItems,
  type TriageItem,
} from '../../src/commands/triageChoices';
import { isValidPair, resolveNeeds } from '../../src/model/rules';
import { DETERMINATIONS_BY_CLASSIFICATION } from '../../src/model/types';
import { isDeprecated } from '../../src/model/enums';

const ME = 'analyst@contoso.com';
const labels = (items: TriageItem[]) => items.map(i => i.label);

describe('Triage... choices', () => {
  it('offers every valid, non-deprecated pair exactly once, and nothing the model refuses', () => {
    const pairs = resolvePairs();
    const expected = Object.entries(DETERMINATIONS_BY_CLASSIFICATION)
      .filter(([c]) => c !== 'Unknown')
      .flatMap(([c, ds]) => ds.filter(d => !isDeprecated('determination', d)).map(d => `${c}/${d}`));
    assert.deepEqual(pairs.map(([c, d]) => `${c}/${d}`).sort(), expected.sort());
    for (const [c, d] of pairs) {
      assert.ok(isValidPair(c, d), `${c}/${d}`);
      // Each resolves under the team rule too, given a comment.
      assert.deepEqual(resolveNeeds({ classification: c, determination: d, comment: 'x' }, true), []);
    }
  });

  it("puts the common end states first, in the portal's words", () => {
    const first = resolvePairs()
      .slice(0, 4)
      .map(([c, d]) => resolveLabel(c, d));
    assert.deepEqual(first, [
      'Resolve: True positive, Malware',
      'Resolve: False positive, Not malicious',
      'Resolve: True positive, Phishing',
      'Resolve: Informational, Security testing',
    ]);
  });

  it('an open incident that is not mine starts with "Assign to me and start"; Enter alone does it', () => {
    for (const assignedTo of [null, 'alice@contoso.com']) {
      const items = triageItems({ status: 'Active', assignedTo }, ME);
      assert.deepEqual(labels(items).slice(0, 3), ['Assign to me and start (In progress)', 'Assign to me', 'Resolve: True positive, Malware']);
      assert.deepEqual(items[0].choice, { kind: 'assignAndStart' });
      assert.deepEqual(labels(items).slice(-3), ['Comment...', 'Classify...', 'Set status...']);
    }
  });

  it('mine and Active starts with "Start"; mine and In progress with the resolve choices; "me" in any case', () => {
    assert.equal(triageItems({ status: 'Active', assignedTo: 'Analyst@Contoso.com' }, ME)[0].label, 'Start (In progress)');
    const inProgress = triageItems({ status: 'inProgress', assignedTo: ME }, ME);
    assert.deepEqual(inProgress[0].choice, { kind: 'resolve', classification: 'TruePositive', determination: 'Malware' });
    assert.ok(!labels(inProgress).some(l => /Assign|Start/.test(l)));
  });

  it('a resolved incident offers Reopen and the steps, no resolve choices', () => {
    const items = triageItems({ status: 'Resolved', assignedTo: ME }, ME);
    assert.deepEqual(labels(items), ['Reopen', 'Comment...', 'Classify...', 'Set status...']);
  });

  it('two typed letters pick the common pair of each classification', () => {
    assert.equal(classificationInitials('TruePositive'), 'tp');
    assert.equal(classificationInitials('FalsePositive'), 'fp');
    assert.equal(classificationInitials('InformationalExpectedActivity'), 'iea');
    const items = triageItems({ status: 'InProgress', assignedTo: ME }, ME);
    assert.equal(preferredFor(items, 'tp')?.label, 'Resolve: True positive, Malware');
    assert.equal(preferredFor(items, 'FP ')?.label, 'Resolve: False positive, Not malicious');
    assert.equal(preferredFor(items, 'iea')?.label, 'Resolve: Informational, Security testing');
    assert.equal(preferredFor(items, 'i')?.label, 'Resolve: Informational, Security testing');
    // Words of the label otherwise, first in the list's order; nothing typed: the first choice.
    assert.equal(preferredFor(items, 'phish')?.label, 'Resolve: True positive, Phishing');
    assert.equal(preferredFor(items, 'comment')?.label, 'Comment...');
    assert.equal(preferredFor(items, '')?.label, items[0].label);
    assert.equal(preferredFor(items, 'zzz'), undefined);
  });
});

describe('Next Incident Needing Attention', () => {
  it('needs attention: open and unassigned, or open and overdue', () => {
    assert.equal(needsAttention({ status: 'Active', assignedTo: null }, 'onTime'), true);
    assert.equal(needsAttention({ status: 'InProgress', assignedTo: '  ' }, undefined), true);
    assert.equal(needsAttention({ status: 'Active', assignedTo: ME }, 'overdue'), true);
    assert.equal(needsAttention({ status: 'Active', assignedTo: ME }, 'dueSoon'), false);
    assert.equal(needsAttention({ status: 'Resolved', assignedTo: null }, 'overdue'), false);
    assert.equal(needsAttention({ status: 'Redirected', assignedTo: null }, undefined), false);
  });

  const order = ['a', 'b', 'c', 'd', 'e'];
  const needs = (ids: string[]) => (id: string) => ids.includes(id);

  it('goes forward from the current one, skipping what needs nothing, and wraps around', () => {
    assert.equal(nextNeeding(order, 'a', needs(['c', 'e'])), 'c');
    assert.equal(nextNeeding(order, 'c', needs(['c', 'e'])), 'e');
    assert.equal(nextNeeding(order, 'e', needs(['b', 'e'])), 'b');
  });

  it('goes back with -1, wrapping around the top', () => {
    assert.equal(nextNeeding(order, 'd', needs(['b', 'e']), -1), 'b');
    assert.equal(nextNeeding(order, 'b', needs(['b', 'e']), -1), 'e');
  });

  it('without a current one starts at the top (or the bottom going back); never returns the current one', () => {
    assert.equal(nextNeeding(order, undefined, needs(['b', 'd'])), 'b');
    assert.equal(nextNeeding(order, undefined, needs(['b', 'd']), -1), 'd');
    assert.equal(nextNeeding(order, 'gone', needs(['d'])), 'd');
    assert.equal(nextNeeding(order, 'c', needs(['c'])), undefined);
    assert.equal(nextNeeding([], undefined, needs(['a'])), undefined);
  });

  it('after a resolve, the snapshot taken before it finds the one after the resolved incident', () => {
    // "b" was resolved and left the queue; the next needing attention after it is "d", not the top.
    const stillNeeds = needs(['a', 'd']);
    assert.equal(nextNeeding(order, 'b', stillNeeds), 'd');
  });
});
