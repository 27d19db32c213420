/** Kubernetes MicroTime (RFC 3339 with microseconds), as Lease spec times want it. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
}

export interface Lease {
  metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string; labels?: Record<string, string> };
  spec?: LeaseSpec;
}

/** True when the holder has not renewed within its lease duration (measured on our clock). */
export function isLeaseExpired(spec: LeaseSpec | undefined, now: number): boolean {
  const renewed = Date.parse(spec?.renewTime ?? spec?.acquireTime ?? "");
  if (Number.isNaN(renewed)) return true;
  return now > renewed + (spec?.leaseDurationSeconds ?? 0) * 1000;
}
