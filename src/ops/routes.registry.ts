import type { FastifyInstance } from 'fastify';

export interface KnownRoute {
  method: string;
  url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered on the app (recorded as it is added), for audits and tests. */
    knownRoutes: KnownRoute[];
  }
}

/** Records each route as it is registered; call before any route is added. */
export function recordRoutes(app: FastifyInstance): void {
  const routes: KnownRoute[] = [];
  app.decorate('knownRoutes', routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
}
