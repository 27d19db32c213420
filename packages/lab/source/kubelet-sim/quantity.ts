// Kubernetes resource quantities ("512Mi", "0.5", "250m", "1e3") as plain numbers.
// Memory limits become bytes, CPU becomes cores; exact enough for a simulated node.

const suffixes: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
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

const pattern = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?)$/;

/** The value of a quantity; throws naming the bad value (the API server validated it already). */
export function parseQuantity(quantity: string | number): number {
  if (typeof quantity === "number") return quantity;
  const match = pattern.exec(quantity.trim());
  if (!match) throw new Error(`not a Kubernetes quantity: "${quantity}" (expected e.g. "512Mi", "2", "250m")`);
  const [, digits, exponent, suffix] = match;
  if (exponent) return Number(digits + exponent);
  return Number(digits) * (suffixes[suffix ?? ""] ?? 1);
}
