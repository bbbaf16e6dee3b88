import { log } from '../log';
import { newDeviceMessage, type NewDeviceNotice } from '../text/mail';
import type { Context } from './context';

/**
 * Sends the notice after the sign-in has committed. Mail trouble is logged and swallowed: a
 * failed notification must never turn into a failed sign-in.
 */
export async function sendNewDeviceNotice({ mailer }: Pick<Context, 'mailer'>, notice: NewDeviceNotice): Promise<boolean> {
  try {
    await mailer.send(newDeviceMessage(notice));
    return true;
  } catch (error) {
    // The error's name and code only: SMTP messages can quote the recipient's address.
    const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : null;
    log.warn('new_device_mail_failed', { error: error instanceof Error ? error.name : 'unknown', code });
    return false;
  }
}
