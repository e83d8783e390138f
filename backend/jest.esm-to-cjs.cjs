// Jest (CommonJS, ts-jest) cannot load ES-only packages, and a real dynamic import inside Jest's VM can be bound to
// another test file's torn-down module registry. The suite therefore runs openid-client (ESM-only) bundled to
// CommonJS once per Jest run; production loads the package itself (Node's require of ES modules).
const { buildSync } = require('esbuild');
const { join } = require('node:path');

const OUT_DIR = join(__dirname, '..', 'tmp', 'jest-esm');
const PACKAGES = ['openid-client'];

module.exports = async function bundleEsmPackages() {
  for (const name of PACKAGES) {
    buildSync({
      entryPoints: [require.resolve(name, { paths: [__dirname] })],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: join(OUT_DIR, `${name}.cjs`),
      logLevel: 'error',
    });
  }
};
module.exports.OUT_DIR = OUT_DIR;
