import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { LocalTime } from '@/app/components/local-time';
import { getEnv } from '@/lib/env';
import { listDevMail } from '@/lib/mail/dev-mailbox';

export const metadata: Metadata = { title: 'Dev mailbox' };

/** Development only: the emails Signet would have sent, newest first. */
export default async function DevMailboxPage() {
  await connection();
  const env = getEnv();
  if (env.isProduction || env.SMTP_URL) notFound();
  const messages = listDevMail();
  return (
    <>
      <h1>Dev mailbox</h1>
      <p className="muted">Outside production, Signet delivers email here and to the server log. Refresh after asking for a code.</p>
      <section className="card" aria-label="Messages">
        {messages.length === 0 ? <p>No messages yet.</p> : null}
        <ul className="plain">
          {messages.map((message) => (
            <li key={message.id} className="mail">
              <strong>{message.subject}</strong>
              <br />
              <span className="muted">
                to {message.to} · <LocalTime iso={message.sentAt} format="datetime" />
              </span>
              <br />
              {message.text}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
