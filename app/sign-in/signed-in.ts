import { getCurrentSession } from '@/lib/web/session';

/**
 * Whether this browser is signed in, for the sign-in pages that send a signed-in person on (Back
 * after signing in must not show a stale code form). A store that cannot answer counts as "no":
 * these pages must still render, and signing in will report the store's trouble itself.
 */
export async function signedInNow(): Promise<boolean> {
  try {
    return (await getCurrentSession()) !== null;
  } catch {
    return false;
  }
}
