/**
 * Size caps of the mock. It listens on loopback only, needs a key and refuses browsers, but a caller that
 * has the key can still be wrong or hostile: every text it stores and every count it acts on is bounded,
 * and a request over a cap is refused with a 400 naming the cap (never truncated, never half-applied).
 */

/** Request body, both the APIs and the control routes (413 above it). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** A comment, as the portal allows ("up to 30,000 characters"); also Graph's resolvingComment and description. */
export const MAX_COMMENT_LENGTH = 30_000;
/**
 * An incident name. Neither API documents a limit; the portal's names are generated from alert titles and
 * stay well under 200 characters. 1,000 leaves room for any real rename and keeps a queue page small.
 */
export const MAX_NAME_LENGTH = 1_000;
/** One tag (the portal's tag box takes short labels; 128 is generous). */
export const MAX_TAG_LENGTH = 128;
/** Tags on one incident. Not documented; 50 is far past what a queue shows and bounds the incident's size. */
export const MAX_TAGS = 50;
/** assignedTo, X-Mock-User, "by" of an edit: an email address is at most 320 characters (RFC 5321). */
export const MAX_USER_LENGTH = 320;
/** Incidents a `/__mock/reset` may seed: enough for any paging or performance test, small enough to seed in a second. */
export const MAX_RESET_COUNT = 5_000;
/** Evidence items a `/__mock/incidents` arrival may be padded to (the benches use 500). */
export const MAX_EVIDENCE_COUNT = 5_000;
