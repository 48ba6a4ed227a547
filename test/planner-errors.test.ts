import { eventsWithOwnErrors } from '@cascade/gateway';
import { ExecutionResult, GraphQLError } from 'graphql';

/** Events, each made when the previous one has been read, through the wrapper; returns what a reader got. */
async function throughWrapper(events: (() => ExecutionResult)[]): Promise<ExecutionResult[]> {
  let i = 0;
  const upstream: AsyncIterable<ExecutionResult> = {
    [Symbol.asyncIterator]: () => ({ next: async () => (i < events.length ? { done: false, value: events[i++]() } : { done: true, value: undefined }) }),
  };
  const got: ExecutionResult[] = [];
  for await (const event of eventsWithOwnErrors(upstream)) got.push(event);
  return got;
}

describe('subscription events carry their own errors only', () => {
  it('drops errors an earlier event already carried when the executor hands out one growing array', async () => {
    // the Rust planner's executor keeps one errors array per subscription and returns it with every event
    const shared: GraphQLError[] = [];
    const event = (value: number, error?: string): ExecutionResult => {
      if (error) shared.push(new GraphQLError(error, { extensions: { code: 'NOT_FOUND' } }));
      return { data: { statisticChanged: { value } }, ...(shared.length ? { errors: shared } : {}) };
    };
    const [first, second, third, fourth] = await throughWrapper([() => event(1), () => event(2, 'Unit not found'), () => event(3), () => event(4, 'Activity not found')]);
    expect(first).toEqual({ data: { statisticChanged: { value: 1 } } });
    expect(second.errors?.map((e) => e.message)).toEqual(['Unit not found']);
    expect(third).toEqual({ data: { statisticChanged: { value: 3 } } });
    expect(fourth.errors?.map((e) => e.message)).toEqual(['Activity not found']);
  });

  it('ends upstream when the reader stops', async () => {
    let ended = false;
    const upstream: AsyncIterable<ExecutionResult> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => ({ done: false, value: { data: { x: 1 } } }),
        return: async () => {
          ended = true;
          return { done: true, value: undefined };
        },
      }),
    };
    const events = eventsWithOwnErrors(upstream);
    await events.next();
    await events.return!();
    expect(ended).toBe(true);
  });

  it('leaves events with arrays of their own as they are', async () => {
    const events: ExecutionResult[] = [
      { data: { x: 1 }, errors: [new GraphQLError('a')] },
      { data: { x: 2 }, errors: [new GraphQLError('a')] },
      { data: { x: 3 } },
    ];
    expect(await throughWrapper(events.map((e) => () => e))).toEqual(events);
  });
});
