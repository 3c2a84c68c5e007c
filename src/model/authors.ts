/**
 * Comment authors as the server records them. A comment written with a user's token carries the user's
 * UPN; one written with an app-only token (client-secret sign-in) is recorded as `API-App:<clientId>`,
 * which the timeline, pane and export must show as it is (that is what the portal shows too) but say
 * what it means. Pure: no `vscode` import, also used by the webview.
 */

export interface CommentAuthor {
  /** What to show: the recorded author, explained when it is an app registration. */
  label: string;
  /** True when the comment was posted with an app-only token. */
  viaApp: boolean;
  /** The app registration's client id, when `viaApp`. */
  appId?: string;
}

const APP_PREFIX = /^\s*API-App:\s*(.*?)\s*$/i;

export function commentAuthor(createdBy: string | null | undefined): CommentAuthor {
  const raw = (createdBy ?? '').trim();
  if (!raw) {
    return { label: 'Unknown', viaApp: false };
  }
  const m = APP_PREFIX.exec(raw);
  if (!m) {
    return { label: raw, viaApp: false };
  }
  const label = `${raw} (posted through the app registration)`;
  return m[1] ? { label, viaApp: true, appId: m[1] } : { label, viaApp: true };
}
