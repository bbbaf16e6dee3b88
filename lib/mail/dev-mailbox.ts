import type { MailMessage, Mailer } from './types';

export type StoredMessage = MailMessage & { id: number; sentAt: string };

const BOX = Symbol.for('signet.dev.mailbox');
const KEEP = 50;

type Holder = { [BOX]?: StoredMessage[] };

function box(): StoredMessage[] {
  const holder = globalThis as Holder;
  holder[BOX] ??= [];
  return holder[BOX];
}

/**
 * Where the dev mailbox is, in full, for the log line a developer clicks: the configured origin,
 * else localhost on the port `next dev` listens on (it sets PORT).
 */
function devMailboxUrl(): string {
  const origin = process.env.SIGNET_ORIGIN?.replace(/\/$/, '') ?? `http://localhost:${process.env.PORT ?? '3000'}`;
  return `${origin}/dev/mailbox`;
}

/** Development only: keeps the last messages in memory for /dev/mailbox and prints them. */
export const devMailbox: Mailer = {
  async send(message) {
    const messages = box();
    messages.unshift({ ...message, id: (messages[0]?.id ?? 0) + 1, sentAt: new Date().toISOString() });
    messages.length = Math.min(messages.length, KEEP);
    console.log(`\n[dev mailbox] to ${message.to}: ${message.subject}\n${message.text}\n(read it at ${devMailboxUrl()})\n`);
  },
};


/** Newest first. */
export function listDevMail(): StoredMessage[] {
  return [...box()];
}
