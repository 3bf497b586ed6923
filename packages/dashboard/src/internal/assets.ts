import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { TributaryError } from '@tributary/core';

/** A file the dashboard serves. */
export interface Asset {
  readonly type: string;
  readonly body: Buffer;
}

/** URL path → [file under the package's `assets/` or a module path, content type]. */
const FILES = {
  '/': ['dashboard.html', 'text/html; charset=utf-8'],
  '/dashboard.js': ['dashboard.js', 'text/javascript; charset=utf-8'],
  '/dashboard.css': ['dashboard.css', 'text/css; charset=utf-8'],
  '/uplot.js': ['uplot/dist/uPlot.iife.min.js', 'text/javascript; charset=utf-8'],
  '/uplot.css': ['uplot/dist/uPlot.min.css', 'text/css; charset=utf-8'],
} as const;

/**
 * Reads the page, its script and style from the package's `assets/` folder and uPlot's built
 * files from the installed `uplot` package, once, so the page needs no network and no build.
 * `moduleUrl` is the URL of a module one folder below the package root (src/ or dist/).
 */
export async function loadAssets(moduleUrl: string): Promise<Map<string, Asset>> {
  const require = createRequire(moduleUrl);
  const assets = new Map<string, Asset>();
  for (const [path, [file, type]] of Object.entries(FILES)) {
    let location: string = file;
    try {
      location = file.startsWith('uplot/')
        ? require.resolve(file)
        : fileURLToPath(new URL(`../assets/${file}`, moduleUrl));
      assets.set(path, { type, body: await readFile(location) });
    } catch (error) {
      throw new TributaryError('DASHBOARD_ASSET_MISSING', `dashboard: cannot read ${location}`, {
        cause: error,
        details: { path, location },
      });
    }
  }
  return assets;
}
