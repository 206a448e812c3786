/** A small JSON client for the collector's `/v1` API and the served agents' routes (`replay`, `dataset`). */

/** Calls one base URL with a bearer key; a non-2xx answer throws, naming the route and the answer. */
export class HttpClient {
  readonly #base: string;
  readonly #key: string | undefined;

  constructor(base: string, key: string | undefined) {
    this.#base = base.replace(/\/+$/, '');
    this.#key = key;
  }

  /** The base URL, without a trailing slash. */
  get base(): string {
    return this.#base;
  }

  /** GETs `path` and parses the JSON answer; `null` on 404 when `allowMissing`. */
  async get<T>(path: string, options: { allowMissing?: boolean } = {}): Promise<T | null> {
    const res = await this.#send(path, { method: 'GET' });
    if (res.status === 404 && options.allowMissing) return null;
    return this.#json<T>(res, `GET ${path}`);
  }

  /** POSTs `body` as JSON to `path` and parses the JSON answer. */
  async post<T>(path: string, body: unknown): Promise<T> {
    const res = await this.#send(path, { method: 'POST', body: JSON.stringify(body) });
    return this.#json<T>(res, `POST ${path}`);
  }

  /** POSTs as `post` does; `null` when the collector answers 409 (it exists already). */
  async postUnlessConflict<T>(path: string, body: unknown): Promise<T | null> {
    const res = await this.#send(path, { method: 'POST', body: JSON.stringify(body) });
    if (res.status === 409) {
      await res.body?.cancel();
      return null;
    }
    return this.#json<T>(res, `POST ${path}`);
  }

  /** PUTs `body` as JSON to `path` and parses the JSON answer. */
  async put<T>(path: string, body: unknown): Promise<T> {
    const res = await this.#send(path, { method: 'PUT', body: JSON.stringify(body) });
    return this.#json<T>(res, `PUT ${path}`);
  }

  async #send(path: string, init: RequestInit): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.#key) headers.authorization = `Bearer ${this.#key}`;
    try {
      return await fetch(`${this.#base}${path}`, { ...init, headers });
    } catch (error) {
      throw new Error(`${init.method} ${this.#base}${path}: could not connect`, { cause: error });
    }
  }

  async #json<T>(res: Response, what: string): Promise<T> {
    const text = await res.text();
    if (!res.ok) throw new Error(`${what} answered ${res.status}: ${text.slice(0, 500)}`);
    return JSON.parse(text) as T;
  }
}
