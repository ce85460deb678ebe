/** Retries of an external task: the model's `retries` extension property, else the host's default. */
export const DEFAULT_TASK_RETRIES = 5;

/**
 * Exponential backoff before the engine offers a failed job again: base, 2×base, 4×base …
 * capped at 10 minutes, counted from the retries the job had left.
 */
export function retryBackoffMs(
  baseMs: number,
  retriesLeft: number,
  maxRetries = DEFAULT_TASK_RETRIES,
): number {
  const attempt = Math.max(0, maxRetries - retriesLeft);
  return Math.min(baseMs * 2 ** attempt, 10 * 60_000);
}
