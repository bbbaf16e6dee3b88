/** Lower-cased and trimmed: the one spelling of an address that is stored and compared. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
