import { connectLive, InvalidLink, LiveSubscription } from './live.js';

/**
 * Keeps a screen current whatever the network allows: the current state is read over HTTP
 * first (numbers at once), then kept live over graphql-ws. While the socket cannot connect (a
 * proxy that refuses WebSockets, a dropped line) the state is read over HTTP every POLL_MS and
 * the screen says it is not live; once the socket connects again, polling stops.
 */
export const POLL_MS = 5000;

export type ScreenStatus = 'connecting' | 'live' | 'polling';

export interface SyncOptions {
  token: string;
  /** Reads the current state over HTTP and returns how to show it (applied only if still current). */
  read(): Promise<() => void>;
  subscriptions: LiveSubscription[];
  onStatus(status: ScreenStatus): void;
  /** A read over HTTP was shown (while not live). */
  onPolled(at: number): void;
  onInvalid(): void;
  /** Live again after being down: read what the subscriptions do not replay (the feed). */
  onLiveAgain(): void;
}

export async function keepCurrent(options: SyncOptions): Promise<void> {
  let live = false;
  let everLive = false;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // a read started before the socket went live must not overwrite what the socket sent since
  let generation = 0;
  let stopLive = () => undefined as void;

  const invalid = () => {
    if (stopped) return;
    stopped = true;
    clearTimeout(timer);
    stopLive();
    options.onInvalid();
  };

  const read = async () => {
    const started = generation;
    try {
      const show = await options.read();
      if (stopped || started !== generation) return;
      show();
      if (!live) options.onPolled(Date.now());
    } catch (error) {
      if (error instanceof InvalidLink) invalid();
      // anything else (network, 5xx): the next poll tries again
    }
  };

  const poll = async () => {
    timer = undefined;
    if (stopped || live) return;
    await read();
    if (!stopped && !live && timer === undefined) timer = setTimeout(poll, POLL_MS);
  };

  options.onStatus('connecting');
  await read();
  if (stopped) return;
  stopLive = connectLive({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    token: options.token,
    subscriptions: options.subscriptions,
    onLive() {
      live = true;
      generation++;
      clearTimeout(timer);
      timer = undefined;
      options.onStatus('live');
      if (everLive) options.onLiveAgain();
      everLive = true;
    },
    onDown() {
      const wasLive = live;
      live = false;
      generation++;
      if (wasLive || timer === undefined) options.onStatus('polling');
      // at once when just lost (what changed meanwhile), then every POLL_MS
      if (timer === undefined) timer = setTimeout(poll, wasLive ? 0 : POLL_MS);
    },
    onInvalid: invalid,
  });
}
