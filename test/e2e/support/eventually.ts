/** Polls `check` every `everyMs` until it holds or `timeoutMs` passes; the last answer is returned (real time: the server runs beside the test). */
export async function eventually(check: () => boolean, timeoutMs = 15_000, everyMs = 200): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return check();
}
