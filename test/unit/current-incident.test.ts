import * as assert from 'assert/strict';
import { CurrentIncident, noTargetMessage } from '../../src/commands/currentIncident';

describe('the incident a key means (dropped keys, issue 19)', () => {
  const all = () => true;

  it("our own reveal counts at once, before VS Code's selection event arrives", () => {
    const c = new CurrentIncident();
    c.selectInTree('1');
    // Resolve #1, move on: the reveal of #2 is ours; the key comes before the selection event.
    c.selectInTree('2');
    assert.equal(c.target('tree', undefined, all), '2');
    // The late event for the same row changes nothing.
    c.selectInTree('2');
    assert.equal(c.target('tree', undefined, all), '2');
  });

  it('a pane key right after the pane opened targets it though VS Code does not call it active yet', () => {
    const c = new CurrentIncident();
    c.selectInTree('7');
    c.activatePane('7');
    assert.equal(c.target('pane', undefined, all), '7');
    // VS Code's own answer wins when it has one.
    assert.equal(c.target('pane', '9', all), '9');
  });

  it('falls back to the other place, and to nothing only when neither has an incident', () => {
    const c = new CurrentIncident();
    assert.equal(c.target('tree', undefined, all), undefined);
    c.activatePane('3');
    assert.equal(c.target('tree', undefined, all), '3');
    c.leavePane('3');
    assert.equal(c.target('pane', undefined, all), undefined);
    c.selectInTree('4');
    assert.equal(c.target('pane', undefined, all), '4');
    // An incident that left the queue and has no pane is not a target.
    assert.equal(
      c.target('tree', undefined, id => id !== '4'),
      undefined,
    );
  });

  it('without a place (the palette), the newest of tree and pane', () => {
    const c = new CurrentIncident();
    c.activatePane('1');
    c.selectInTree('2');
    assert.equal(c.target(undefined, undefined, all), '2');
    c.activatePane('1');
    assert.equal(c.target(undefined, undefined, all), '1');
  });

  it('says why when it cannot act', () => {
    assert.match(noTargetMessage('Triage...'), /select an incident in the queue or open one in the pane/);
  });
});
