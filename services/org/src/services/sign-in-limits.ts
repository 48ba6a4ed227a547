import { appError, AttemptCounter } from '@cascade/kernel';
import { createHash } from 'node:crypto';

export interface SignInLimitSettings {
  /** Failed attempts one email may make in a window (API.md: 10). */
  maxFailures: number;
  /** Failed attempts one client address may make in a window, over any emails (API.md: 100 up). */
  maxFailuresPerAddress: number;
}

/** One answer for every limited attempt: it must not tell whether the email has an account. */
const LIMITED_MESSAGE = 'Too many failed sign-ins; try again later';

/**
 * signIn's limits (API.md, "Limits and security rules"). Every attempt is counted before the
 * password is checked — against its email and against the client's address — so concurrent
 * attempts cannot slip past a limit; past either limit it is taken back and refused with
 * RATE_LIMITED, the right password too. What stays counted is the failures (and the attempts
 * in flight). A success resets the email's count and takes the attempt back from the address
 * (the address keeps its failures: one account of its own must not let a guesser start over).
 */
export function signInLimits(counter: AttemptCounter, settings: SignInLimitSettings) {
  // the email is hashed: the counting store (Redis) never holds the addresses people typed
  const emailKey = (email: string) => `email:${createHash('sha256').update(email).digest('hex')}`;
  const addressKey = (address: string) => `address:${address}`;
  /** Takes an attempt back from both counts. */
  const release = async (email: string, address: string | null | undefined) => {
    await Promise.all([counter.takeBack(emailKey(email)), address ? counter.takeBack(addressKey(address)) : undefined]);
  };

  return {
    async admit(email: string, address: string | null | undefined): Promise<void> {
      const [byEmail, byAddress] = await Promise.all([
        counter.hit(emailKey(email)),
        address ? counter.hit(addressKey(address)) : Promise.resolve(0),
      ]);
      if (byEmail > settings.maxFailures || byAddress > settings.maxFailuresPerAddress) {
        // a refused attempt checked no password: it is no failure, on either count (else a
        // client retrying from a limited address would keep an email limited, and the reverse)
        await release(email, address);
        throw appError('RATE_LIMITED', LIMITED_MESSAGE);
      }
    },

    async succeeded(email: string, address: string | null | undefined): Promise<void> {
      await Promise.all([counter.reset(emailKey(email)), address ? counter.takeBack(addressKey(address)) : undefined]);
    },
  };
}

export type SignInLimits = ReturnType<typeof signInLimits>;
