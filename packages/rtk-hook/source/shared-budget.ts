/**
 * Splits `budget` across texts of the given sizes so small ones stay whole and the large
 * ones share what is left equally (water-filling). The shares never sum above `budget`.
 */
export function shareBudget(sizes: readonly number[], budget: number): number[] {
  const order = sizes.map((size, index) => ({ size, index })).sort((a, b) => a.size - b.size);
  const shares = new Array<number>(sizes.length).fill(0);
  let remaining = budget;
  order.forEach(({ size, index }, position) => {
    const fair = Math.floor(remaining / (order.length - position));
    const share = Math.min(size, fair);
    shares[index] = share;
    remaining -= share;
  });
  return shares;
}
