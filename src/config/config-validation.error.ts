/** A bad setting: its message is the one line printed before exiting. */
export class ConfigValidationError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigValidationError';
  }
}
