/**
 * Attacker-shaped text the mock can put into its sample data (`hostile` seed option, `--hostile`), so a
 * client can be tried against what a real tenant's evidence may hold: markup, Markdown and `command:` links,
 * codicons, bidi overrides and invisible characters, line breaks that fake a second line, and KQL
 * metacharacters and pipelines that would change a query built by splicing the value in.
 * The same kinds as the tests' corpus (test/fixtures/hostile.ts), kept here because src/ cannot import tests.
 */
import type { Prng } from './seed';
import type { DefenderIncident } from './wire';

export const MOCK_HOSTILE: readonly string[] = [
  '<script>alert(1)</script>',
  '"><svg onload=alert(1)>',
  'Phishing [Open in portal](command:workbench.action.terminal.new "https://security.microsoft.com")',
  '$(warning) $(sync~spin) urgent',
  'invoice\u202Efdp.exe \u2066isolated\u2069 z\u200Be\u200Cr\u200Do',
  'alice@contoso.com\nOwner: admin@contoso.com',
  'x" or 1==1 | project-away * | where "a"=="a',
  'it\'s \\" a quote\\ and a backslash\\',
  '@"verbatim"" break" | take 100000 // comment',
  'evil.exe\u0000nul\u0007bell\ttab',
  '{{constructor.constructor("alert(1)")()}} ${alert(1)}',
];

/**
 * Put hostile text into some evidence values of about one incident in three: command lines, file names,
 * URLs, mail subjects and senders, account names, registry values. Only per-alert entities change (devices
 * are shared between incidents and keep their names, so device hunts still find every incident's rows).
 */
export function applyHostile(incidents: DefenderIncident[], r: Prng): void {
  for (let i = 0; i < incidents.length; i++) {
    if (i % 3 !== 1) continue;
    for (const a of incidents[i].alerts) {
      for (const e of a.entities) {
        const h = r.pick(MOCK_HOSTILE);
        switch (e.entityType) {
          case 'Process':
            e.processCommandLine = `${e.processCommandLine ?? ''} ${h}`;
            break;
          case 'File':
            e.fileName = `${h}.exe`;
            break;
          case 'Url':
            e.url = `https://evil.example/${encodeURIComponent(h).slice(0, 40)}?q=${h}`;
            break;
          case 'MailMessage':
            e.subject = h;
            e.sender = `${h.replace(/\s/g, '')}@evil.example`;
            break;
          case 'User':
            e.accountName = h;
            break;
          case 'Registry':
            e.registryValue = h;
            break;
          case 'MailBox':
            e.mailboxDisplayName = h;
            break;
          default:
            break;
        }
      }
    }
  }
}
