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

export function signInCodeMessage(to: string, code: string): { to: string; subject: string; text: string } {
  return {
    to,
    subject: `Your Signet code: ${code}`,
    text: [
      `Your Signet sign-in code is ${code}`,
      '',
      'It works once, for 10 minutes, in the browser where you asked for it.',
      'If you did not try to sign in, you can ignore this message: nobody can sign in without the code.',
    ].join('\n'),
  };
}
