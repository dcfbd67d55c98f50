/** Input the HCC engine cannot score: the message names the field and the value. */
export class HccInputError extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly reason: string,
  ) {
    super(`${field} ${JSON.stringify(value)}: ${reason}`);
    this.name = 'HccInputError';
  }
}
