import { LocalTime } from '@/app/components/local-time';
import type { EndedNotice } from '@/lib/store/types';
import { describeEnding } from '@/lib/text/endings';

/**
 * Why this browser was signed out, and when: "You were signed out from Work laptop on 1 Dec
 * 2026, 14:32." A person's own sign-out just says "You are signed out."
 */
export function EndingNotice({ notice }: { notice: EndedNotice }) {
  const { headline, detail } = describeEnding(notice);
  const own = notice.reason === 'sign_out' && !notice.elsewhere;
  return (
    <div className="notice" role="status">
      <strong>{headline}</strong>
      {own ? null : (
        <>
          {' '}
          on <LocalTime iso={notice.at} format="datetime" />
        </>
      )}
      . {detail}
    </div>
  );
}
