import { strict as assert } from 'assert';
import { incidentToMarkdown, md, mdUrl } from '../../src/export/markdown';
import { portalUrl } from '../../src/model/links';
import { alert, incident } from '../support/builders';
import { CORPUS, EXTRA, leavesBidiOpen } from '../fixtures/hostile';

/** Every Markdown inline link or image in `text`: `[label](destination)`, `[label](<destination>)`. */
function links(text: string): string[] {
  return [...text.matchAll(/(?<!\\)\[((?:\\.|[^\\\]])*)\]\(\s*(<(?:\\.|[^\\>\n])*>|(?:\\.|[^\\\s()]|\((?:\\.|[^\\\s()])*\))*)/g)].map(m => m[2]);
}

describe('export to Markdown', () => {
  it('keeps hostile backend text literal: no links, HTML or headings survive', () => {
    assert.equal(md('[x](command:workbench.action.terminal.new)'), '\\[x\\]\\(command\\:workbench\\.action\\.terminal\\.new\\)');
    assert.equal(md('<img src=x onerror=alert(1)>'), '\\<img src=x onerror=alert\\(1\\)\\>');
    assert.equal(md('# heading\nnext'), '\\# heading next');
    assert.equal(md(null), '—');
  });

  it("says severity, status, classification and determination in the portal's words (the model's label table)", () => {
    const text = incidentToMarkdown(
      incident({ severity: 'UnSpecified', status: 'InProgress', classification: 'FalsePositive', determination: 'Clean' }),
      [],
      new Date('2026-11-29T12:00:00Z'),
    );
    assert.match(text, /\| Severity \| Unspecified \|/);
    assert.match(text, /\| Status \| In progress \|/);
    assert.match(text, /\| Classification \| False positive \|/);
    assert.match(text, /\| Determination \| Not malicious \|/);
    assert.doesNotMatch(text, /NotMalicious|\bClean\b|InProgress/);
  });

  it('has the summary, alerts, assets and timeline sections', () => {
    const i = incident({
      id: '924565',
      name: 'Ransomware [click](command:x)',
      severity: 'High',
      assignedTo: 'alice@contoso.com',
      alerts: [
        alert({
          title: 'Ransomware behavior detected',
          devices: [
            { id: 'd', dnsName: 'ws-fin-0231.contoso.com', osPlatform: 'Windows11', osBuild: null, healthStatus: null, riskScore: null, firstSeen: null },
          ],
          entities: [{ type: 'User', label: 'bob@contoso.com', details: {} }],
        }),
      ],
    });
    const text = incidentToMarkdown(
      i,
      [{ key: 'k', kind: 'comment', time: '2026-11-29T10:00:00Z', author: 'alice@contoso.com', text: 'Isolated the device', state: 'confirmed' }],
      new Date('2026-11-29T12:00:00Z'),
    );
    assert.match(text, /^# Incident 924565: Ransomware \\\[click\\\]\\\(command\\:x\\\)/);
    assert.match(text, /\| Owner \| alice\\@contoso\\\.com \|/);
    assert.match(text, /### Ransomware behavior detected/);
    assert.match(text, /- Device: ws\\-fin\\-0231\\\.contoso\\\.com \(Windows11\)/);
    assert.match(text, /- User: bob\\@contoso\\\.com/);
    assert.match(text, /Isolated the device/);
    assert.match(text, /\(https:\/\/security\.microsoft\.com\/incidents\/924565\/overview\)/);
  });

  it('portal links: only genuine https://security.microsoft.com links are used; anything else is rebuilt from the id', () => {
    assert.equal(portalUrl({ id: '7', webUrl: 'https://security.microsoft.com/incidents/7?tid=abc' }), 'https://security.microsoft.com/incidents/7?tid=abc');
    for (const evil of [
      'javascript:alert(1)',
      'https://security.microsoft.com.evil.com/x',
      'http://security.microsoft.com/x',
      'https://user:pw@security.microsoft.com/x',
      'command:workbench.action.terminal.new',
      'not a url',
    ]) {
      assert.equal(portalUrl({ id: '7', webUrl: evil }), 'https://security.microsoft.com/incidents/7/overview', evil);
    }
  });

  it('a backend URL with a ")" cannot end the portal link early or add one: the only link is the portal\'s', () => {
    for (const evil of [
      'https://security.microsoft.com/incidents/7)[Open](command:workbench.action.terminal.new)',
      'https://security.microsoft.com/incidents/7?x=1) <img src=x onerror=alert(1)> [a](command:x "t")',
      'https://security.microsoft.com/incidents/7?q=a b"c\\d<e>`f\u202E',
    ]) {
      const text = incidentToMarkdown(incident({ id: '7', webUrl: evil }), [], new Date('2026-11-29T12:00:00Z'));
      const found = links(text);
      assert.equal(found.length, 1, `${evil}: ${found.join(' | ')}`);
      assert.match(found[0], /^https:\/\/security\.microsoft\.com\/incidents\/7/);
      assert.doesNotMatch(found[0], /[()<>[\]\s"\\`\u202E]/, found[0]);
    }
    assert.equal(mdUrl('https://security.microsoft.com/incidents/7?x=(1)&y=[2]'), 'https://security.microsoft.com/incidents/7?x=%281%29&y=%5B2%5D');
  });

  it("every hostile string in every field: no link but the portal's, and nothing left open by a bidi control", () => {
    for (const [name, h] of CORPUS) {
      const i = incident({
        id: '7',
        name: h,
        assignedTo: h,
        tags: [h],
        determination: h,
        webUrl: `https://security.microsoft.com/incidents/7?${h}`,
        alerts: [
          alert({
            title: h,
            description: h,
            category: h,
            mitreTechniques: [h],
            devices: [{ id: h, dnsName: h, osPlatform: h, osBuild: null, healthStatus: null, riskScore: null, firstSeen: null }],
            entities: [{ type: h, label: h, details: {} }],
          }),
        ],
      });
      const text = incidentToMarkdown(i, [{ key: 'k', kind: 'comment', time: h, author: h, text: h, state: 'confirmed' }], new Date('2026-11-29T12:00:00Z'));
      const found = links(text);
      assert.equal(found.length, 1, `${name}: ${found.join(' | ')}`);
      assert.match(found[0], /^https:\/\/security\.microsoft\.com\//, name);
      for (const line of text.split('\n')) assert.ok(!leavesBidiOpen(line), `${name}: ${line.slice(0, 120)}`);
      assert.doesNotMatch(text, /(?<!\\)<(img|script|svg)/i, name);
    }
  });

  it('bidi controls are removed, right-to-left text isolated, invisible characters in owners shown', () => {
    assert.equal(md(EXTRA.rloName), 'Suspicious sign\\-in yfirev');
    assert.equal(md(EXTRA.arabicOwner), `\u2068${EXTRA.arabicOwner.replace(/[.@]/g, c => `\\${c}`)}\u2069`);
    const text = incidentToMarkdown(
      incident({ assignedTo: EXTRA.zeroWidthOwner }),
      [{ key: 'k', kind: 'comment', time: 't', author: EXTRA.rloOwner, text: 'hi', state: 'confirmed' }],
      new Date(),
    );
    assert.ok(text.includes('| Owner | adm⟦U\\+200B⟧in\\@con⟦U\\+200D⟧toso\\.com⟦U\\+2060⟧ |'), text);
    assert.ok(text.includes('· admin\\@contoso\\.com⟦U\\+202E⟧: hi'), text);
  });

  it('leaves no bare URL, www. host or e-mail address for a preview to autolink (issue 16 item 10)', () => {
    for (const raw of ['see https://evil.example/x', 'www.evil.example', 'mail bob@evil.example', 'ftp://files.evil.example', 'evil.example/login']) {
      const out = md(raw);
      // What GFM and markdown-it's linkify look for, in one unbroken run of text: escapes break the run.
      assert.doesNotMatch(out, /[a-z]+:\/\/|www\.|[\w.+-]+@[\w-]+\.[a-z]|[a-z0-9-]+\.[a-z]{2,}/i, `${raw} -> ${out}`);
    }
  });
});
