// Stopping what a script started: wrangler spawns workerd children, so whole process groups are
// signalled (the child is spawned with `detached: true`, making its pid the group id).

/** Signals a whole process group; false once no process is left in it. */
export function signalGroup(pgid: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, sig);
    return true;
  } catch {
    return false;
  }
}

/** TERM, then KILL once the grace period is over. */
export async function stopGroup(pgid: number, graceMs = 5_000): Promise<void> {
  signalGroup(pgid, "SIGTERM");
  for (let waited = 0; waited < graceMs && signalGroup(pgid, 0); waited += 100) await new Promise((r) => setTimeout(r, 100));
  signalGroup(pgid, "SIGKILL");
}
