import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Paths that belong to the API, never to the console's deep-link fallback. */
const API_PREFIXES = ['/api/', '/api', '/health', '/metrics'];
const isApiPath = (path: string) =>
  API_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix.replace(/\/$/, '')}/`));

/**
 * Serves the built console at `/`: files as they are (hashed bundles cached for a year), and `index.html`
 * (revalidated on every load) for any other GET that is not an API path, so deep links work. API paths fall
 * through to Nest, and errors (bad JSON, oversized bodies) keep their own status. Returns false when the
 * console has not been built.
 */
export function serveConsole(app: NestExpressApplication, consoleDir: string | undefined): boolean {
  const index = consoleDir && join(consoleDir, 'index.html');
  if (!index || !existsSync(index)) return false;
  const assets = express.static(consoleDir, {
    index: false,
    setHeaders: (res, path) =>
      res.setHeader('Cache-Control', path.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable'),
  });
  // API requests never look at the file system (a stat per request was measurable under load).
  app.use((req: Request, res: Response, next: NextFunction) => (isApiPath(req.path) ? next() : assets(req, res, next)));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isApiPath(req.path)) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index, (error) => error && next(error));
  });
  return true;
}
