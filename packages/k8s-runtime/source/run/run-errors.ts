/** A run-level failure with the adapter's error code, the object involved and the next step. */
export class RunError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RunError";
    this.code = code;
  }
}
