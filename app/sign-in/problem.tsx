import type { ReactNode } from 'react';
import { z } from 'zod';
import { LocalTime } from '@/app/components/local-time';
import { MAX_ATTEMPTS_PER_CODE, THROTTLE_WINDOW_SECONDS } from '@/lib/rules/caps';
import { LIMIT_WORDS, PROBLEMS, wrongCodeWords } from './words';

/**
 * What the sign-in and code pages say when something stopped the person, from the query the
 * form's route handler redirected back with: a problem, or a limit with what to do and when.
 */
type Params = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (typeof value === 'string' ? value : undefined);
const until = z.iso.datetime();

/** A limit's end from the query, if it is a real time within the window from now (anything else is ignored). */
function limitEnd(value: string | undefined, now: Date): Date | null {
  if (!value || !until.safeParse(value).success) return null;
  const end = new Date(value);
  return end > now && end.getTime() - now.getTime() <= (THROTTLE_WINDOW_SECONDS + 60) * 1000 ? end : null;
}

/** "after 14:32 (in 12 minutes)", or "in a few minutes" when the time is not known. */
function When({ end, now }: { end: Date | null; now: Date }) {
  if (!end) return <> in a few minutes.</>;
  const minutes = Math.max(1, Math.ceil((end.getTime() - now.getTime()) / 60_000));
  return (
    <>
      {' '}
      after <LocalTime iso={end.toISOString()} /> (in {minutes} {minutes === 1 ? 'minute' : 'minutes'}).
    </>
  );
}

/** The alert above a sign-in form, or nothing. */
export function FormProblem({ params, now }: { params: Params; now: Date }) {
  const limit = one(params.limit);
  const error = one(params.error);
  let body: ReactNode = null;
  if (limit === 'sends' || limit === 'failures') {
    body = (
      <>
        {LIMIT_WORDS[limit]}
        <When end={limitEnd(one(params.until), now)} now={now} />
      </>
    );
  } else if (error === 'wrong') {
    const left = Number(one(params.left));
    body = Number.isInteger(left) && left >= 1 && left <= MAX_ATTEMPTS_PER_CODE ? wrongCodeWords(left) : 'That code is wrong. Check the newest email and try again.';
  } else if (error !== undefined) {
    body = PROBLEMS.get(error) ?? null;
  }
  if (body === null) return null;
  return (
    <p className="error" role="alert">
      {body}
    </p>
  );
}
