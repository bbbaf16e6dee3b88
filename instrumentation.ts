/**
 * Start-up checks, run once when the server boots: configuration, keys and the database must be
 * usable before the first request, or the process stops with a readable message (T5, R5).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { assertReadyToServe } = await import('./lib/startup');
  await assertReadyToServe();
}
