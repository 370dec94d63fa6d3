// A ustar archive written by hand, one file at a time: what Docker's API takes
// to put a file into a container (the container target copies the user's
// program in this way), with no tar program or package needed.

/** One ustar entry: a 512-byte header, then the data padded to 512 bytes. */
export function tarEntry(name: string, data: Buffer, mode: number): Buffer {
  if (Buffer.byteLength(name, 'latin1') > 99) throw new Error(`tar entry name too long: ${name}`);
  const h = Buffer.alloc(512);
  const field = (at: number, len: number, value: string) => h.write(value.padEnd(len, '\0').slice(0, len), at, 'latin1');
  const octal = (at: number, len: number, n: number) => field(at, len, `${n.toString(8).padStart(len - 1, '0')}\0`);
  field(0, 100, name);
  octal(100, 8, mode);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, data.length);
  octal(136, 12, Math.floor(Date.now() / 1000));
  field(148, 8, '        ');
  field(156, 1, '0');
  field(257, 6, 'ustar\0');
  field(263, 2, '00');
  const sum = h.reduce((a, b) => a + b, 0);
  field(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return Buffer.concat([h, data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
}

/** The entries, then the two empty blocks that end an archive. */
export const tarArchive = (entries: Buffer[]) => Buffer.concat([...entries, Buffer.alloc(1024)]);
