import { MAX_ATTEMPTS_PER_CODE, MAX_SENDS_PER_WINDOW, THROTTLE_WINDOW_SECONDS } from '@/lib/rules/caps';

/**
 * The words of the sign-in forms' problems, for their pages and their fetch clients. Every limit
 * is said in words that hold for any address (the caps count every address alike), with what to
 * do and when (C7). A Map, so an unknown key such as `?error=constructor` finds nothing.
 */
const WINDOW_MINUTES = THROTTLE_WINDOW_SECONDS / 60;

export const PROBLEMS = new Map<string, string>([
  ['email', 'Enter a valid email address.'],
  ['format', 'The code is the 6 digits from the email.'],
  ['expired', 'That code has expired or a newer one was sent. Ask for a new code.'],
  ['used_up', `That code no longer works: it was entered wrongly ${MAX_ATTEMPTS_PER_CODE} times. Ask for a new code.`],
  ['unavailable', 'Signet cannot reach its session store right now. Nothing was changed; try again in a few seconds.'],
  ['mail', 'Signet could not send the email just now. No code was sent; try again in a minute.'],
  // The global send budget is spent (C6): the same words for every address.
  ['busy', 'Signet is sending a lot of sign-in codes right now. Try again in a minute.'],
]);

/** The limit messages' words, also sent to fetch clients (with the time in UTC). */
export const LIMIT_WORDS = {
  sends: `No new code was sent: Signet sends at most ${MAX_SENDS_PER_WINDOW} codes to one address in ${WINDOW_MINUTES} minutes, whoever asks, and this address has had ${MAX_SENDS_PER_WINDOW}. Use the newest code you already have, or ask for a new one`,
  failures: `This address is locked for ${WINDOW_MINUTES} minutes: too many wrong codes were entered for it. Signet does this for every address, to keep guessers out. Ask for a new code`,
} as const;

export const wrongCodeWords = (triesLeft: number): string =>
  `That code is wrong. Check the newest email and try again: ${triesLeft} ${triesLeft === 1 ? 'try' : 'tries'} left for this code.`;

