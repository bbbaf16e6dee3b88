import { z } from 'zod';

/** Messages between the prune benchmark and its checker process (validated on receipt). */
export const toChecker = z.discriminatedUnion('type', [z.object({ type: z.literal('mark') }), z.object({ type: z.literal('stop') })]);
export type ToChecker = z.infer<typeof toChecker>;

const phaseStats = z.object({ count: z.number(), p50: z.number(), p99: z.number(), maxMs: z.number(), maxGapMs: z.number(), invalid: z.number() });
export type PhaseStats = z.infer<typeof phaseStats>;

export const fromChecker = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('result'), before: phaseStats, during: phaseStats }),
]);
export type FromChecker = z.infer<typeof fromChecker>;
