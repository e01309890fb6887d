/** Errors from OpenStack APIs, mapped once from the three services' error bodies. */

/** An OpenStack API answered with an error status. */
export class OpenStackApiError extends Error {
  constructor(
    readonly service: string,
    readonly status: number,
    /** Neutron `type`, Nova fault key (`itemNotFound`...), or Keystone `title`. */
    readonly type: string,
    message: string,
    readonly requestId: string | null,
  ) {
    super(`${service} ${status} ${type}: ${message}`);
    this.apiMessage = message;
  }
  readonly apiMessage: string;
  override get name(): string {
    return 'OpenStackApiError';
  }
}

/** True for a 404 of any service. */
export function isNotFound(error: unknown): boolean {
  return error instanceof OpenStackApiError && error.status === 404;
}

/** Builds the error from a response body (Nova, Neutron and Keystone shapes). */
export function apiError(
  service: string,
  status: number,
  body: unknown,
  requestId: string | null,
): OpenStackApiError {
  if (typeof body === 'object' && body !== null) {
    const record = body as Record<string, unknown>;
    const neutron = record.NeutronError as { type?: string; message?: string } | undefined;
    if (neutron)
      return new OpenStackApiError(
        service,
        status,
        neutron.type ?? 'NeutronError',
        neutron.message ?? '',
        requestId,
      );
    const keystone = record.error as { title?: string; message?: string } | undefined;
    if (keystone && typeof keystone === 'object')
      return new OpenStackApiError(
        service,
        status,
        keystone.title ?? 'error',
        keystone.message ?? '',
        requestId,
      );
    const [key, inner] = Object.entries(record)[0] ?? [];
    if (key && typeof inner === 'object' && inner !== null && 'message' in inner) {
      return new OpenStackApiError(service, status, key, messageText(inner.message), requestId);
    }
  }
  return new OpenStackApiError(
    service,
    status,
    `HTTP${status}`,
    typeof body === 'string' ? body.slice(0, 500) : `HTTP ${status}`,
    requestId,
  );
}

function messageText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
