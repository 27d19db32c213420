// Whether a uid can reach a path: every directory on the way must grant it search (x)
// permission, by owner, group or other bits as the kernel picks them. A pure decision over
// stat results, so it is tested without creating users; the lab checks the staged image
// once more by really running it as that uid (which also catches ACLs and noexec mounts).

export type Identity = { uid: number; gids: readonly number[] };
export type DirectoryStat = { mode: number; uid: number; gid: number };

/** What stops `who` on the way to `path`: the first directory it cannot search. */
export type SearchDenied = { directory: string; mode: number; owner: number; group: number };

/** The parent directories of an absolute path, outermost first, then the path itself. */
export function pathChain(path: string): string[] {
  if (!path.startsWith("/")) throw new Error(`pathChain: expected an absolute path, got "${path}"`);
  const parts = path.split("/").filter(Boolean);
  return ["/", ...parts.map((_, i) => `/${parts.slice(0, i + 1).join("/")}`)];
}

/** The kernel's choice of permission class: owner bits for the owner, else group bits for a member, else other bits. */
export function canSearch(stat: DirectoryStat, who: Identity): boolean {
  if (who.uid === 0) return true;
  if (stat.uid === who.uid) return (stat.mode & 0o100) !== 0;
  if (who.gids.includes(stat.gid)) return (stat.mode & 0o010) !== 0;
  return (stat.mode & 0o001) !== 0;
}

/**
 * The first directory of `path`'s chain that `who` cannot search, or undefined when it can
 * reach `path`. `statOf` returns undefined for a directory that does not exist yet: the
 * check stops there (whoever creates it decides its mode).
 */
export function firstSearchDenied(
  path: string,
  who: Identity,
  statOf: (directory: string) => DirectoryStat | undefined,
): SearchDenied | undefined {
  for (const directory of pathChain(path)) {
    const stat = statOf(directory);
    if (!stat) return undefined;
    if (!canSearch(stat, who)) return { directory, mode: stat.mode & 0o7777, owner: stat.uid, group: stat.gid };
  }
  return undefined;
}

export function describeDenied(denied: SearchDenied, who: Identity): string {
  const mode = denied.mode.toString(8).padStart(4, "0");
  return `${denied.directory} (mode ${mode}, owner uid ${denied.owner}) does not let uid ${who.uid} search it`;
}
