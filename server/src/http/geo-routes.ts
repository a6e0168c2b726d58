import { Router, type Request, type Response } from 'express';

export interface GeoRoutesDeps {
  /** The rings as GeoJSON text, from the database. */
  rings: () => Promise<string>;
  /** The zones as GeoJSON text, from the database. */
  zones: () => Promise<string>;
  /** Changes exactly when the geodata does (its content hash): the ETag. */
  version: string;
}

/**
 * GET /api/rings and GET /api/zones: what PostGIS holds, as GeoJSON. The tables only change at start,
 * so each body is read once and then served from memory, with an ETag for the browser cache.
 */
export function createGeoRouter(deps: GeoRoutesDeps): Router {
  const router = Router();
  const etag = `"${deps.version.slice(0, 32)}"`;
  const serve = (read: () => Promise<string>) => {
    let body: Promise<string> | undefined;
    return async (req: Request, res: Response) => {
      if (req.headers['if-none-match'] === etag) {
        res.status(304).end();
        return;
      }
      body ??= read().catch((err: unknown) => {
        body = undefined;
        throw err;
      });
      res.set('ETag', etag).set('Cache-Control', 'no-cache').type('application/geo+json').send(await body);
    };
  };
  router.get('/rings', serve(deps.rings));
  router.get('/zones', serve(deps.zones));
  return router;
}
