/**
 * Microsoft Entra sign-in errors (AADSTS codes) in words, each with what to do. The codes a first
 * contact meets: wrong tenant, app not in the tenant, wrong or expired secret, no consent. No `vscode` import.
 */

export type SignInProblem = 'wrongTenant' | 'wrongApp' | 'wrongSecret' | 'expiredSecret' | 'consent' | 'blocked' | 'other';

export interface AadstsWords {
  code: number;
  problem: SignInProblem;
  /** What happened, in words. */
  words: string;
  /** What to do. */
  fix: string;
}

const TABLE: readonly AadstsWords[] = [
  {
    code: 90002,
    problem: 'wrongTenant',
    words: 'the tenant was not found',
    fix: 'Check defenderIncidents.tenantId: the Directory (tenant) ID GUID or a verified domain such as contoso.onmicrosoft.com, and the sign-in cloud (authorityHost).',
  },
  {
    code: 900023,
    problem: 'wrongTenant',
    words: 'the tenant identifier is not valid',
    fix: 'Set defenderIncidents.tenantId to the Directory (tenant) ID GUID or a verified domain.',
  },
  {
    code: 90072,
    problem: 'wrongTenant',
    words: 'the signed-in account is not in this tenant',
    fix: 'Sign in with an account of the tenant, or invite it as a guest.',
  },
  {
    code: 700016,
    problem: 'wrongApp',
    words: 'the application was not found in this tenant',
    fix: 'Check defenderIncidents.clientId (the Application (client) ID, not the object ID) and that the app is registered in this tenant.',
  },
  {
    code: 500011,
    problem: 'wrongApp',
    words: 'the API is not available in this tenant (its service principal is missing)',
    fix: 'The tenant has no Microsoft Defender XDR (or the API host is wrong): check the licence and defenderIncidents.apiBaseUrl.',
  },
  {
    code: 7000215,
    problem: 'wrongSecret',
    words: 'the client secret is wrong',
    fix: 'Run "Defender Incidents: Set Client Secret" with the secret\'s Value (not its Secret ID).',
  },
  { code: 7000218, problem: 'wrongSecret', words: 'no client secret was sent', fix: 'Run "Defender Incidents: Set Client Secret".' },
  {
    code: 7000222,
    problem: 'expiredSecret',
    words: 'the client secret has expired',
    fix: 'Create a new secret under the app\'s "Certificates & secrets" and run "Defender Incidents: Set Client Secret".',
  },
  {
    code: 65001,
    problem: 'consent',
    words: "nobody consented to the app's permissions",
    fix: 'An administrator opens the app\'s "API permissions" and selects "Grant admin consent".',
  },
  {
    code: 650057,
    problem: 'consent',
    words: "the app does not request this API's permission",
    fix: 'Add the permission under the app\'s "API permissions", then grant admin consent.',
  },
  {
    code: 53003,
    problem: 'blocked',
    words: 'a Conditional Access policy blocked the sign-in',
    fix: 'Ask your administrator which policy applies (device, location or MFA).',
  },
  { code: 50076, problem: 'blocked', words: 'multi-factor authentication is required', fix: 'Sign in again interactively ("Defender Incidents: Sign In").' },
  { code: 50020, problem: 'wrongTenant', words: 'the account is from another tenant and is not a guest here', fix: 'Sign in with an account of this tenant.' },
];

/** The first AADSTS code in a message ("... (invalid_client: AADSTS7000215: Invalid client secret ...") , or null. */
export function aadstsCode(text: string): number | null {
  const m = /\bAADSTS(\d{5,7})\b/.exec(text);
  return m ? Number(m[1]) : null;
}

/** The words for a code; an unknown code still gets its number and a generic fix. */
export function aadstsWords(code: number): AadstsWords {
  return (
    TABLE.find(t => t.code === code) ?? {
      code,
      problem: 'other',
      words: `Microsoft Entra refused the sign-in (AADSTS${code})`,
      fix: `Look the code up at https://login.microsoftonline.com/error?code=${code}.`,
    }
  );
}

/** Every code with words: the README's table and the tests read it. */
export function knownAadsts(): readonly AadstsWords[] {
  return TABLE;
}
