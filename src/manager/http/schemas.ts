/** Small JSON-schema helpers for route documentation (OpenAPI) and body validation. */

export const idParams = {
  type: 'object',
  properties: { id: { type: 'string' } },
  required: ['id'],
} as const;

/** A free-form JSON object. */
export const anyObject = { type: 'object', additionalProperties: true } as const;

/** The REST error body. */
export const errorBody = {
  type: 'object',
  properties: {
    message: { type: 'string' },
    error_code: { type: 'string' },
    server_traceback: { type: ['string', 'null'] },
  },
} as const;

/** Documentation for a route: summary, tag, and the common error responses. */
export function doc(tag: string, summary: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { tags: [tag], summary, ...extra };
}
