// A small seeded pseudo-random generator (sfc32), so that every fuzzing run can be replayed:
// tests print their seed, and FUZZ_SEED=<seed> runs the same inputs again.

export interface Prng {
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, max). */
  int(max: number): number;
  /** An integer in [min, max]. */
  between(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  bytes(length: number): Uint8Array;
  /** A new generator whose sequence depends on this one's seed and a label. */
  fork(label: string): Prng;
}

export function createPrng(seed: number): Prng {
  let a = 0x9e3779b9, b = 0x243f6a88, c = 0xb7e15162, d = seed >>> 0;
  const next = () => {
    a >>>= 0, b >>>= 0, c >>>= 0, d >>>= 0;
    const t = (a + b + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) + t;
    return t / 4_294_967_296;
  };
  for (let i = 0; i < 15; i++) next();
  const prng: Prng = {
    seed,
    next,
    int: (max) => Math.floor(next() * max),
    between: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability) => next() < probability,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    bytes: (length) => Uint8Array.from({ length }, () => Math.floor(next() * 256)),
    fork: (label) => createPrng(hash(`${seed}:${label}`)),
  };
  return prng;
}

/** The seed from FUZZ_SEED, or a fresh one; printed so a failing run can be replayed. */
export function seedFromEnv(label: string): number {
  const given = Deno.env.get("FUZZ_SEED");
  const seed = given ? Number(given) >>> 0 : Math.floor(Math.random() * 4_294_967_296);
  console.log(`${label}: FUZZ_SEED=${seed}`);
  return seed;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
