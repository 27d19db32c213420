import { run } from "./exec.ts";

// The pod network of a real node: a Linux bridge of the lab's own (claudelab<N>) with the
// host at 10.244.<N>.1/24. <N> is the first number whose bridge name and subnet nobody on
// this machine uses; creating the bridge claims it (creating an existing link fails), so
// two labs starting at once cannot take the same one.

export type PodNetwork = { bridge: string; subnet: string; gateway: string };

const first = 120;
const last = 250;
export const bridgePrefix = "claudelab";

export async function claimPodNetwork(): Promise<PodNetwork> {
  const links = await run("ip", ["-o", "link", "show"], "listing network links");
  const addresses = await run("ip", ["-o", "-4", "addr", "show"], "listing addresses");
  const routes = await run("ip", ["-4", "route", "show"], "listing routes");
  for (let n = first; n <= last; n++) {
    const bridge = `${bridgePrefix}${n}`;
    const prefix = `10.244.${n}.`;
    if (new RegExp(`: ${bridge}[:@]`).test(links) || addresses.includes(prefix) || routes.includes(prefix)) continue;
    try {
      await run("ip", ["link", "add", bridge, "type", "bridge"], `creating the pod bridge ${bridge}`);
    } catch {
      continue; // taken meanwhile
    }
    const network = { bridge, subnet: `10.244.${n}.0/24`, gateway: `10.244.${n}.1` };
    try {
      await run("ip", ["addr", "add", `${network.gateway}/24`, "dev", bridge], `addressing ${bridge}`);
      await run("ip", ["link", "set", bridge, "up"], `bringing ${bridge} up`);
    } catch (error) {
      await removeBridge(bridge);
      throw error;
    }
    return network;
  }
  throw new Error(`lab node: no free pod network between 10.244.${first}.0/24 and 10.244.${last}.0/24 (bridges ${bridgePrefix}${first}..${last})`);
}

export async function removeBridge(bridge: string): Promise<void> {
  try {
    await run("ip", ["link", "delete", bridge, "type", "bridge"], `deleting ${bridge}`);
  } catch (error) {
    if (!/Cannot find device|does not exist/.test((error as Error).message)) throw error;
  }
}
