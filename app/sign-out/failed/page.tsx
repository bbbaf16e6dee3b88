import type { Metadata } from 'next';
import Link from 'next/link';
import { SignOutButton } from '@/app/components/sign-out-button';

export const metadata: Metadata = { title: 'Not signed out' };

/** Where a sign-out that could not be written lands (R3): nothing changed, and the person can retry. */
export default function SignOutFailedPage() {
  return (
    <section className="card" aria-labelledby="failed-heading">
      <h1 id="failed-heading">You are still signed in</h1>
      <p role="alert">Signet could not sign you out just now. Nothing was changed on this device; try again in a few seconds.</p>
      <div className="actions">
        <SignOutButton label="Try signing out again" />
        <Link href="/">Back to your account</Link>
      </div>
    </section>
  );
}
