/** Splits a byte stream into text lines (NDJSON), with a bound on line length. */
import { StringDecoder } from 'node:string_decoder';
import { limitExceeded } from './errors.js';

/** Yields each `\n`-terminated line (without the newline; a last unterminated line too). */
export async function* splitLines(stream: AsyncIterable<Buffer>, entry: string, maxLineBytes: number): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  for await (const chunk of stream) {
    const text = carry + decoder.write(chunk);
    const parts = text.split('\n');
    carry = parts.pop() ?? '';
    if (carry.length > maxLineBytes) throw limitExceeded('line length', carry.length, maxLineBytes, entry);
    for (const line of parts) yield line;
  }
  carry += decoder.end();
  if (carry.length > 0) yield carry;
}
