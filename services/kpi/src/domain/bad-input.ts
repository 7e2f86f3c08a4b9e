/**
 * Input the figures cannot be computed for, naming the field at fault (a JSON pointer into the
 * request). Routes answer it as a 400 problem naming the field; a job fails with its message.
 */
export class BadInput extends Error {
  constructor(
    readonly pointer: string,
    readonly detail: string,
    readonly code = 'invalid_input',
    readonly status: 400 | 404 | 422 = 400,
  ) {
    super(`${pointer}: ${detail}`);
  }
}
