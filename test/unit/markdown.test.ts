import { strict as assert } from 'assert';
import { incidentToMarkdown, md } from '../../src/export/markdown';
import { portalUrl } from '../../src/model/links';
import { alert, incident } from '../support/builders';

describe('export to Markdown', () => {
  it('keeps hostile backend text literal: no links, HTML or headings survive', () => {
    assert.equal(md('[x](command:workbench.action.terminal.new)'), '\\[x\\]\\(command:workbench.action.terminal.new\\)');
    assert.equal(md('<img src=x onerror=alert(1)>'), '\\<img src=x onerror=alert\\(1\\)\\>');
    assert.equal(md('# heading\nnext'), '\\# heading next');
    assert.equal(md(null), '—');
  });

  it('has the summary, alerts, assets and timeline sections', () => {
    const i = incident({
      id: '924565', name: 'Ransomware [click](command:x)', severity: 'High', assignedTo: 'alice@contoso.com',
      alerts: [alert({ title: 'Ransomware behavior detected', devices: [{ id: 'd', dnsName: 'ws-fin-0231.contoso.com', osPlatform: 'Windows11', osBuild: null, healthStatus: null, riskScore: null, firstSeen: null }], entities: [{ type: 'User', label: 'bob@contoso.com', details: {} }] })],
    });
    const text = incidentToMarkdown(i, [{ key: 'k', kind: 'comment', time: '2026-11-29T10:00:00Z', author: 'alice@contoso.com', text: 'Isolated the device', state: 'confirmed' }], new Date('2026-11-29T12:00:00Z'));
    assert.match(text, /^# Incident 924565: Ransomware \\\[click\\\]\\\(command:x\\\)/);
    assert.match(text, /\| Owner \| alice@contoso\.com \|/);
    assert.match(text, /### Ransomware behavior detected/);
    assert.match(text, /- Device: ws\\-fin\\-0231\.contoso\.com \(Windows11\)/);
    assert.match(text, /- User: bob@contoso\.com/);
    assert.match(text, /Isolated the device/);
    assert.match(text, /\(https:\/\/security\.microsoft\.com\/incidents\/924565\/overview\)/);
  });

  it('portal links: only genuine https://security.microsoft.com links are used; anything else is rebuilt from the id', () => {
    assert.equal(portalUrl({ id: '7', webUrl: 'https://security.microsoft.com/incidents/7?tid=abc' }), 'https://security.microsoft.com/incidents/7?tid=abc');
    for (const evil of ['javascript:alert(1)', 'https://security.microsoft.com.evil.com/x', 'http://security.microsoft.com/x', 'https://user:pw@security.microsoft.com/x', 'command:workbench.action.terminal.new', 'not a url']) {
      assert.equal(portalUrl({ id: '7', webUrl: evil }), 'https://security.microsoft.com/incidents/7/overview', evil);
    }
  });
});
