import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, operations, paths } from './schema';

export type { components, operations, paths };
/** A named schema of the API, e.g. `Schema<'Dossier'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];
/** The typed client: `client.GET('/v1/dossiers/{code}', { params: { path: { code } } })`. */
export type TthcClient = Client<paths>;

export interface TthcClientOptions {
  /** The gateway, e.g. https://api.soyte.example.gov.vn */
  baseUrl: string;
  /** An API key (systems: the portal, desk software, reporting tools), sent as X-API-Key. */
  apiKey?: string;
  /** An officer's token, sent as Authorization: Bearer. */
  token?: string;
  /** Headers sent with every request (a request's own headers win). */
  headers?: Record<string, string>;
  fetch?: ClientOptions['fetch'];
}

/**
 * A client of the TTHC API typed from its OpenAPI document (openapi/openapi.json): paths,
 * parameters, bodies and answers are checked at compile time, so a change of contract breaks
 * the build of its callers rather than their users.
 */
export function createTthcClient(options: TthcClientOptions): TthcClient {
  return createClient<paths>({
    baseUrl: options.baseUrl,
    headers: {
      ...(options.apiKey ? { 'x-api-key': options.apiKey } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/**
 * The body serializer of a file upload: the bytes go as they are, with the Content-Type the
 * request names (`headers: { 'content-type': 'text/csv' }`).
 */
export const fileBody = (body: unknown): unknown => body;
