/**
 * The numbers behind Signet's limits and lifetimes: what the rules apply and what the pages tell
 * people. Constants only, with no import, so a page's browser code can quote them too.
 */

/** Emailed one-time codes: 6 digits, 10 minutes, 5 tries, only their HMAC stored. */
export const CODE_TTL_SECONDS = 10 * 60;
export const MAX_ATTEMPTS_PER_CODE = 5;
/** Codes sent to one address per window; more requests get the same answer and no email. */
export const MAX_SENDS_PER_WINDOW = 5;
/** Wrong codes for one address (across its codes) before it must wait out the window. */
export const MAX_FAILURES_PER_WINDOW = 10;
export const THROTTLE_WINDOW_SECONDS = 15 * 60;
/** A device seen within this many days is familiar: signing in on it again sends no alert. */
export const FAMILIAR_DEVICE_DAYS = 90;

/** Invitations one org may send per hour; beyond it the admin is told to wait. */
export const INVITATIONS_PER_ORG_PER_HOUR = 20;
/**
 * Invitation emails one address receives per day, from every org together. Past it invitations
 * are still saved (and answered alike) but not emailed, so the cap says nothing to one org about
 * another's invitations, nor whether the address has an account.
 */
export const INVITATION_EMAILS_PER_ADDRESS_PER_DAY = 5;
/** Orgs one person may create per day. */
export const ORGS_CREATED_PER_DAY = 10;

/**
 * A device-binding (DBSC) challenge answers once, within this many seconds. Browsers answer within
 * a second; the window is short because a registration challenge leaked with its sign-in (a HAR
 * file holds response headers) would let its holder bind a session whose own browser never did.
 */
export const DBSC_CHALLENGE_TTL_SECONDS = 120;
