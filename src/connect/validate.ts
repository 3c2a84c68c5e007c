/**
 * The tenant and client ID as typed into the walkthrough's input boxes: validated on each keystroke with
 * the same rules the settings are resolved with (src/backend/config.ts). No `vscode` import.
 */
import { DOMAIN, GUID } from '../backend/config';

/** A problem with a typed tenant, or undefined when it is a tenant GUID or a domain. */
export function tenantProblem(value: string): string | undefined {
  const v = value.trim();
  if (!v) return 'Enter the Directory (tenant) ID, a GUID, or a verified domain such as contoso.onmicrosoft.com.';
  if (/^(common|organizations|consumers)$/i.test(v))
    return `"${v}" is not a tenant: enter your organization's tenant ID or domain (the app's client secret works only in its own tenant).`;
  if (/^https?:/i.test(v) || v.includes('/')) return 'Enter the tenant only (a GUID or a domain), not a URL.';
  if (GUID.test(v) || DOMAIN.test(v)) return undefined;
  if (/^[0-9a-f-]+$/i.test(v)) return `A tenant ID is a GUID like 72f988bf-86f1-41af-91ab-2d7cd011db47 (${v.replace(/-/g, '').length} of 32 hex digits typed).`;
  return 'Enter a GUID or a domain such as contoso.onmicrosoft.com.';
}

/** A problem with a typed application (client) ID, or undefined when it is a GUID. */
export function clientIdProblem(value: string): string | undefined {
  const v = value.trim();
  if (!v) return "Enter the Application (client) ID from the app registration's Overview page.";
  if (GUID.test(v)) return undefined;
  if (/^[0-9a-f-]+$/i.test(v))
    return `An application ID is a GUID like 11111111-2222-3333-4444-555555555555 (${v.replace(/-/g, '').length} of 32 hex digits typed).`;
  if (/[~.]/.test(v) && v.length > 30) return 'This looks like a client secret, not the application ID: never paste a secret here (settings are not secret).';
  return 'The application (client) ID is a GUID.';
}
