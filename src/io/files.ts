// File access where the runtime has a file system (Node, Deno through node:fs).
import { FormatError, RuntimeUnavailableError } from '../errors.js';
import { nodeModule, runtimeName } from '../runtime/platform.js';

interface Fs {
  readFileSync(path: string): Uint8Array;
  openSync(path: string, flags: 'r'): number;
  fstatSync(fd: number): { size: number };
  read(fd: number, buffer: Uint8Array, offset: number, length: number, position: number, done: (error: Error | null, bytesRead: number) => void): void;
  close(fd: number, done: () => void): void;
  closeSync(fd: number): void;
  statSync(path: string, options: { throwIfNoEntry: false }): { isDirectory(): boolean } | undefined;
  writeFileSync(path: string, data: Uint8Array | string): void;
  mkdirSync(path: string, options: { recursive: boolean }): void;
}

function fs(what: string): Fs {
  const runtime = runtimeName();
  if (runtime !== 'node' && runtime !== 'deno') {
    throw new RuntimeUnavailableError(`${what}: files are only available in Node and Deno; in ${runtime}, pass bytes instead`);
  }
  return nodeModule<Fs>('node:fs');
}

/** A file's bytes; a missing or unreadable file is a FormatError naming the path. */
export function readFileBytes(path: string, what: string): Uint8Array {
  const files = fs(what);
  let data: Uint8Array;
  try {
    data = files.readFileSync(path);
  } catch (cause) {
    throw unreadable(path, what, cause);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function unreadable(path: string, what: string, cause: unknown): FormatError {
  const code = (cause as { code?: unknown }).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : String(cause);
  return new FormatError(`${what}: cannot read ${path} (${why})`, { cause });
}

/**
 * readFileBytes on the runtime's I/O threads, so that the calling thread can work meanwhile (the
 * read is under way when this returns). One read request for the whole file: fs.promises.readFile
 * reads 512 KiB per turn of the event loop, and a thread busy with other work would hold it up.
 * `place` gives the bytes to read into, given the file's size (a block of WebAssembly memory).
 */
export function readFileBytesAsync(path: string, what: string, place: (bytes: number) => Uint8Array = (bytes) => new Uint8Array(bytes)): Promise<Uint8Array> {
  const files = fs(what);
  let fd: number, bytes: Uint8Array;
  try {
    fd = files.openSync(path, 'r');
  } catch (cause) {
    return Promise.reject(unreadable(path, what, cause));
  }
  try {
    bytes = place(files.fstatSync(fd).size);
  } catch (cause) {
    files.close(fd, () => undefined);
    return Promise.reject(unreadable(path, what, cause));
  }
  // Closed here, not on an I/O thread: a round trip there would hold the bytes back by a turn of the event loop.
  const close = (): void => {
    try {
      files.closeSync(fd);
    } catch {
      // Nothing to do about a descriptor that will not close once its bytes are read.
    }
  };
  return new Promise((resolve, reject) => {
    const from = (offset: number): void =>
      files.read(fd, bytes, offset, bytes.length - offset, offset, (error, n) => {
        if (error) {
          close();
          reject(unreadable(path, what, error));
        } else if (n > 0 && offset + n < bytes.length) {
          // A file that shrank as it was read ends early (a short read).
          from(offset + n);
        } else {
          close();
          resolve(offset + n === bytes.length ? bytes : bytes.subarray(0, offset + n));
        }
      });
    from(0);
  });
}

/** Whether a path is an existing folder (false where there are no files). */
export function isDirectory(path: string): boolean {
  const runtime = runtimeName();
  if (runtime !== 'node' && runtime !== 'deno') return false;
  return fs('isDirectory').statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

export function writeFileBytes(path: string, data: Uint8Array | string, what: string): void {
  fs(what).writeFileSync(path, data);
}

export function makeDirectory(path: string, what: string): void {
  fs(what).mkdirSync(path, { recursive: true });
}

/** Bytes from an ArrayBuffer or a view of one (never copied). */
export function asBytes(source: ArrayBuffer | ArrayBufferView): Uint8Array {
  return source instanceof ArrayBuffer ? new Uint8Array(source) : new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
}

/** Un-gzips bytes: node:zlib in Node and Deno, DecompressionStream elsewhere. */
export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const runtime = runtimeName();
  if (runtime === 'node' || runtime === 'deno') {
    const zlib = nodeModule<{ gunzipSync(b: Uint8Array): Uint8Array }>('node:zlib');
    const out = zlib.gunzipSync(bytes);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  }
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
