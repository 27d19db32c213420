import type { Lease } from "./lease-time.ts";

/** The owner heartbeat's Lease duration, for an owner whose Lease was never seen. */
const DEFAULT_LEASE_DURATION_MS = 120_000;

/**
 * When this process saw each owner Lease renewed, on its own clock. As in client-go's
 * leader election, another machine's timestamps are never compared with ours (clock skew
 * would make a live owner look dead, or a dead one alive): a Lease counts as renewed when
 * its holder or renewTime changes, and that moment is read off the local clock.
 *
 * - A Lease seen, but not yet seen renewed, is undecided for its own duration (a live
 *   holder renews well within it): alive meanwhile, dead after it.
 * - An owner whose Lease was never seen is not called dead at once (a lagging watch may not
 *   show it yet): undecided from the first time it is asked about, for the default duration.
 * - A Lease seen deleted means its owner gave it back (a graceful shutdown): gone at once.
 */
export class RenewalObserver {
  readonly #now: () => number;
  readonly #renewals = new Map<string, { version: string; holder: string | undefined; at: number; renewedSinceFirstSeen: boolean; durationMs: number }>();
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
    const durationMs = (lease.spec?.leaseDurationSeconds ?? DEFAULT_LEASE_DURATION_MS / 1000) * 1000;
    const previous = this.#renewals.get(name);
    if (previous?.version !== version) this.#renewals.set(name, { version, holder, at: this.#now(), renewedSinceFirstSeen: previous !== undefined, durationMs });
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
      if (!renewal.renewedSinceFirstSeen && now - renewal.at >= renewal.durationMs) return undefined;
      return renewal.at;
    }
    if (this.#givenBack.has(leaseName)) return undefined;
    const first = this.#firstAsked.get(leaseName) ?? now;
    this.#firstAsked.set(leaseName, first);
    return now - first >= DEFAULT_LEASE_DURATION_MS ? undefined : first;
  }

  /**
   * Until when the owner's liveness cannot be told (seen, or asked about, but never seen
   * renewed): a caller about to act on "dead" waits until then. Undefined when it can be told.
   */
  undecidedUntil(leaseName: string, ownerId: string): { since: number; until: number } | undefined {
    const now = this.#now();
    const renewal = this.#renewals.get(leaseName);
    if (renewal) {
      if (renewal.holder !== ownerId || renewal.renewedSinceFirstSeen) return undefined;
      const until = renewal.at + renewal.durationMs;
      return until > now ? { since: renewal.at, until } : undefined;
    }
    if (this.#givenBack.has(leaseName)) return undefined;
    const first = this.#firstAsked.get(leaseName) ?? now;
    this.#firstAsked.set(leaseName, first);
    const until = first + DEFAULT_LEASE_DURATION_MS;
    return until > now ? { since: first, until } : undefined;
  }
}
