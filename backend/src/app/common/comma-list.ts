import { Transform } from 'class-transformer';

/** `a,b,c` (or repeated parameters) → `['a', 'b', 'c']`. */
export const CommaList = () =>
  Transform(({ value }) => {
    const parts = (Array.isArray(value) ? value : [value])
      .flatMap((v) => (typeof v === 'string' ? v.split(',') : [v]))
      .map((v) => (typeof v === 'string' ? v.trim() : v))
      .filter((v) => v !== '' && v !== undefined && v !== null);
    return parts;
  });

/** `true`/`false` query values → booleans (anything else stays and fails validation). */
export const QueryBoolean = () =>
  Transform(({ value }) =>
    value === 'true' || value === true ? true : value === 'false' || value === false ? false : value,
  );
