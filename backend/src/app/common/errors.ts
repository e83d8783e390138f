import { QueryFailedError } from 'typeorm';

/** The message of anything thrown. */
export const errorMessage = (error: unknown): string => (error as Error)?.message ?? String(error);

/** A PostgreSQL unique violation (23505) of the constraint or index whose name contains `constraint`. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const { code, constraint: violated } = error as { code?: string; constraint?: string };
  return error instanceof QueryFailedError && code === '23505' && (violated ?? '').includes(constraint);
}
