import type { Lease } from "./lease-time.ts";

/** The owner heartbeat's Lease duration, for an owner whose Lease was never seen. */
const DEFAULT_LEASE_DURATION_MS = 120_000;

/**
 * When this process saw each owner Lease renewed, on its own clock. As in client-go's
 * leader election, another machine's timestamps are never compared with ours (clock skew
 * would make a live owner look dead, or a dead one alive): a Lease counts as renewed when
 * its holder or renewTime changes, and that moment is read off the local clock.
 *
 * - A Lease seen but not yet seen renewed has nothing of ours to go by: its own renewTime
 *   stands in (a process that has just started must still tell a live owner from one dead
 *   for an hour), until the first renewal seen here replaces it. So clock skew can only
 *   mislead a fresh observer, for at most one renewal period (40 s), never a running one.
 * - An owner whose Lease was never seen is not called dead at once (a lagging watch may not
 *   show it yet): it counts as seen when first asked about, for one default Lease duration.
 * - A Lease seen deleted means its owner gave it back (a graceful shutdown): gone at once.
 */
export class RenewalObserver {
  readonly #now: () => number;
  readonly #renewals = new Map<string, { version: string; holder: string | undefined; at: number; renewedSinceFirstSeen: boolean }>();
  readonly #givenBack = new Set<string>();
  readonly #firstAsked = new Map<string, number>();

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  observe(lease: Lease): void {
    const name = lease.metadata?.name;
    if (!name) return;
    const holder = lease.spec?.holderIdentity;
    const version = `${holder ?? ""}|${lease.spec?.renewTime ?? lease.spec?.acquireTime ?? ""}`;
    const previous = this.#renewals.get(name);
    if (previous?.version !== version) this.#renewals.set(name, { version, holder, at: this.#now(), renewedSinceFirstSeen: previous !== undefined });
    this.#givenBack.delete(name);
  }

  observeDeleted(leaseName: string): void {
    this.#renewals.delete(leaseName);
    this.#givenBack.add(leaseName);
  }

  /** When the owner of `leaseName` was last known alive (local clock); undefined once it is known gone. */
  lastSeen(leaseName: string, ownerId: string): number | undefined {
    const now = this.#now();
    const renewal = this.#renewals.get(leaseName);
    if (renewal) {
      if (renewal.holder !== ownerId) return undefined;
      if (!renewal.renewedSinceFirstSeen) {
        const remote = Date.parse(renewal.version.slice(renewal.version.indexOf("|") + 1));
        return Number.isNaN(remote) ? renewal.at : Math.min(remote, renewal.at);
      }
      return renewal.at;
    }
    if (this.#givenBack.has(leaseName)) return undefined;
    const first = this.#firstAsked.get(leaseName) ?? now;
    this.#firstAsked.set(leaseName, first);
    return now - first >= DEFAULT_LEASE_DURATION_MS ? undefined : first;
  }
}
