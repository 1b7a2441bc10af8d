/** An error a route handler throws to answer with a GitHub-shaped error response. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Array<Record<string, unknown>>,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export const notFound = (what = "Not Found"): HttpError => new HttpError(404, what);
export const unprocessable = (message: string, errors?: Array<Record<string, unknown>>): HttpError => new HttpError(422, message, errors);
export const forbidden = (message: string): HttpError => new HttpError(403, message);
