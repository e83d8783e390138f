/** A comma-separated query parameter as a list: "a,b" → ["a", "b"] (blanks dropped). */
export function listParam(value: string | null): string[] {
  return (value ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

/** A list as a query parameter: ["a", "b"] → "a,b"; an empty list removes the parameter (null). */
export function joinList(values: readonly string[]): string | null {
  return values.length ? values.join(',') : null;
}
