/**
 * Error responses in each service's own shape. Route code throws an {@link ApiFault}; the
 * service's error handler renders it. Shapes follow docs/reference openstack-api-subset §1.4,
 * §2.3 and §3.2.
 */

/** A response to send instead of the normal one. */
export class ApiFault extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(JSON.stringify(body));
  }
}

const novaKeys: Record<number, string> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  406: 'notAcceptable',
  409: 'conflictingRequest',
  413: 'overLimit',
  415: 'badMediaType',
  429: 'overLimit',
  501: 'notImplemented',
  503: 'serviceUnavailable',
};

/** A Nova fault: `{"<key by status>": {"code", "message"}}`. */
export function novaFault(status: number, message: string): ApiFault {
  const key = novaKeys[status] ?? 'computeFault';
  return new ApiFault(status, { [key]: { code: status, message } });
}

const neutronDefaultTypes: Record<number, string> = {
  400: 'HTTPBadRequest',
  403: 'HTTPForbidden',
  404: 'HTTPNotFound',
  405: 'HTTPMethodNotAllowed',
  409: 'HTTPConflict',
  412: 'HTTPPreconditionFailed',
  500: 'HTTPInternalServerError',
};

/** A Neutron fault: `{"NeutronError": {"type", "message", "detail": ""}}`. */
export function neutronFault(status: number, type: string | undefined, message: string): ApiFault {
  return new ApiFault(status, {
    NeutronError: {
      type: type ?? neutronDefaultTypes[status] ?? 'HTTPInternalServerError',
      message,
      detail: '',
    },
  });
}

const keystoneTitles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  500: 'Internal Server Error',
};

/** A Keystone fault: `{"error": {"code", "title", "message"}}`. */
export function keystoneFault(
  status: number,
  message: string,
  headers: Record<string, string> = {},
): ApiFault {
  return new ApiFault(
    status,
    { error: { code: status, title: keystoneTitles[status] ?? 'Error', message } },
    headers,
  );
}

/** The message of every 401 (Keystone, and keystonemiddleware in front of Nova and Neutron). */
export const UNAUTHORIZED_MESSAGE = 'The request you have made requires authentication.';

/** The 401 every service answers for a missing, unknown or expired token. */
export function unauthorized(identityUrl: string): ApiFault {
  return keystoneFault(401, UNAUTHORIZED_MESSAGE, {
    'www-authenticate': `Keystone uri="${identityUrl}"`,
  });
}
