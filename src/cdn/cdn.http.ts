/** How long one purge request may take before it counts as failed (and is retried). */
export const PURGE_TIMEOUT_MS = 5_000;

/** Sends one purge request; rejects unless the answer is 2xx. The error names the status, never a header. */
export async function purgeRequest(url: string, init: RequestInit): Promise<Response> {
  const res = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(PURGE_TIMEOUT_MS) });
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`${init.method ?? 'GET'} ${new URL(url).pathname} answered ${res.status}`);
  }
  return res;
}
