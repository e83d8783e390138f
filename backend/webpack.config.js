const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');

module.exports = {
  output: {
    path: join(__dirname, '../dist/backend'),
    clean: true,
    ...(process.env.NODE_ENV !== 'production' && {
      devtoolModuleFilenameTemplate: '[absolute-resource-path]',
    }),
  },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/main.ts',
      additionalEntryPoints: [
        { entryName: 'worker', entryPath: './src/worker.ts' },
        { entryName: 'migrate', entryPath: './src/cli/migrate.ts' },
        { entryName: 'openapi', entryPath: './src/cli/openapi.ts' },
        { entryName: 'mine', entryPath: './src/cli/mine.ts' },
        { entryName: 'pglite-template', entryPath: './src/cli/pglite-template.ts' },
      ],
      tsConfig: './tsconfig.app.json',
      assets: ['./src/assets'],
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: true,
      sourceMap: true,
      // DTO types and JSDoc feed the OpenAPI document (the options are shared with ts-jest).
      transformers: [{ name: '@nestjs/swagger/plugin', options: require('./swagger-plugin.cjs').options }],
    }),
  ],
};
