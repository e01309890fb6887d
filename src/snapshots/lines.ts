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

/**
 * Like {@link splitLines}, but yields runs of whole lines as they arrive: each string holds one
 * or more `\n`-terminated lines (a last unterminated line gets its `\n`), with no string per line.
 * For consumers that take NDJSON in batches (a restore's import).
 */
export async function* splitLineRuns(stream: AsyncIterable<Buffer>, entry: string, maxLineBytes: number): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  for await (const chunk of stream) {
    const text = carry + decoder.write(chunk);
    const cut = text.lastIndexOf('\n') + 1;
    carry = cut === 0 ? text : text.slice(cut);
    if (carry.length > maxLineBytes) throw limitExceeded('line length', carry.length, maxLineBytes, entry);
    if (cut > 0) yield text.slice(0, cut);
  }
  carry += decoder.end();
  if (carry.length > 0) yield `${carry}\n`;
}
