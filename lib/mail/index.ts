import { getEnv } from '../env';
import { devMailbox } from './dev-mailbox';
import { smtpMailer } from './smtp';
import type { Mailer } from './types';

export type { MailMessage, Mailer } from './types';

let smtp: { url: string; mailer: Mailer } | undefined;

/** Whether mail goes to the dev mailbox (development without SMTP_URL): then the pages point to it. */
export function usesDevMailbox(): boolean {
  const env = getEnv();
  return !env.isProduction && !env.SMTP_URL;
}

/** SMTP when SMTP_URL is set (required in production), otherwise the development mailbox. */
export function getMailer(): Mailer {
  const env = getEnv();
  if (!env.SMTP_URL) return devMailbox;
  if (smtp?.url !== env.SMTP_URL) smtp = { url: env.SMTP_URL, mailer: smtpMailer(env.SMTP_URL, env.MAIL_FROM) };
  return smtp.mailer;
}
