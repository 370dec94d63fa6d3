/** An error the user can fix (bad input, not root, a missing tool): one line, exit code 2. */
export class LabError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabError';
  }
}
