import * as path from 'path';
import type * as AnyApiClient from '../api/index';

export type ApiModule = typeof AnyApiClient;

let loaded: ApiModule | undefined;

/**
 * The HTTP client (undici included) is a bundle of its own, `dist/api.js`, loaded on first use so that
 * activation stays fast. The path is computed so that the extension bundle does not inline it.
 */
export function loadApi(): ApiModule {
  if (!loaded) {
    const modulePath = path.join(__dirname, 'api.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(modulePath) as ApiModule;
  }
  return loaded;
}

export function isApiLoaded(): boolean {
  return loaded !== undefined;
}

/** Closes pooled sockets on deactivation; nothing to do when the client was never loaded. */
export async function closeApiConnections(): Promise<void> {
  await loaded?.closeConnections();
}

/** The auto endpoint choice is remembered per server and model: a new server or mode starts afresh. */
export function forgetEndpointChoices(): void {
  loaded?.forgetEndpointChoices();
}
