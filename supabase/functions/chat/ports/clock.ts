/** The chat's clock port: the one place the chat reads the time of day. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
