import { applyDecorators, Controller } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

/** A controller of the signed-in API: its routes under `path`, grouped under `tag`, behind the bearer token. */
export const ApiController = (tag: string, path?: string) =>
  applyDecorators(ApiTags(tag), ApiBearerAuth(), path === undefined ? Controller() : Controller(path));
