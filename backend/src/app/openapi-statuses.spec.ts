import { RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { buildOpenApi } from './bootstrap';
import { loadConfig } from './config/app-config';

/**
 * The success status the OpenAPI document states for each route is the one Nest answers with: `@HttpCode`, else
 * 201 for a POST, else 200. The OpenAPI plugin infers it only from decorators it sees on the method itself, so a route
 * declared through `RoleRoute`/`EditorRoute`/`StartsRun` must state a POST's 201 with `@HttpCode` (api-controller.ts).
 */
describe('OpenAPI success statuses', () => {
  let app: NestExpressApplication;
  let document: OpenAPIObject;

  beforeAll(async () => {
    const config = loadConfig({ JWT_SECRET: 'x'.repeat(32), NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    // Preview mode, as `npm run openapi` builds the document: routes scanned, nothing connects.
    app = await NestFactory.create<NestExpressApplication>(
      AppModule.forRoot({
        config: { ...config, databaseUrl: 'postgres://openapi@127.0.0.1:1/none' },
        embedded: false,
        skipMigrations: true,
      }),
      { preview: true, logger: false },
    );
    document = buildOpenApi(app);
  }, 60_000);

  afterAll(() => app?.close());

  /** Whether the handler takes the response (`@Res()` without passthrough) and so sets its status itself. */
  const ownsResponse = (controller: object, name: string) =>
    Object.entries<{ data?: { passthrough?: boolean } }>(
      Reflect.getMetadata(ROUTE_ARGS_METADATA, controller.constructor, name) ?? {},
    ).some(([key, arg]) => key.split(':')[0] === String(RouteParamtypes.RESPONSE) && !arg.data?.passthrough);

  /**
   * Every route handler of every controller that lets Nest answer: its method name (the operation id) and the status
   * Nest answers with.
   */
  const routes = () =>
    [...app.get(ModulesContainer).values()].flatMap((module) =>
      [...module.controllers.values()].flatMap(({ metatype }) => {
        const prototype = (metatype as { prototype: Record<string, unknown> }).prototype;
        return Object.getOwnPropertyNames(prototype)
          .map((name) => ({ name, handler: prototype[name] as object }))
          .filter(({ handler }) => typeof handler === 'function' && Reflect.hasMetadata(METHOD_METADATA, handler))
          .filter(({ name }) => !ownsResponse(prototype, name))
          .map(({ name, handler }) => {
            const method: RequestMethod = Reflect.getMetadata(METHOD_METADATA, handler);
            const code: number | undefined = Reflect.getMetadata(HTTP_CODE_METADATA, handler);
            return { operation: name, served: code ?? (method === RequestMethod.POST ? 201 : 200) };
          });
      }),
    );

  it('documents, for every route, the status it answers with', () => {
    const documented = new Map<string, string[]>();
    for (const item of Object.values(document.paths)) {
      for (const operation of Object.values(item)) {
        if (operation && typeof operation === 'object' && 'operationId' in operation && 'responses' in operation) {
          documented.set(String(operation.operationId), Object.keys(operation.responses as object));
        }
      }
    }
    const checked = routes().filter(({ operation }) => documented.has(operation));
    expect(checked.length).toBeGreaterThan(50);
    const wrong = checked
      .filter(({ operation, served }) => !documented.get(operation)?.includes(String(served)))
      .map(({ operation, served }) => `${operation}: answers ${served}, documents ${documented.get(operation)}`);
    expect(wrong).toEqual([]);
  });
});
