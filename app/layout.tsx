import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Signet', template: '%s · Signet' },
  description: 'Sessions you can see and end.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request, the 404 page too: the nonce proxy.ts put in this request's
  // Content-Security-Policy must reach its scripts, and a page prerendered at build has none.
  await connection();
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          {/* No prefetch: this link is on every page, and a prefetch is a request through proxy.ts. */}
          <Link href="/" className="brand" prefetch={false}>
            Signet
          </Link>
        </header>
        <main className="page">{children}</main>
      </body>
    </html>
  );
}
