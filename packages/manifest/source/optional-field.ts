/** `{key: value}` when there is a value, `{}` otherwise: keeps `undefined` out of manifests. */
export function optionalField<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
