import { defaultPgliteTemplate, writePgliteTemplate } from '@app/database/embedded-postgres';

/**
 * `node dist/backend/pglite-template.js [FILE]`: writes the PGlite template new embedded databases start from
 * (default: next to this file). Run by `npm run build`, and by `npm start` / `npm run mine` when it is missing.
 */
const file = process.argv[2] ?? defaultPgliteTemplate();
writePgliteTemplate(file).then(
  () => process.stdout.write(`PGlite template written to ${file}\n`),
  (error: unknown) => {
    process.stderr.write(`PGlite template not written: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);
