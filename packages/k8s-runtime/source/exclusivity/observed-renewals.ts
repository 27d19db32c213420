import type { Lease } from "./lease-time.ts";

/**
 * When this process saw each owner Lease renewed, on its own clock. As in client-go's
 * leader election, another machine's timestamps are never compared with ours (clock skew
 * would make a live owner look dead, or a dead one alive): a Lease counts as renewed when
 * its holder or renewTime changes, and that moment is read off the local clock.
 *
 * - A Lease seen for the first time counts as renewed then (we cannot know better).
 * - A Lease seen deleted means its owner gave it back (a graceful shutdown): gone at once.
 * - An owner whose Lease was never seen is not called dead (the watch may not show a new
 *   Lease yet): it counts as seen when it was first asked about.
 */
export class RenewalObserver {
  readonly #now: () => number;
  readonly #renewals = new Map<string, { version: string; holder: string | undefined; at: number }>();
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
    if (previous?.version !== version) this.#renewals.set(name, { version, holder, at: this.#now() });
    this.#givenBack.delete(name);
  }

  observeDeleted(leaseName: string): void {
    this.#renewals.delete(leaseName);
    this.#givenBack.add(leaseName);
  }

  /** When the owner of `leaseName` was last known alive (local clock); undefined once it gave its Lease back or another holds it. */
  lastSeen(leaseName: string, ownerId: string): number | undefined {
    const renewal = this.#renewals.get(leaseName);
    if (renewal) return renewal.holder === ownerId ? renewal.at : undefined;
    if (this.#givenBack.has(leaseName)) return undefined;
    let first = this.#firstAsked.get(leaseName);
    if (first === undefined) {
      first = this.#now();
      this.#firstAsked.set(leaseName, first);
    }
    return first;
  }
}
