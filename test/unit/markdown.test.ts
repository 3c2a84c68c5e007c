import { strict as assert } from 'assert';
import { incidentToMarkdown, md, mdUrl } from '../../src/export/markdown';
import { portalUrl } from '../../src/model/links';
import { alert, incident } from '../support/builders';
import { groupEvidence, incidentEvidence, parseDefenderEntities, parseGraphEvidence } from '../../src/model/evidence';
import { CORPUS, EXTRA, leavesBidiOpen } from '../fixtures/hostile';

const T = (t: string) => `#microsoft.graph.security.${t}`;
/** An alert whose evidence is read from Graph's `evidence` array, as the client reads it. */
const graphAlert = (id: string, title: string, evidence: unknown[]) => {
  const parsed = parseGraphEvidence(evidence, id);
  return alert({ id, title, evidence: parsed.items, evidenceProblems: parsed.problems });
};

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

  it('has the summary, alerts, evidence and timeline sections', () => {
    const i = incident({
      id: '924565',
      name: 'Ransomware [click](command:x)',
      severity: 'High',
      assignedTo: 'alice@contoso.com',
      alerts: [
        graphAlert('da1', 'Ransomware behavior detected', [
          { '@odata.type': T('deviceEvidence'), deviceDnsName: 'ws-fin-0231.contoso.com', mdeDeviceId: 'd1', roles: ['compromised'], verdict: 'malicious' },
          { '@odata.type': T('userEvidence'), userAccount: { userPrincipalName: 'bob@contoso.com' }, remediationStatus: 'remediated' },
        ]),
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
    assert.match(text, /## Evidence\n\n2 entities in 2 groups: Devices 1, Users 1\n\n### Devices \(1\)\n\n- ws\\-fin\\-0231\\\.contoso\\\.com\n/);
    assert.match(
      text,
      / {2}- Roles: compromised · Verdict: malicious · Remediation: —\n {2}- device: d1\n {2}- Named by alert: Ransomware behavior detected\n/,
    );
    assert.match(text, /### Users \(1\)\n\n- bob\\@contoso\\\.com\n {2}- Roles: none · Verdict: — · Remediation: remediated\n/);
    assert.doesNotMatch(text, /Impacted assets/);
    assert.match(text, /Isolated the device/);
    assert.match(text, /\(https:\/\/security\.microsoft\.com\/incidents\/924565\/overview\)/);
  });

  it("the Evidence section has the pane's groups and counts: one row per entity, whichever alerts name it", () => {
    const device = { '@odata.type': T('deviceEvidence'), deviceDnsName: 'ws-1', mdeDeviceId: 'd1' };
    const alerts = [
      graphAlert('a1', 'First', [device, { '@odata.type': T('ipEvidence'), ipAddress: '10.0.0.1' }, { '@odata.type': T('ipEvidence'), ipAddress: '10.0.0.2' }]),
      graphAlert('a2', 'Second', [
        { ...device, roles: ['attacker'] },
        { '@odata.type': T('kubernetesPodEvidence'), name: 'pod-1' },
        { '@odata.type': '#microsoft.graph.security.futureEvidence', thing: 'x' },
        'not an object',
      ]),
    ];
    const text = incidentToMarkdown(incident({ alerts }), [], new Date('2026-11-29T12:00:00Z'));
    const groups = groupEvidence(incidentEvidence(alerts).items);
    const headings = [...text.matchAll(/^### (.+) \((\d+)\)$/gm)].filter(m => !m[1].startsWith('First') && !m[1].startsWith('Second'));
    assert.deepEqual(
      headings.map(m => [m[1], Number(m[2])]),
      groups.map(g => [g.label, g.items.length]),
    );
    assert.match(text, /5 entities in 4 groups: Devices 1, IP addresses 2, Cloud resources 1, Other 1/);
    assert.match(text, /- ws\\-1\n {2}- Roles: attacker · Verdict: — · Remediation: —\n {2}- device: d1\n {2}- Named by 2 alerts: First; Second\n/);
    assert.match(text, /- kubernetesPodEvidence · pod\\-1\n/);
    assert.match(text, /1 evidence item could not be read and is not shown:\n\n- alert a2\\: evidence\\\[3\\\] is a string, expected an object\n/);
    // The Defender API carries no roles: the export says so, as the pane does.
    const ents = parseDefenderEntities([{ entityType: 'Ip', ipAddress: '10.0.0.9' }], [], 'd1');
    const defender = incidentToMarkdown(incident({ alerts: [alert({ id: 'd1', evidence: ents.items })] }), [], new Date());
    assert.match(defender, /The Defender API does not carry roles/);
    assert.match(defender, /Roles: not given by this API/);
    assert.match(incidentToMarkdown(incident({ alerts: [] }), [], new Date()), /## Evidence\n\nNo alerts, so no evidence\./);
    assert.match(incidentToMarkdown(incident({ alerts: [alert()] }), [], new Date()), /## Evidence\n\nNo evidence reported for these alerts\./);
  });

  it('hostile evidence values stay literal: no link, HTML, heading or list item of their own, nothing left open by a bidi control', () => {
    for (const [name, h] of CORPUS) {
      const alerts = [
        graphAlert(h, h, [
          { '@odata.type': T('userEvidence'), userAccount: { userPrincipalName: h, azureAdUserId: `${h}-id` }, roles: [h], verdict: h, remediationStatus: h },
          { '@odata.type': T('analyzedMessageEvidence'), subject: h, networkMessageId: 'n1', recipientEmailAddress: h, senderIp: h },
          { '@odata.type': `#microsoft.graph.security.${h}`, thing: h },
          h,
        ]),
      ];
      const text = incidentToMarkdown(incident({ id: '7', alerts }), [], new Date('2026-11-29T12:00:00Z'));
      const evidence = text.slice(text.indexOf('\n## Evidence\n'), text.indexOf('\n## Comments and history\n'));
      assert.ok(evidence.length > 0, name);
      assert.deepEqual(links(evidence), [], name);
      assert.doesNotMatch(evidence, /(?<!\\)<(img|script|svg|a\b)/i, name);
      for (const line of evidence.split('\n')) {
        assert.ok(!leavesBidiOpen(line), `${name}: ${line.slice(0, 120)}`);
        // Only the export's own lines start a heading or an item: backend text never starts a line.
        assert.match(
          line,
          /^(|## Evidence|### (Users|Email messages|Other) \(\d\)|- .*| {2}- .*|\d+ entit.*|1 evidence item .*)$/,
          `${name}: ${line.slice(0, 120)}`,
        );
      }
      assert.match(evidence, /### Users \(1\)/, name);
    }
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
            evidence: parseGraphEvidence([{ '@odata.type': T('deviceEvidence'), deviceDnsName: h, roles: [h], verdict: h }], 'a').items,
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
