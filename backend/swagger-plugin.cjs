// The @nestjs/swagger CLI plugin: DTO types, class-validator rules and JSDoc feed the OpenAPI document without an
// @ApiProperty on every field. The webpack build and ts-jest both use it, so tests serve the document production does.
const plugin = require('@nestjs/swagger/plugin');

const options = {
  introspectComments: true,
  classValidatorShim: true,
  dtoFileNameSuffix: ['.dto.ts', '.request.ts', '.response.ts', '.query.ts'],
};

module.exports = {
  options,
  // ts-jest AST transformer interface.
  name: 'nestjs-swagger-plugin',
  version: 1,
  factory: (tsCompiler) => plugin.before(options, tsCompiler.program),
};
