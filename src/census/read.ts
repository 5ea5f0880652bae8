/**
 * Reading kpageflags-shaped files: /proc/kpageflags and /proc/kpagecount
 * themselves, or saved copies, raw or gzip-compressed (told apart by the gzip
 * magic bytes, never by the name). Data comes in large chunks whose length is
 * a multiple of 8; the next chunk is read while the caller works on the
 * current one. Every problem with the input is a MemdescInputError naming the
 * file: empty, a size that is not a multiple of 8, truncated or corrupt gzip,
 * a directory, an unreadable path.
 *
 * Pipes, FIFOs and standard input (`-`) are read as streams, without seeking;
 * regular files (/proc/kpageflags among them) with positional reads. No input
 * may hold more than {@link MAX_PFNS} page frames: a stream longer than any
 * machine (`/dev/zero`) ends in a MemdescInputError, not in a hang.
 */
import { createReadStream, constants as fsConstants, read as fsRead, fstatSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { endianness } from "node:os";
import { createGunzip } from "node:zlib";
import { inputError } from "../model/index.js";

/**
 * The most page frames a kpageflags file can describe: 2^40, the PFN space of
 * a 52-bit physical address space in 4 KiB pages (MAX_PHYSMEM_BITS 52,
 * arch/x86/include/asm/sparsemem.h with 5-level paging; arm64 LPA2 is also
 * 52 bits). Anything longer is not a kpageflags file (decision 0503).
 */
export const MAX_PFNS = 2 ** 40;

/** 8 MiB: one million page frames per read. */
export const DEFAULT_CHUNK_BYTES = 8 << 20;

export type ByteOrder = "little" | "big";

export interface ReadOptions {
  /** Bytes per chunk handed to the consumer (a multiple of 8). */
  readonly chunkBytes?: number;
  /** Byte order the words were written in (a snapshot records it); default: this host's. */
  readonly byteOrder?: ByteOrder;
  /** Called after each chunk with the bytes of words delivered so far. */
  readonly onProgress?: (bytes: number) => void;
  /** What to call the file in messages (default: its path). */
  readonly label?: string;
  /**
   * Two buffers of chunkBytes for raw reads, allocated (and touched) by the
   * caller beforehand — a live census reads /proc/buddyinfo first and must
   * not fault in memory between that and the read.
   */
  readonly buffers?: readonly [Uint8Array, Uint8Array];
  /** Stop with an input error after this many page frames (default {@link MAX_PFNS}). */
  readonly maxPfns?: number;
}

/** `-`: the path that means standard input. */
export const STDIN_PATH = "-";

export interface WordChunk {
  /** Two 32-bit halves per word, low half first. Valid only until the next chunk is requested. */
  readonly halves: Uint32Array;
}

const HOST_ORDER: ByteOrder = endianness() === "LE" ? "little" : "big";

function describe(err: unknown, label: string): never {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case "ENOENT":
      return inputError(`${label}: no such file or directory`);
    case "EACCES":
    case "EPERM":
      return inputError(`${label}: permission denied`);
    case "EISDIR":
      return inputError(`${label}: is a directory, not a kpageflags file`);
    case "Z_BUF_ERROR":
      return inputError(`${label}: truncated gzip data (unexpected end of file)`);
    case "Z_DATA_ERROR":
      return inputError(`${label}: corrupt gzip data (${e.message})`);
    default:
      if (e?.code) {
        const why = String(e.message ?? "")
          .replace(new RegExp(`^${e.code}: `), "")
          .replace(/, (read|open)$/, "");
        return inputError(`${label}: cannot read (${why || e.code})`);
      }
      throw err;
  }
}

/** Open for reading, with errors in the words of the input (not a directory, readable). */
export async function openInput(path: string, label = path): Promise<FileHandle> {
  let fh: FileHandle;
  try {
    fh = await open(path, fsConstants.O_RDONLY);
  } catch (err) {
    return describe(err, label);
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory()) inputError(`${label}: is a directory, not a kpageflags file`);
  } catch (err) {
    await fh.close();
    return describe(err, label);
  }
  return fh;
}

