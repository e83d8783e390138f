/**
 * The `keys` of `source` and nothing else: a response built from a row or a view carries the fields it declares,
 * never what else the source holds.
 */
export function pick<S extends object, K extends keyof S>(source: S, keys: readonly K[]): Pick<S, K> {
  const picked = {} as Pick<S, K>;
  for (const key of keys) picked[key] = source[key];
  return picked;
}
