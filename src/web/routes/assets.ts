/** The pages and scripts the runtime ships: the demo page with the chat widget, the widget itself, the staff console. */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { ApiError } from '../http.ts';

export type AssetName = 'widget.js' | 'demo.html' | 'demo.css' | 'console.html' | 'console.js' | 'console.css' | 'favicon.svg';
export type Assets = Partial<Record<AssetName, string>>;

/** URL path → the asset served there and its type. (Browsers ask for /favicon.ico on their own; the SVG answers both.) */
const ROUTES: Array<[path: string, name: AssetName, type: string]> = [
  ['/', 'demo.html', 'text/html; charset=utf-8'],
  ['/widget.js', 'widget.js', 'text/javascript; charset=utf-8'],
  ['/demo.css', 'demo.css', 'text/css; charset=utf-8'],
  ['/console', 'console.html', 'text/html; charset=utf-8'],
  ['/console.js', 'console.js', 'text/javascript; charset=utf-8'],
  ['/console.css', 'console.css', 'text/css; charset=utf-8'],
  ['/favicon.svg', 'favicon.svg', 'image/svg+xml'],
  ['/favicon.ico', 'favicon.svg', 'image/svg+xml'],
];

/**
 * The static assets, mounted at /. They are pages, not API operations, and are left out of /openapi.json.
 * An asset the runtime did not ship is a 404.
 */
export function assetRoutes(assets: Assets = {}) {
  const app = new Hono();
  for (const [path, name, type] of ROUTES) {
    app.get(path, (c: Context) => {
      const body = assets[name];
      if (body === undefined) throw new ApiError(404, 'not_found', '页面不存在。');
      c.header('Content-Type', type);
      c.header('Cache-Control', 'public, max-age=300');
      return c.body(body);
    });
  }
  return app;
}
