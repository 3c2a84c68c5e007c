/** Links to the Defender portal. Only https://security.microsoft.com/ links are ever opened. Pure. */
import type { Incident } from './types';

export const PORTAL = 'https://security.microsoft.com';

/**
 * The backend's portal link (Defender incidentUri, Graph incidentWebUrl) when it is a genuine
 * https://security.microsoft.com URL, kept whole with its query: `?tid=<tenant>` opens the right tenant.
 * Anything else (http, another host, userinfo, a port, not a URL) falls back to a link built from the id.
 */
export function portalUrl(i: Pick<Incident, 'id' | 'webUrl'>): string {
  if (i.webUrl) {
    try {
      const u = new URL(i.webUrl);
      if (u.protocol === 'https:' && u.hostname === 'security.microsoft.com' && !u.username && !u.password && u.port === '') return u.toString();
    } catch {
      // not a URL: fall through to the built link
    }
  }
  return `${PORTAL}/incidents/${encodeURIComponent(i.id)}/overview`;
}
