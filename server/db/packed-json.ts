import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** Packed JSON as it comes back from the store: a Buffer, or the driver's Binary (its bytes in `buffer`). */
export type PackedJson = Uint8Array | { buffer: Uint8Array };

/**
 * A JSON value packed for storage: its JSON text, gzipped, in a Buffer (null stays null). Large plan bodies
 * are stored so: one binary value that the store keeps and sends as it is, a tenth of the size of the JSON.
 * Compression runs on libuv's thread pool, not on the event loop.
 */
export async function packJson(value: unknown): Promise<Buffer | null> {
  if (value === null || value === undefined) return null;
  return gzipAsync(Buffer.from(JSON.stringify(value), 'utf8'), { level: 6 });
}

/** The JSON text of the value `packJson` packed. */
export async function unpackJsonText(packed: PackedJson): Promise<string> {
  const bytes = packed instanceof Uint8Array ? packed : packed.buffer;
  return (await gunzipAsync(bytes)).toString('utf8');
}

/** The value `packJson` packed. */
export async function unpackJson(packed: PackedJson): Promise<unknown> {
  return JSON.parse(await unpackJsonText(packed));
}
