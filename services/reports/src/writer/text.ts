/**
 * Plain-text helpers of the writer. The writer produces plain text (no markup, nothing to
 * escape); a name is written as recorded, except that a line break inside it (names are one
 * line through the API, this guards older or imported data) becomes a space: a body's "\n"
 * separates paragraphs, and a name must not split one.
 */
export function oneLine(value: string | null | undefined): string {
  return (value ?? '').replace(/[\r\n\u2028\u2029\u0085]+/g, ' ').trim();
}

/** Names joined with 、 as a document lists them ("质监局、药监局"); empty and repeated names left out. */
export function list(names: (string | null | undefined)[]): string {
  return unique(names.map(oneLine).filter(Boolean)).join('、');
}

export function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
