/**
 * The name a personal org starts with, alike on both engines (and in the backfill migrations):
 * "<local part>'s org". Its owner may rename it.
 */
export function personalOrgName(email: string): string {
  const local = email.split('@')[0] ?? email;
  return `${local.slice(0, 48)}'s org`;
}
