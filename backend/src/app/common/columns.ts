import type { ValueTransformer } from 'typeorm';

/**
 * `pg` returns bigint as a string. Zendesk ids fit in a double exactly (< 2^53), so they are numbers in code and
 * in the API.
 */
export const bigintColumn: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null || value === undefined ? value : Number(value)),
};
