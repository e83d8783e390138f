import { Init1764400000000 } from './1764400000000-init';

/** Every migration, in order. Listed explicitly so the bundled app never globs the file system. */
export const MIGRATIONS = [Init1764400000000];