/**
 * Turn `bytes` (a multiple of 8, 4-byte aligned) into halves in host order.
 * Words from a machine of the other byte order are swapped first.
 */
function toHalves(bytes: Uint8Array, order: ByteOrder): Uint32Array {
  if (HOST_ORDER !== "little") inputError("memdesc reads kpageflags only on little-endian hosts");
  if (order !== HOST_ORDER) {
    for (let i = 0; i < bytes.length; i += 8) {
      for (let a = i, z = i + 7; a < z; a++, z--) {
        const t = bytes[a]!;
        bytes[a] = bytes[z]!;
        bytes[z] = t;
      }
    }
  }
  return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
}

async function* readRaw(
  fh: FileHandle,
  chunkBytes: number,
  label: string,
  buffers: readonly [Uint8Array, Uint8Array] | undefined,
  stream: boolean,
  startAt: number,
): AsyncGenerator<Uint8Array> {
  // Two buffers: the kernel fills one while the consumer classifies the other.
  // Reads are positional (pread) with offsets and counts that are multiples of
  // 8, as /proc/kpageflags demands (-EINVAL otherwise).
  const bufs =
    buffers && buffers[0].length === chunkBytes && buffers[1].length === chunkBytes
      ? [buffers[0], buffers[1]]
      : [new Uint8Array(chunkBytes), new Uint8Array(chunkBytes)];
  let which = 0;
  let eof = false;
  let total = 0;
  let position = startAt;
  const readInto = async (buf: Uint8Array): Promise<number> => {
    let n = 0;
    while (n < buf.length) {
      let r: number;
      try {
        ({ bytesRead: r } = await fh.read(buf, n, buf.length - n, stream ? null : position));
      } catch (err) {
        return describe(err, label);
      }
      if (r === 0) {
        eof = true;
        break;
      }
      n += r;
      position += r;
    }
    return n;
  };
  let pending: Promise<number> | null = readInto(bufs[0]!);
  while (pending) {
    const fill = await pending;
    const cur = bufs[which]!;
    const whole = fill - (fill % 8);
    if (eof && whole !== fill) {
      inputError(`${label}: size ${total + fill} bytes is not a multiple of 8 (one u64 per page frame)`);
    }
    which ^= 1;
    pending = eof ? null : readInto(bufs[which]!);
    total += whole;
    if (whole > 0) yield cur.subarray(0, whole);
  }
}

async function* readGzip(
  fh: FileHandle,
  chunkBytes: number,
  label: string,
  stream: boolean,
  head: Uint8Array,
): AsyncGenerator<Uint8Array> {
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  // A stream cannot be read again from 0: its first bytes (read to spot the gzip magic) go in first.
  const source = fh.createReadStream({
    ...(stream ? {} : { start: 0 }),
    highWaterMark: 1 << 20,
    autoClose: false,
  });
  source.on("error", (err) => gunzip.destroy(err));
  if (stream) gunzip.write(head);
  source.pipe(gunzip);
  let buf = new Uint8Array(chunkBytes);
  let fill = 0;
  let total = 0;
  try {
    for await (const piece of gunzip as AsyncIterable<Buffer>) {
      let off = 0;
      while (off < piece.length) {
        const n = Math.min(piece.length - off, buf.length - fill);
        buf.set(piece.subarray(off, off + n), fill);
        fill += n;
        off += n;
        if (fill === buf.length) {
          total += fill;
          yield buf;
          buf = new Uint8Array(chunkBytes);
          fill = 0;
        }
      }
    }
  } catch (err) {
    source.destroy();
    const e = err as NodeJS.ErrnoException;
    if (e?.code === "ERR_STREAM_PREMATURE_CLOSE") inputError(`${label}: truncated gzip data`);
    return describe(err, label);
  }
  total += fill;
  if (fill % 8 !== 0) {
    inputError(`${label}: uncompressed size ${total} bytes is not a multiple of 8 (one u64 per page frame)`);
  }
  if (fill > 0) yield buf.subarray(0, fill);
}

/**
 * The words of a kpageflags-shaped file, chunk by chunk. Rejects an empty
 * file; the caller closes nothing (the file is closed when iteration ends).
 */
