import { OperationNames, requestIdOf, scrubLogFields, tracingEnabled, withoutLiterals } from '@cascade/kernel';

describe('log lines without secrets (scrubLogFields)', () => {
  it('replaces variables, documents, bodies, headers, tokens and passwords at any depth', () => {
    const scrubbed = JSON.stringify(
      scrubLogFields({
        variables: { p: 'pw-1' },
        extensions: { request: { body: '{"query":"mutation { signIn(password: \\"pw-2\\") }"}' } },
        nested: { deeper: { headers: { authorization: 'Bearer abc' }, password: 'pw-3', token: 'tok' } },
        message: 'failed with Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl at mysql://root:pw-4@db/x',
      }),
    );
    for (const secret of ['pw-1', 'pw-2', 'pw-3', 'pw-4', 'Bearer abc', 'tok"', 'eyJ', 'c2lnbmF0dXJl']) expect(scrubbed).not.toContain(secret);
  });

  it('keeps only name, message, code, stack and cause of an error (a driver error carries its SQL parameters)', () => {
    const err = Object.assign(new Error('Duplicate entry'), { code: 'ER_DUP_ENTRY', parameters: ['secret-param'], sql: 'INSERT … secret-param' });
    const out = scrubLogFields({ err }) as { err: Record<string, unknown> };
    expect(Object.keys(out.err).sort()).toEqual(['code', 'message', 'stack', 'type']);
    expect(JSON.stringify(out)).not.toContain('secret-param');
  });
});

describe('x-request-id (requestIdOf)', () => {
  it('keeps a plain id of at most 128 characters, replaces anything else with a UUID', () => {
    expect(requestIdOf('web-1234:7.a_b')).toBe('web-1234:7.a_b');
    expect(requestIdOf('x'.repeat(128))).toBe('x'.repeat(128));
    for (const bad of ['x'.repeat(129), '', 'a b', 'a\nb', 'é', '"quoted"', undefined, null]) expect(requestIdOf(bad)).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdOf(['first', 'second'])).toBe('first');
  });
});

describe('operation names as metric labels (OperationNames)', () => {
  it('plain names up to the cap, then __other; a missing name is __anonymous', () => {
    const names = new OperationNames(3);
    expect(['A', 'B', 'A', 'C', 'D', null, 'bad name', 'x'.repeat(65)].map((n) => names.label(n))).toEqual(['A', 'B', 'A', 'C', '__other', '__anonymous', '__other', '__other']);
  });
});

describe('traces', () => {
  it('a document is exported with its literals blanked', () => {
    expect(withoutLiterals('mutation { signIn(email: "a@b.c", password: "pw-5") { token } }')).not.toMatch(/pw-5|a@b\.c/);
    expect(withoutLiterals('{ f(n: 123456, x: 1.5, e: RED) }')).toBe('{\n  f(n: 0, x: 0, e: RED)\n}');
    expect(withoutLiterals('{ not graphql')).toBe('[document not parsed]');
  });

  it('are off unless an OTLP endpoint is configured', () => {
    expect(tracingEnabled({})).toBe(false);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' })).toBe(false);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
  });
});
