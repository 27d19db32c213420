/**
 * The Kubernetes API server's own format rules, checked here so that a bad value is a clear
 * config error before anything is created, not a 422 from the cluster halfway through a run.
 */

/** RFC 1123 label: namespaces, container names, and (by our choice) Job names. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS1123_LABEL_MAX = 63;

export function isDns1123Label(value: string): boolean {
  return value.length <= DNS1123_LABEL_MAX && DNS1123_LABEL.test(value);
}

/** RFC 1123 subdomain: Secret, ServiceAccount and PVC names. */
export function isDns1123Subdomain(value: string): boolean {
  if (value.length === 0 || value.length > 253) return false;
  return value.split(".").every((part) => DNS1123_LABEL.test(part));
}

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

export function isLabelValue(value: string): boolean {
  return value === "" || (value.length <= 63 && LABEL_NAME.test(value));
}

/** Label and annotation keys: optional DNS-subdomain prefix and `/`, then a name of <= 63. */
export function isQualifiedName(key: string): boolean {
  const slash = key.indexOf("/");
  const name = slash === -1 ? key : key.slice(slash + 1);
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  if (prefix !== undefined && !isDns1123Subdomain(prefix)) return false;
  return name.length > 0 && name.length <= 63 && LABEL_NAME.test(name);
}

/**
 * Environment variable names as every Kubernetes version accepts them (newer versions relax
 * this; the strict rule keeps the manifest valid on older clusters too).
 */
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export function isEnvVarName(name: string): boolean {
  return ENV_NAME.test(name);
}

/** Secret data keys. */
export function isSecretKey(key: string): boolean {
  return key.length > 0 && key.length <= 253 && /^[-._a-zA-Z0-9]+$/.test(key) && key !== "." && key !== "..";
}

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

const SUFFIX_FACTOR: Record<string, number> = {
  "": 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/**
 * A resource quantity ("500m", "2Gi", "1.5") as a number, or undefined when it is not one.
 * Precise enough to compare requests with limits; the API server keeps the text.
 */
export function parseQuantity(text: string): number | undefined {
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const [, sign = "", digits = "0", suffix = ""] = match;
  const base = Number(`${sign}${digits}`);
  if (/^[eE]/.test(suffix)) return base * 10 ** Number(suffix.slice(1));
  const factor = SUFFIX_FACTOR[suffix];
  return factor === undefined ? undefined : base * factor;
}