export async function* readWords(path: string, options: ReadOptions = {}): AsyncGenerator<WordChunk> {
  const stdin = path === STDIN_PATH;
  const label = options.label ?? (stdin ? "standard input" : path);
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  if (chunkBytes <= 0 || chunkBytes % 8 !== 0)
    throw new RangeError("chunkBytes must be a positive multiple of 8");
  const order = options.byteOrder ?? HOST_ORDER;
  const maxBytes = (options.maxPfns ?? MAX_PFNS) * 8;
  const fh = stdin ? stdinHandle() : await openInput(path, label);
  try {
    const st = await fh.stat();
    // Pipes, FIFOs, sockets and terminals cannot seek: read them in order.
    const stream = !st.isFile() && !st.isBlockDevice();
    // Probe 8 bytes: /proc/kpageflags rejects reads that are not a multiple of 8.
    const head = new Uint8Array(8);
    let got = 0;
    try {
      if (stream) {
        while (got < 8) {
          const { bytesRead } = await fh.read(head, got, 8 - got, null);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
      } else ({ bytesRead: got } = await fh.read(head, 0, 8, 0));
    } catch (err) {
      return describe(err, label);
    }
    if (got === 0) inputError(`${label}: is empty (no page frames)`);
    const gzip = got >= 2 && head[0] === 0x1f && head[1] === 0x8b;
    // /proc files report size 0; a regular file with a size is checked before reading.
    if (!gzip && st.isFile() && st.size > 0 && st.size % 8 !== 0) {
      inputError(`${label}: size ${st.size} bytes is not a multiple of 8 (one u64 per page frame)`);
    }
    if (!gzip && st.isFile() && st.size > maxBytes) tooLong(label, maxBytes);
    const source = gzip
      ? readGzip(fh, chunkBytes, label, stream, head.subarray(0, got))
      : readRaw(fh, chunkBytes, label, options.buffers, stream, stream ? got : 0);
    let bytes = 0;
    if (!gzip && stream && got > 0) {
      // The probe's bytes are the first words of a stream.
      if (got < 8) inputError(`${label}: size ${got} bytes is not a multiple of 8 (one u64 per page frame)`);
      bytes += 8;
      options.onProgress?.(bytes);
      yield { halves: toHalves(head.slice(), order) };
    }
    for await (const chunk of source) {
      bytes += chunk.length;
      if (bytes > maxBytes) tooLong(label, maxBytes);
      options.onProgress?.(bytes);
      yield { halves: toHalves(chunk, order) };
    }
    if (bytes === 0) inputError(`${label}: is empty (no page frames)`);
  } finally {
    await fh.close().catch(() => {});
  }
}

/**
 * Standard input as the few FileHandle methods the reader uses. Opening
 * /dev/stdin fails when fd 0 is a socket (ENXIO), so fd 0 is read directly.
 */
function stdinHandle(): FileHandle {
  const handle = {
    stat: async () => fstatSync(0),
    read: (buffer: Uint8Array, offset: number, length: number, position: number | null) =>
      new Promise<{ bytesRead: number; buffer: Uint8Array }>((resolve, reject) =>
        fsRead(0, buffer, offset, length, position, (err, bytesRead) =>
          err ? reject(err) : resolve({ bytesRead, buffer }),
        ),
      ),
    createReadStream: (options: { highWaterMark?: number }) =>
      createReadStream("", { fd: 0, autoClose: false, ...options }),
    close: async () => {},
  };
  return handle as unknown as FileHandle;
}

function tooLong(label: string, maxBytes: number): never {
  return inputError(
    `${label}: more than ${maxBytes / 8} page frames, more than any machine has (the limit is --max-pfns, 2^40 by default): not a kpageflags file`,
  );
}

/** Read a whole small text file (buddyinfo, meminfo, osrelease), or null if it cannot be read. */
export async function readTextOrNull(path: string): Promise<string | null> {
  try {
    const fh = await open(path, fsConstants.O_RDONLY);
    try {
      return await fh.readFile("utf8");
    } finally {
      await fh.close();
    }
  } catch {
    return null;
  }
}
