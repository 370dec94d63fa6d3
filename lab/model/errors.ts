import { t, type Text } from './i18n.js';

/** An error the user can fix (bad input, not root, a missing tool): one line, exit code 2. */
export class LabError extends Error {
  /** The message in both languages when it has them; `message` is the English. */
  readonly text: Text;
  constructor(message: Text) {
    super(t(message, 'en'));
    this.name = 'LabError';
    this.text = message;
  }
}
