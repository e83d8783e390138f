import { compare, hash, hashSync } from 'bcryptjs';

// bcrypt cost 12 (~250 ms) in real use; tests use the minimum so suites creating many users stay fast.
const ROUNDS = process.env['NODE_ENV'] === 'test' ? 4 : 12;

export const hashPassword = (password: string): Promise<string> => hash(password, ROUNDS);
export const verifyPassword = (password: string, passwordHash: string): Promise<boolean> =>
  compare(password, passwordHash);

/** Compared against when the email is unknown, so both paths cost the same time (same cost as real hashes). */
export const DUMMY_HASH =
  ROUNDS === 12 ? '$2b$12$C6UzMDM.H6dfI/f/IKxGhuPnRzQ7KTrZHCnG3qVr2y0DbOaBRXEKe' : hashSync('not-a-password', ROUNDS);
