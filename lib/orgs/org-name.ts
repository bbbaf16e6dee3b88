/** An org's name as people type it, made safe to show anywhere (pages, emails, the sign-in notice). */

export const ORG_NAME_MAX = 80;

// C0 and C1 controls, bidi embeddings, overrides and isolates (which can make a name read as
// another in an email subject), and zero-width characters.
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** NFC, hidden characters removed, runs of spaces made one; null when empty or too long. */
export function normalizeOrgName(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  const name = input.normalize('NFC').replace(HIDDEN, '').replace(/\s+/g, ' ').trim();
  if (name.length < 1 || name.length > ORG_NAME_MAX) return null;
  return name;
}
