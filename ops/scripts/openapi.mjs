// Writes the sorted OpenAPI document to libs/api-client/openapi.json and regenerates the Angular client from it.
// `--check` then fails when either differs from what is committed (CI's drift check).
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const clientDir = join(root, 'libs', 'api-client');
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });

run('npx', ['nx', 'build', 'backend', '--outputStyle=static']);
run('node', [join(root, 'dist', 'backend', 'openapi.js'), join(clientDir, 'openapi.json')]);
run('npx', ['ng-openapi-gen', '-c', 'ng-openapi-gen.json'], { cwd: clientDir });
run('npx', ['prettier', '--log-level', 'warn', '--write', 'libs/api-client']);

if (process.argv.includes('--check')) {
  try {
    run('git', ['add', '--intent-to-add', 'libs/api-client']);
    run('git', ['diff', '--exit-code', '--stat', '--', 'libs/api-client']);
    console.log('OpenAPI spec and client are up to date.');
  } catch {
    console.error(
      '\nThe committed OpenAPI spec or client differs from what the code produces: run `npm run openapi` and commit.',
    );
    process.exit(1);
  }
}
