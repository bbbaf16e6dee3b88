import { describe, expect, it } from 'vitest';
import { MAX_SENDS_PER_WINDOW, type SendBudget } from '@/lib/rules';
import { randomId } from '@/lib/ids';
import { getStore } from '@/lib/store';
import { count } from '@/test/inspect';
import { at, CODE, DAY, newEmail } from './fixtures';

/**
 * C6, the global send budget: a token bucket over every address, held by the store so that it
 * holds across processes and instances. Each test starts a day after the last, when the bucket
 * has refilled to its burst (the bucket is one row for the whole database).
 */
const T0 = new Date('2033-03-01T10:00:00.000Z');
const day = (n: number) => at(T0, n * DAY);

async function send(email: string, now: Date, budget: SendBudget) {
  return (await getStore()).createChallenge({ id: randomId(), email, codeHmac: CODE, kid: 't2', expiresAt: at(now, 600) }, now, budget);
}

const stored = (email: string) => count('SELECT count(*) AS n FROM sign_in_challenges WHERE email = $1', [email]);

describe('C6: the global send budget', () => {
  it('C6: a burst to many addresses is cut at the budget; past it nothing is stored for any address', async () => {
    const budget = { burst: 5, perMinute: 2 };
    const emails = Array.from({ length: 8 }, (_, i) => newEmail(`burst-${i}`));
    const outcomes = [];
    for (const email of emails) outcomes.push(await send(email, day(1), budget));
    expect(outcomes).toEqual(['sent', 'sent', 'sent', 'sent', 'sent', 'budget_spent', 'budget_spent', 'budget_spent']);
    for (const email of emails.slice(5)) expect(await stored(email)).toBe(0);
  });

  it('C6: the bucket refills at its rate per minute, and never beyond its burst', async () => {
    const budget = { burst: 3, perMinute: 2 };
    for (let i = 0; i < 3; i += 1) expect(await send(newEmail('drain'), day(2), budget)).toBe('sent');
    expect(await send(newEmail('early'), at(day(2), 29), budget)).toBe('budget_spent'); // 0.97 of a token
    expect(await send(newEmail('refilled'), at(day(2), 30), budget)).toBe('sent');
    expect(await send(newEmail('spent-again'), at(day(2), 31), budget)).toBe('budget_spent');
    // An hour later the bucket holds its burst, not 120 tokens.
    const later = at(day(2), 3600);
    for (let i = 0; i < 3; i += 1) expect(await send(newEmail('after-an-hour'), later, budget)).toBe('sent');
    expect(await send(newEmail('beyond-burst'), later, budget)).toBe('budget_spent');
  });

  it('C6: an address over its own cap takes nothing from the budget; a spent budget answers first, the same for every address', async () => {
    const budget = { burst: MAX_SENDS_PER_WINDOW + 1, perMinute: 1 };
    const capped = newEmail('capped');
    for (let i = 0; i < MAX_SENDS_PER_WINDOW; i += 1) expect(await send(capped, day(3), budget)).toBe('sent');
    expect(await send(capped, day(3), budget)).toBe('address_capped');
    expect(await send(capped, day(3), budget)).toBe('address_capped');
    expect(await send(newEmail('last-token'), day(3), budget)).toBe('sent');
    expect(await send(capped, day(3), budget)).toBe('budget_spent');
    expect(await send(newEmail('fresh'), day(3), budget)).toBe('budget_spent');
  });

  it('C6: a clock that went back refills nothing', async () => {
    const budget = { burst: 2, perMinute: 60 };
    expect(await send(newEmail('a'), day(4), budget)).toBe('sent');
    expect(await send(newEmail('b'), day(4), budget)).toBe('sent');
    expect(await send(newEmail('behind'), at(day(4), -600), budget)).toBe('budget_spent');
    expect(await send(newEmail('on-time'), at(day(4), 2), budget)).toBe('sent');
  });

  it('C6: 30 concurrent sends to 30 addresses with a budget of 10 → exactly 10 sent and stored', async () => {
    const budget = { burst: 10, perMinute: 1 };
    const emails = Array.from({ length: 30 }, (_, i) => newEmail(`parallel-${i}`));
    const outcomes = await Promise.all(emails.map((email) => send(email, day(5), budget)));
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(10);
    expect(outcomes.filter((o) => o === 'budget_spent')).toHaveLength(20);
    const rows = await count(`SELECT count(*) AS n FROM sign_in_challenges WHERE created_at = $1`, [day(5).toISOString()]);
    expect(rows).toBe(10);
  });
});
