/** An error meant for the user: a code, an HTTP status and a plain message (and the field at fault, if any). */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (message = 'Not found') => new AppError('not_found', 404, message);
export const invalid = (message: string, field?: string) => new AppError('invalid', 422, message, field);
export const conflict = (message: string, field?: string) => new AppError('conflict', 409, message, field);
