import { strict as assert } from 'assert';
import { clockTime, FSI, isolate, PDI, plainText, redactSecrets, safeText, showInvisibles } from '../../src/shared/text';
import { CORPUS, EXTRA, inertProblems, leavesBidiOpen, LINK, PHISHING_NAME } from '../fixtures/hostile';
import { HOSTILE } from '../webview/hostile-data';

const HOSTILE_BIDI = HOSTILE.bidiZeroWidth;

describe('shared text helpers', () => {
  describe('redactSecrets', () => {
    it('takes the token of an Authorization header with its scheme, a bare bearer token and a JWT anywhere', () => {
      const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
      for (const line of [
        `Authorization: Bearer ${jwt}`,
        `"authorization": "Bearer abc.def-ghi"`,
        `authorization=bearer abcdef123`,
        `Bearer ${jwt}`,
        `token ${jwt} seen`,
      ]) {
        const out = redactSecrets(line);
        assert.doesNotMatch(out, /abc\.def-ghi|abcdef123|eyJhbGci/, `${line} -> ${out}`);
        assert.match(out, /\[redacted( JWT)?\]/, out);
      }
      assert.equal(redactSecrets('client_secret=s3cr3t&x=1'), 'client_secret=[redacted]&x=1');
      assert.equal(redactSecrets('nothing secret here'), 'nothing secret here');
    });
  });

  describe('safeText', () => {
    it('no string of the hostile corpus can form a link, a codicon, an autolink or a command URI', () => {
      for (const [name, s] of CORPUS) {
        const out = safeText(s);
        assert.deepEqual(inertProblems(out), [], `${name}: ${JSON.stringify(out)}`);
        assert.ok(!leavesBidiOpen(out), `${name} leaves a bidi embedding open`);
        assert.ok(!/[\r\n\u2028\u2029\0]/.test(out), `${name} stays on one line`);
      }
    });

    it('the phishing name still reads the same, but is no link', () => {
      const out = safeText(PHISHING_NAME);
      assert.equal(out, 'Phishing ［Open in portal］(command：workbench.action.terminal.new "https://security.microsoft.com")');
      assert.equal([...`Notice: ${out}`.matchAll(LINK)].length, 0);
      assert.equal([...`Notice: ${PHISHING_NAME}`.matchAll(LINK)].length, 1, 'the raw name is a link to VS Code');
    });

    it('pieces that each went through it cannot form a link together', () => {
      const pieces = ['[Open', '](command:x)', '[a]', '(https://evil.example)', '$', '(shield)'];
      for (const a of pieces)
        for (const b of pieces) {
          for (const sep of ['', ' ', '(', ': ']) assert.deepEqual(inertProblems(`${safeText(a)}${sep}${safeText(b)}`), [], `${a} ${sep} ${b}`);
        }
    });

    it('codicons: $( becomes a fullwidth dollar; a lone $ stays', () => {
      assert.equal(safeText('$(warning) costs $5'), '＄(warning) costs $5');
    });

    it('leaves ordinary text alone', () => {
      for (const s of [
        'Suspicious PowerShell command line on fin-ws-042',
        'alice@contoso.com',
        'Ransomware (Windows11) 100% & more',
        "'Emotet' malware: detected",
      ])
        assert.equal(safeText(s), s);
    });

    it('is idempotent, so composed text can go through it again', () => {
      for (const [name, s] of CORPUS) {
        const once = safeText(s);
        assert.equal(safeText(once), once, name);
      }
    });

    it('caps the length (ellipsis included), without splitting a surrogate pair', () => {
      assert.equal(safeText('x'.repeat(1000), { max: 10 }), `${'x'.repeat(9)}…`);
      assert.equal(safeText(`${'x'.repeat(8)}😀😀`, { max: 10 }), `${'x'.repeat(8)}…`);
      assert.ok(safeText(EXTRA.phishingName.repeat(50_000)).length <= 240 + 2);
    });

    it('identity: invisible characters become visible, so a look-alike owner differs', () => {
      const shown = safeText(EXTRA.zeroWidthOwner, { identity: true });
      assert.equal(shown, 'adm⟦U+200B⟧in@con⟦U+200D⟧toso.com⟦U+2060⟧');
      assert.notEqual(shown, 'admin@contoso.com');
      assert.equal(safeText('admin@contoso.com\u202E', { identity: true }), 'admin@contoso.com⟦U+202E⟧');
    });

    it('turns line breaks and controls into a space', () => {
      assert.equal(safeText(EXTRA.lineBreakFakesLine), 'alice@contoso.com Owner: admin@contoso.com');
      assert.equal(safeText('a\0\u0007b\u2028c'), 'a b c');
    });

    it('accepts non-strings', () => {
      assert.equal(safeText(undefined), '');
      assert.equal(safeText(null), '');
      assert.equal(safeText(42), '42');
    });
  });

  describe('isolate', () => {
    it('removes embeddings, overrides and isolates', () => {
      assert.equal(isolate(EXTRA.rloName), 'Suspicious sign-in yfirev');
      assert.equal(isolate(EXTRA.embeddingsUnclosed), 'xyz');
      for (const [name, s] of CORPUS) assert.ok(!leavesBidiOpen(isolate(s)), name);
    });

    it('wraps right-to-left text in FSI...PDI and leaves left-to-right text as it is', () => {
      assert.equal(isolate(EXTRA.arabicOwner), `${FSI}${EXTRA.arabicOwner}${PDI}`);
      assert.equal(isolate('alice@contoso.com'), 'alice@contoso.com');
      assert.equal(isolate(`${FSI}${EXTRA.arabicOwner}${PDI}`), `${FSI}${EXTRA.arabicOwner}${PDI}`, 'idempotent');
    });

    it('keeps line breaks (the pane shows multi-line comments)', () => {
      assert.equal(isolate('a\nb'), 'a\nb');
    });
  });

  describe('showInvisibles', () => {
    it('marks zero-width, bidi, format and unusual space characters, and nothing else', () => {
      assert.equal(showInvisibles(HOSTILE_BIDI), 'invoice⟦U+202E⟧fdp.exe ⟦U+2066⟧isolated⟦U+2069⟧ z⟦U+200B⟧e⟦U+200C⟧r⟦U+200D⟧o⟦U+2060⟧w⟦U+FEFF⟧idth');
      assert.equal(showInvisibles('a\u00A0b\u00ADc\u3164d\uFE0Fe'), 'a⟦U+00A0⟧b⟦U+00AD⟧c⟦U+3164⟧d⟦U+FE0F⟧e');
      assert.equal(showInvisibles('tag\u{E0041}'), 'tag⟦U+E0041⟧');
      assert.equal(showInvisibles('Müller Ωmega 名前 @contoso.com'), 'Müller Ωmega 名前 @contoso.com');
    });
  });

  describe('plainText', () => {
    it('isolates and keeps brackets (tree rows render no links)', () => {
      assert.equal(plainText('[x](command:y)'), '[x](command:y)');
      assert.equal(plainText(EXTRA.rloOwner), 'admin@contoso.com');
      assert.equal(plainText(EXTRA.lineBreakFakesLine), 'alice@contoso.com Owner: admin@contoso.com');
      for (const [name, s] of CORPUS) assert.ok(!leavesBidiOpen(plainText(s)), name);
    });
  });

  it('clockTime: local hours and minutes', () => {
    const t = new Date(2026, 10, 29, 9, 5).getTime();
    assert.equal(clockTime(t), '09:05');
  });
});
