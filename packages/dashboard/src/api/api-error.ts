/** An error answer of the collector (`{ error: { code, message, issues? } }`) or a network failure. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly issues: Array<{ path: string; message: string }>;

  constructor(options: {
    status: number;
    code: string;
    message: string;
    issues?: Array<{ path: string; message: string }>;
  }) {
    super(options.message);
    this.name = 'ApiError';
    this.status = options.status;
    this.code = options.code;
    this.issues = options.issues ?? [];
  }

  /** True when the key is not (or no longer) valid: the session should end. */
  get isAuth(): boolean {
    return this.status === 401;
  }
}

/** Reads an error body into an ApiError, whatever shape the answer had. */
export async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: fall through to the status text
  }
  const error = (body as { error?: { code?: string; message?: string; issues?: unknown } } | null)?.error;
  return new ApiError({
    status: response.status,
    code: error?.code ?? `http_${response.status}`,
    message: error?.message ?? `${response.status} ${response.statusText}`,
    ...(Array.isArray(error?.issues) ? { issues: error.issues as ApiError['issues'] } : {}),
  });
}
