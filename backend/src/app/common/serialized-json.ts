import { ExpressAdapter } from '@nestjs/platform-express';
import type { Response } from 'express';

/**
 * Objects that are handed out many times unchanged (answers served from the issues cache), with their JSON once
 * it was needed: the same object is serialised once, not on every request.
 */
const registry = new WeakMap<object, { body?: Buffer }>();

/** Marks a value as shared and immutable: its JSON may be computed once and reused. Returns the value. */
export function shareSerialized<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !registry.has(value)) registry.set(value, {});
  return value;
}

/**
 * Marks a value as shared and immutable whose JSON is already known (the bytes a cache holds): they are sent as they
 * are, never serialised again. The bytes must be `JSON.stringify(value)` in UTF-8. Returns the value.
 */
export function shareSerializedAs<T>(value: T, body: Buffer): T {
  if (value !== null && typeof value === 'object') registry.set(value, { body });
  return value;
}

/**
 * The JSON of a value marked with `shareSerialized`, UTF-8 encoded once (a 40 KB list page is not stringified,
 * measured and encoded again on every request), or undefined for any other value.
 */
export function serializedJsonOf(value: unknown): Buffer | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const entry = registry.get(value);
  if (!entry) return undefined;
  entry.body ??= Buffer.from(JSON.stringify(value), 'utf8');
  return entry.body;
}

/**
 * Nest's Express adapter, except that an answer marked with `shareSerialized` is sent as its JSON computed once.
 * Done where Nest writes the body rather than in an interceptor: an interceptor costs every route an RxJS
 * pipeline and an AsyncResource per request (about a tenth of a cached request's CPU).
 */
export class SharedJsonExpressAdapter extends ExpressAdapter {
  override reply(response: Response, body: unknown, statusCode?: number): unknown {
    const encoded = serializedJsonOf(body);
    if (encoded === undefined) return super.reply(response, body, statusCode);
    if (statusCode) response.status(statusCode);
    if (!response.getHeader('Content-Type')) response.setHeader('Content-Type', 'application/json; charset=utf-8');
    return response.send(encoded);
  }
}
