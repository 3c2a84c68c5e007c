/**
 * Who is who: the one comparison of two people's sign-in names, and "is this incident mine". Sign-in
 * names (UPNs) compare case-insensitively, as Entra ID does. Pure; imports nothing outside the model.
 */

/** Longer than any sign-in name: a (hostile) value this long is compared as it is, not lower-cased. */
const LONGEST = 4096;

/** Whether two sign-in names are the same person; an empty one is nobody. */
export function sameIdentity(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  return a.length > LONGEST || b.length > LONGEST ? a === b : a.toLowerCase() === b.toLowerCase();
}

/** Whether the incident (or alert) is assigned to `identity`. */
export function isMine(item: { assignedTo: string | null }, identity: string | null | undefined): boolean {
  return sameIdentity(item.assignedTo, identity);
}
